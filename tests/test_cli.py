"""The command line end to end, as a user runs it: real files in, real tables out."""

import csv
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from repo_paths import REPO, require_shared

REPORTS = REPO / "data" / "reports"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "compare", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_sample_corpus_meets_the_score(tmp_path):
    """The README's main job on the bundled reports, scored by the project's own scorer."""
    shared = require_shared()
    done = run("extract", str(REPORTS), "--out", "out/facts.csv", "--documents", "out/documents.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    score = subprocess.run(
        [sys.executable, str(shared / "eval" / "score.py"), "--pred", str(tmp_path / "out" / "facts.csv"),
         "--gold", str(shared / "gold" / "facts.csv"), "--docs", str(shared / "gold" / "documents.csv"),
         "--units", str(shared / "spec" / "indicators.csv"), "--min-precision", "0.95", "--min-recall", "0.90"],
        capture_output=True, text=True,
    )
    assert score.returncode == 0, score.stdout
    documents = pl.read_csv(tmp_path / "out" / "documents.csv")
    assert sorted(documents["doc_id"].to_list()) == sorted(p.stem for p in REPORTS.glob("*.txt"))


@pytest.mark.slow
@pytest.mark.parametrize("labelled_set", ["heldout", "regression"])
def test_labelled_test_reports_meet_the_score(tmp_path, labelled_set):
    """Full-length reports written and labelled for the tests (tests/fixtures/heldout, tests/fixtures/regression)."""
    shared = require_shared()
    heldout = REPO / "tests" / "fixtures" / labelled_set
    done = run("extract", str(heldout / "reports"), "--out", "facts.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    score = subprocess.run(
        [sys.executable, str(shared / "eval" / "score.py"), "--pred", str(tmp_path / "facts.csv"),
         "--gold", str(heldout / "facts.csv"), "--docs", str(heldout / "documents.csv"),
         "--units", str(shared / "spec" / "indicators.csv"), "--min-precision", "0.95", "--min-recall", "0.90"],
        capture_output=True, text=True,
    )
    assert score.returncode == 0, score.stdout
    documents = pl.read_csv(tmp_path / "documents.csv", schema_overrides={"adcode": pl.String}).sort("doc_id")
    gold = pl.read_csv(heldout / "documents.csv", schema_overrides={"adcode": pl.String}).sort("doc_id")
    # the place resolved to its code: the name may be written with or without its province
    assert documents["adcode"].to_list() == gold["adcode"].to_list()
    assert documents["doc_type"].to_list() == gold["doc_type"].to_list()


def test_every_fact_carries_its_provenance(tmp_path):
    done = run("extract", str(REPORTS), "--out", "facts.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "facts.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    assert list(rows[0])[:11] == [
        "doc_id", "indicator_id", "value", "kind", "qualifier", "period_start", "period_end",
        "source", "evidence", "start", "end",
    ]
    texts = {p.stem: p.read_text(encoding="utf-8") for p in REPORTS.glob("*.txt")}
    for row in rows:
        text = texts[row["doc_id"]]
        start, end = int(row["start"]), int(row["end"])
        assert row["evidence"], row
        if row["source"] == "stated":
            assert text[start:end] == row["as_written"], row
            assert row["as_written"] in row["evidence"] and row["evidence"] in text, row
        else:
            assert row["derivation"], row
    assert (tmp_path / "documents.csv").exists()  # written beside the facts by default


def test_bad_files_are_listed_and_the_rest_still_read(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "good.txt").write_text("2022年，全县共办理法律援助案件812件。", encoding="utf-8")
    (reports / "empty.txt").write_bytes(b"")
    (reports / "junk.txt").write_bytes(bytes(range(256)) * 20)
    done = run("extract", str(reports), str(tmp_path / "missing.txt"), "--out", "facts.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in ("empty.txt", "junk.txt", "missing.txt"):
        assert name in done.stderr
    facts = pl.read_csv(tmp_path / "facts.csv")
    assert facts["value"].to_list() == [812.0]


def test_nothing_readable_is_an_error_and_keeps_the_old_output(tmp_path):
    (tmp_path / "facts.csv").write_text("earlier results\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    done = run("extract", "empty.txt", "--out", "facts.csv", cwd=tmp_path)
    assert done.returncode == 1
    assert "empty.txt" in done.stderr and "nothing written" in done.stderr
    assert (tmp_path / "facts.csv").read_text(encoding="utf-8") == "earlier results\n"


def test_parquet_output(tmp_path):
    done = run("extract", str(REPORTS / "002_cde15d0c3457cf5e.txt"), "--out", "facts.parquet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    facts = pl.read_parquet(tmp_path / "facts.parquet")
    assert facts.schema["value"] == pl.Float64 and facts.schema["period_start"] == pl.Int32
    assert (tmp_path / "documents.parquet").exists()
    assert "disputes.litigation_loss_rate" in facts["indicator_id"].to_list()


def test_a_broken_codebook_is_reported_before_any_work(tmp_path):
    (tmp_path / "codebook").mkdir()
    done = run("extract", str(REPORTS), "--codebook", "codebook", cwd=tmp_path)
    assert done.returncode == 2
    assert "codebook error" in done.stderr and "codebook.yaml" in done.stderr


def test_data_dictionary(tmp_path):
    done = run("dictionary", "--out", "dictionary.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "dictionary.md").read_text(encoding="utf-8")
    assert "`disputes.litigation_loss_rate`" in text and "lower is better" in text
    assert "`disputes.litigation_lost` / `disputes.litigation_concluded` × 100" in text


def test_committed_data_dictionary_is_current(codebook):
    """docs/data_dictionary.md is what the codebook renders to: regenerate it with `make dictionary`."""
    from compare.dictionary import render_dictionary

    committed = (REPO / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    assert committed == render_dictionary(codebook), "docs/data_dictionary.md is stale: run `make dictionary`"
