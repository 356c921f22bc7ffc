# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3.11
YEAR ?= 2021
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test bench bench-run dictionary clean

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	$(VENV)/bin/python -m ipykernel install --sys-prefix --name compare --display-name "Python (compare)" >/dev/null
	touch $(STAMP)

## Set up, then run the annual comparison of the bundled reports into outputs/$(YEAR)/.
run: $(STAMP)
	$(VENV)/bin/compare run --year $(YEAR)

## Set up, then run the whole test suite (slow end-to-end tests included).
test: $(STAMP)
	$(VENV)/bin/python -m pytest

## Extraction throughput on a synthetic corpus (see benchmarks/README.md).
bench: $(STAMP)
	$(VENV)/bin/python benchmarks/bench_extract.py

## Wall time of the annual run, bundled and on a synthetic national panel (see benchmarks/run.md).
bench-run: $(STAMP)
	$(VENV)/bin/python benchmarks/bench_run.py

## Regenerate the data dictionary from the codebook.
dictionary: $(STAMP)
	$(VENV)/bin/compare dictionary --out docs/data_dictionary.md

clean:
	rm -rf $(VENV) build src/*.egg-info
