"""The year archive ``outputs/<year>/``: built aside, moved into place whole, never lost.

A run writes into a hidden staging folder beside the archive. Only a complete, successful run
takes the place of ``outputs/<year>/``; the archive it replaces moves into the new one's
``history/`` (unless the user asks to replace it). A failed run is kept under ``failed/`` of the
year for its tracebacks while the last good archive stays as it was. A lock file refuses a second
run of the same year while one is going on.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from .outputs import readable_by_others

HISTORY = "history"
FAILED = "failed"
MANIFEST = "manifest.json"


class RunInProgress(RuntimeError):
    """Another run of the same year holds the lock."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def year_lock(outputs: Path, year: int) -> Iterator[Path]:
    """Hold ``outputs/.<year>.lock`` for the run; a lock left by a dead process on this host is taken over."""
    outputs.mkdir(parents=True, exist_ok=True)
    lock = outputs / f".{year}.lock"
    record = {"pid": os.getpid(), "host": socket.gethostname(), "started": now()}
    for _ in range(2):
        try:
            with open(lock, "x", encoding="utf-8") as handle:
                json.dump(record, handle)
            break
        except FileExistsError:
            holder = _read_lock(lock)
            same_host = holder.get("host") == record["host"]
            if same_host and isinstance(holder.get("pid"), int) and not _pid_alive(holder["pid"]):
                lock.unlink(missing_ok=True)  # left by a run that died; take it over
                continue
            raise RunInProgress(
                f"a run for {year} is already in progress (pid {holder.get('pid')} on {holder.get('host')}, "
                f"started {holder.get('started')}); wait for it to finish, or delete {lock} if that run is gone"
            ) from None
    else:
        raise RunInProgress(f"could not take the lock {lock}")
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)


def _read_lock(lock: Path) -> dict:
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def now() -> str:
    """Local time with its offset, as archives record when a run started and finished."""
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%dT%H%M%S")


def new_staging(outputs: Path, year: int) -> Path:
    """An empty hidden folder beside the archive (same file system, so the final move is a rename)."""
    outputs.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{year}-", dir=outputs))
    readable_by_others(staging, directory=True)
    return staging


def archive_dir(outputs: Path, year: int) -> Path:
    return outputs / str(year)


def read_manifest(folder: Path) -> dict | None:
    """The manifest of an archive, or None when there is none or it is unreadable."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _unique(folder: Path, name: str) -> Path:
    candidate, n = folder / name, 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{name}-{n}"
    return candidate


def promote(staging: Path, outputs: Path, year: int, *, replace: bool = False) -> Path:
    """Move a complete run into ``outputs/<year>``; the archive it replaces goes to its ``history/``.

    The old archive is first renamed aside, so a crash at any point leaves either the old or the
    new archive in place and nothing deleted. With ``replace`` the old archive (not its history
    or failed runs) is deleted once the new one is in place.
    """
    final = archive_dir(outputs, year)
    if not final.exists():
        os.replace(staging, final)
        return final
    aside = Path(tempfile.mkdtemp(prefix=f".previous-{year}-", dir=outputs))
    aside.rmdir()
    os.replace(final, aside)
    os.replace(staging, final)
    for keep in (HISTORY, FAILED):
        if (aside / keep).is_dir():
            os.replace(aside / keep, final / keep)
    if replace or not any(aside.iterdir()):  # nothing but failed runs was there before
        shutil.rmtree(aside)
    else:
        previous = read_manifest(aside) or {}
        label = str(previous.get("finished", "")).replace(":", "").replace("-", "")[:15] or _stamp()
        (final / HISTORY).mkdir(exist_ok=True)
        os.replace(aside, _unique(final / HISTORY, label))
    return final


def keep_failed(staging: Path, outputs: Path, year: int) -> Path:
    """File a failed run under ``outputs/<year>/failed/<time>/``, leaving the good archive untouched."""
    folder = archive_dir(outputs, year) / FAILED
    folder.mkdir(parents=True, exist_ok=True)
    target = _unique(folder, _stamp())
    os.replace(staging, target)
    return target
