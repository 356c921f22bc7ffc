"""Checks on the tables handed from one stage to the next."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


def require_columns(frame: pl.DataFrame, columns: Sequence[str], what: str) -> None:
    """Fail at the edge of a stage, naming the table, what is missing and what it has, not deep inside polars."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}; has {', '.join(frame.columns) or 'none'}")
