"""Reading reports in worker processes gives exactly what reading them one after another gives."""

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import polars as pl
import pytest

from compare.cli import main
from compare.codebook import Codebook
from compare.pipeline import WORKER_DIED, Extraction, extract_reports
from repo_paths import REPO

REPORTS = [REPO / "data" / "reports", REPO / "tests" / "fixtures" / "heldout" / "reports"]


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files that must fail, each its own way, between good ones."""
    folder = tmp_path_factory.mktemp("bad")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 20)  # no text encoding reads this
    shutil.copy(REPO / "tests" / "fixtures" / "formats" / "corrupt.docx", folder)
    shutil.copy(REPORTS[0] / "002_cde15d0c3457cf5e.txt", folder)  # the same document id as in data/reports
    (folder / "good.txt").write_text("2022年，全县共办理法律援助案件812件。", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def paths(bad_folder: Path) -> list[Path]:
    return [*REPORTS, bad_folder, bad_folder / "missing.txt"]


@pytest.fixture(scope="module")
def one(paths: list[Path], codebook: Codebook) -> Extraction:
    """The reference: every file read in this process, one after another."""
    return extract_reports(paths, codebook, jobs=1)


def test_workers_give_what_one_process_gives(codebook, paths, one):
    two = extract_reports(paths, codebook, jobs=2)
    assert one.documents.height == 16 and one.facts.height > 200  # 15 reports and good.txt
    assert two.facts.equals(one.facts)
    assert two.documents.equals(one.documents)
    assert [str(f) for f in two.failures] == [str(f) for f in one.failures]
    reasons = "\n".join(str(f) for f in one.failures)
    for expected in ("missing.txt: does not exist", "empty.txt: is empty", "junk.txt", "corrupt.docx",
                     "duplicate document id '002_cde15d0c3457cf5e'"):
        assert expected in reasons
    assert len(one.failures) == 5


def test_jobs_below_one_is_refused(codebook):
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        extract_reports(REPORTS, codebook, jobs=0)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_worker_costs_only_the_files_not_yet_returned(codebook, tmp_path):
    """As when the out-of-memory killer takes a worker: no hang, results already back are kept."""
    for copy in range(4):  # enough work that the kill lands while chunks are still pending
        for report in sorted(p for folder in REPORTS for p in folder.glob("*.txt")):
            shutil.copy(report, tmp_path / f"{copy}_{report.name}")
    files = sorted(tmp_path.iterdir())
    first_chunk = 8  # 60 files for 2 workers: chunks of 60 / (2 × 4), rounded up

    def kill_workers_after_first_chunk(files: Sequence[Path]) -> Iterator[Path]:
        for index, path in enumerate(files):
            if index == first_chunk:
                for worker in multiprocessing.active_children():
                    os.kill(worker.pid, signal.SIGKILL)
            yield path

    result = extract_reports(files, codebook, progress=kill_workers_after_first_chunk, jobs=2)
    read = result.documents["path"].to_list()
    assert read[:first_chunk] == [str(p) for p in files[:first_chunk]]
    assert sorted(read + [str(f.path) for f in result.failures]) == sorted(map(str, files))
    assert result.failures and {f.reason for f in result.failures} == {WORKER_DIED}


def test_cli_jobs(tmp_path, paths, one):
    done = subprocess.run(
        [sys.executable, "-m", "compare", "extract", *map(str, paths), "--jobs", "2", "--out", "facts.parquet"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "read 16 document(s)" in done.stderr and "5 file(s) skipped" in done.stderr
    assert pl.read_parquet(tmp_path / "facts.parquet").equals(one.facts)
    assert pl.read_parquet(tmp_path / "documents.parquet").equals(one.documents)


def test_cli_refuses_jobs_below_one(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["extract", str(REPORTS[0]), "--jobs", "0"])
    assert exit_.value.code == 2 and "--jobs: must be at least 1" in capsys.readouterr().err


def test_a_text_naming_its_place_only_in_passing_still_tells_its_figures_from_the_provinces(codebook, tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text(
        "韶关市人民政府关于市政协十三届三次会议第20240087号提案答复的函\n\n刘卫东委员：\n　　您提出的提案收悉。现将办理情况答复如下：\n"
        "　　2023年，韶关市行政机关负责人出庭应诉率为100%。\n"
        "　　注：2023年全省行政机关负责人出庭应诉率为97.8%。\n",
        encoding="utf-8",
    )
    extraction = extract_reports([reply], codebook)
    assert extraction.documents["adcode"].to_list() == ["440200"]
    rates = extraction.facts.filter(pl.col("indicator_id") == "disputes.head_appearance_rate")["value"].to_list()
    assert rates == [100.0]
