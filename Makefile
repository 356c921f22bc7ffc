# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test bench dictionary clean

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Set up, then extract every bundled report into outputs/extract/.
run: $(STAMP)
	$(VENV)/bin/compare extract data/reports --out outputs/extract/facts.csv --documents outputs/extract/documents.csv

## Set up, then run the whole test suite (slow end-to-end tests included).
test: $(STAMP)
	$(VENV)/bin/python -m pytest

## Extraction throughput on a synthetic corpus (see benchmarks/README.md).
bench: $(STAMP)
	$(VENV)/bin/python benchmarks/bench_extract.py

## Regenerate the data dictionary from the codebook.
dictionary: $(STAMP)
	$(VENV)/bin/compare dictionary --out docs/data_dictionary.md

clean:
	rm -rf $(VENV) build src/*.egg-info
