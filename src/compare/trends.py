"""Year-over-year series from earlier archives, with breaks where a definition changed.

Each archived year keeps its panel and a hash of every indicator's reading rules. A value for
year Y is taken from the archive of year Y when there is one (what was compared then), else from
the current panel. Where two consecutive points were read under different rules, the later one
is marked as a break, so nobody reads a changed definition as a change on the ground.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

TREND_COLUMNS = ("adcode", "place", "indicator_id", "unit", "year", "value", "doc_id", "from_archive", "definition_sha256")


def archived_panels(archives_dir: str | Path | None, before_year: int) -> pl.DataFrame:
    """Actual values of every archive ``<archives_dir>/<year>/`` older than ``before_year``."""
    frames = []
    if archives_dir is not None and Path(archives_dir).is_dir():
        for folder in sorted(Path(archives_dir).iterdir()):
            if not (folder.name.isdigit() and int(folder.name) < before_year):
                continue
            panel, info = folder / "tables" / "panel.parquet", folder / "tables" / "run_info.json"
            if not (panel.is_file() and info.is_file()):
                continue
            hashes = json.loads(info.read_text(encoding="utf-8")).get("definition_hashes", {})
            frames.append(_points(pl.read_parquet(panel), hashes, folder.name).filter(pl.col("year") == int(folder.name)))
    if not frames:
        return pl.DataFrame(schema=_schema())
    return pl.concat(frames, how="vertical_relaxed")


def _schema() -> dict[str, pl.DataType]:
    return {"adcode": pl.String, "place": pl.String, "indicator_id": pl.String, "unit": pl.String, "year": pl.Int32,
            "value": pl.Float64, "doc_id": pl.String, "from_archive": pl.String, "definition_sha256": pl.String}


def _points(panel: pl.DataFrame, hashes: dict[str, str], archive: str) -> pl.DataFrame:
    return (
        panel.filter(pl.col("kind") == "actual")
        .select("adcode", "place", "indicator_id", "unit", pl.col("year").cast(pl.Int32), "value", "doc_id")
        .with_columns(
            pl.lit(archive).alias("from_archive"),
            pl.col("indicator_id").replace_strict(hashes, default=None, return_dtype=pl.String).alias("definition_sha256"),
        )
    )


def trend_table(current_panel: pl.DataFrame, current_hashes: dict[str, str], archived: pl.DataFrame,
                current_label: str = "this run") -> pl.DataFrame:
    """One point per place × indicator × year, with ``definition_break`` where the rules changed."""
    current = _points(current_panel, current_hashes, current_label)
    taken = archived.select("adcode", "indicator_id", "year")
    combined = pl.concat([archived, current.join(taken, on=["adcode", "indicator_id", "year"], how="anti")],
                         how="vertical_relaxed")
    return (
        combined.sort("adcode", "indicator_id", "year")
        .with_columns(
            (pl.col("definition_sha256") != pl.col("definition_sha256").shift(1).over("adcode", "indicator_id"))
            .fill_null(False)
            .alias("definition_break")
        )
    )
