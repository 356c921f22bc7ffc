"""Writing tables so that a failure half-way never leaves a broken file or destroys an older one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polars as pl

FORMATS = ("csv", "parquet")


def table_format(path: Path, requested: str | None) -> str:
    """The requested format, else the one the file name implies, else CSV."""
    if requested:
        if requested not in FORMATS:
            raise ValueError(f"unknown format {requested!r}; choose one of {', '.join(FORMATS)}")
        return requested
    return "parquet" if path.suffix.lower() == ".parquet" else "csv"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def readable_by_others(path: Path, directory: bool = False) -> None:
    """Give a temporary file or folder (created private) the permissions a normal one would have."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


def write_table(frame: pl.DataFrame, path: Path, fmt: str) -> None:
    """Write to a temporary file beside ``path`` and move it into place only when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    try:
        if fmt == "parquet":
            frame.write_parquet(temporary)
        else:
            frame.write_csv(temporary)
        readable_by_others(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
