"""Trends take each year's value from that year's archive and mark changed definitions."""

import json
from pathlib import Path

import polars as pl

from compare.trends import archived_panels, trend_table


def _panel(rows: list[tuple[str, str, int, float, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"adcode": a, "place": p, "indicator_id": "disputes.litigation_cases", "unit": "case", "year": y,
          "value": v, "doc_id": d, "kind": "actual"} for a, p, y, v, d in rows]
    ).with_columns(pl.col("year").cast(pl.Int32))


def _archive(root: Path, year: int, panel: pl.DataFrame, definition: str) -> None:
    tables = root / str(year) / "tables"
    tables.mkdir(parents=True)
    panel.write_parquet(tables / "panel.parquet")
    (tables / "run_info.json").write_text(json.dumps({"definition_hashes": {"disputes.litigation_cases": definition}}))


def test_each_year_comes_from_its_own_archive_and_breaks_are_marked(tmp_path: Path):
    # the 2020 archive also holds a 2019 value: only its own year is taken from it
    _archive(tmp_path, 2019, _panel([("530623", "盐津县", 2019, 101.0, "r2019")]), "aaaa")
    _archive(tmp_path, 2020, _panel([("530623", "盐津县", 2020, 120.0, "r2020"),
                                     ("530623", "盐津县", 2019, 999.0, "r2020")]), "aaaa")
    _archive(tmp_path, 2022, _panel([("530623", "盐津县", 2022, 1.0, "later")]), "cccc")  # not before 2021
    (tmp_path / "notes").mkdir()  # not an archive
    archived = archived_panels(tmp_path, 2021)
    assert sorted(archived["from_archive"].to_list()) == ["2019", "2020"]

    current = _panel([("530623", "盐津县", 2021, 129.0, "r2021"), ("530623", "盐津县", 2020, 118.0, "r2021")])
    series = trend_table(current, {"disputes.litigation_cases": "bbbb"}, archived)
    assert series.select("year", "value", "from_archive", "definition_break").rows() == [
        (2019, 101.0, "2019", False),
        (2020, 120.0, "2020", False),  # the 2020 archive's value, not this run's retrospective 118
        (2021, 129.0, "this run", True),  # read under changed rules
    ]


def test_no_archives_gives_the_current_panel_only(tmp_path: Path):
    current = _panel([("320581", "常熟市", 2020, 60.0, "wp")])
    series = trend_table(current, {"disputes.litigation_cases": "x"}, archived_panels(tmp_path / "none", 2021))
    assert series.select("year", "value", "definition_break").rows() == [(2020, 60.0, False)]
