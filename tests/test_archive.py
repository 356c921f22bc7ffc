"""The year archive: a finished run replaces the old one, which moves to history; nothing is lost."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compare import archive


def _run(outputs: Path, year: int, marker: str, finished: str) -> Path:
    staging = archive.new_staging(outputs, year)
    (staging / "result.txt").write_text(marker, encoding="utf-8")
    (staging / archive.MANIFEST).write_text(json.dumps({"status": "ok", "finished": finished}), encoding="utf-8")
    return staging


def test_first_run_becomes_the_archive(tmp_path: Path):
    final = archive.promote(_run(tmp_path, 2021, "first", "2022-04-02T08:00:00+08:00"), tmp_path, 2021)
    assert final == tmp_path / "2021"
    assert (final / "result.txt").read_text(encoding="utf-8") == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["2021"]  # no staging left behind


def test_a_second_run_keeps_the_first_under_history(tmp_path: Path):
    archive.promote(_run(tmp_path, 2021, "first", "2022-04-02T08:00:00+08:00"), tmp_path, 2021)
    archive.promote(_run(tmp_path, 2021, "second", "2022-04-03T09:30:00+08:00"), tmp_path, 2021)
    archive.promote(_run(tmp_path, 2021, "third", "2022-04-04T10:00:00+08:00"), tmp_path, 2021)
    final = tmp_path / "2021"
    assert (final / "result.txt").read_text(encoding="utf-8") == "third"
    history = sorted(p.name for p in (final / archive.HISTORY).iterdir())
    assert history == ["20220402T080000", "20220403T093000"]
    assert (final / archive.HISTORY / "20220402T080000" / "result.txt").read_text(encoding="utf-8") == "first"
    assert not (final / archive.HISTORY / "20220403T093000" / archive.HISTORY).exists()


def test_replace_drops_the_old_archive_but_keeps_its_history(tmp_path: Path):
    archive.promote(_run(tmp_path, 2021, "first", "2022-04-02T08:00:00+08:00"), tmp_path, 2021)
    archive.promote(_run(tmp_path, 2021, "second", "2022-04-03T08:00:00+08:00"), tmp_path, 2021)
    archive.promote(_run(tmp_path, 2021, "third", "2022-04-04T08:00:00+08:00"), tmp_path, 2021, replace=True)
    final = tmp_path / "2021"
    assert (final / "result.txt").read_text(encoding="utf-8") == "third"
    assert [p.name for p in (final / archive.HISTORY).iterdir()] == ["20220402T080000"]


def test_a_failed_run_leaves_the_good_archive_untouched(tmp_path: Path):
    archive.promote(_run(tmp_path, 2021, "good", "2022-04-02T08:00:00+08:00"), tmp_path, 2021)
    failed = archive.keep_failed(_run(tmp_path, 2021, "broken", "2022-04-03T08:00:00+08:00"), tmp_path, 2021)
    final = tmp_path / "2021"
    assert (final / "result.txt").read_text(encoding="utf-8") == "good"
    assert failed.parent == final / archive.FAILED and (failed / "result.txt").read_text(encoding="utf-8") == "broken"
    archive.promote(_run(tmp_path, 2021, "fixed", "2022-04-04T08:00:00+08:00"), tmp_path, 2021)
    assert (final / "result.txt").read_text(encoding="utf-8") == "fixed"
    assert (final / archive.FAILED / failed.name / "result.txt").exists()  # failed runs stay on file
    assert (final / archive.HISTORY / "20220402T080000" / "result.txt").read_text(encoding="utf-8") == "good"


def test_a_failed_first_run_does_not_become_history(tmp_path: Path):
    archive.keep_failed(_run(tmp_path, 2021, "broken", "x"), tmp_path, 2021)
    final = archive.promote(_run(tmp_path, 2021, "good", "2022-04-04T08:00:00+08:00"), tmp_path, 2021)
    assert (final / "result.txt").read_text(encoding="utf-8") == "good"
    assert not (final / archive.HISTORY).exists() and len(list((final / archive.FAILED).iterdir())) == 1


def test_a_second_run_of_the_same_year_is_refused(tmp_path: Path):
    with archive.year_lock(tmp_path, 2021):
        with pytest.raises(archive.RunInProgress, match=rf"a run for 2021 is already in progress \(pid {os.getpid()}"):
            with archive.year_lock(tmp_path, 2021):
                pass
        with archive.year_lock(tmp_path, 2022):  # another year is independent
            pass
    with archive.year_lock(tmp_path, 2021):  # released after the run
        pass


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path: Path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    import socket

    (tmp_path / ".2021.lock").write_text(json.dumps({"pid": int(dead.stdout), "host": socket.gethostname()}))
    with archive.year_lock(tmp_path, 2021) as lock:
        assert json.loads(lock.read_text())["pid"] == os.getpid()
