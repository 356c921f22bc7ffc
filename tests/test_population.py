"""The optional population table: loading, its checks, and values per 10,000 residents.

The figures in tests/fixtures/population.csv are test figures (round numbers, source "test figure (not
a census count)"), not census counts; the codes are real, so that the checks against the division
table and the crosswalk are the real ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from compare.divisions import ENV_VAR, ReferenceError
from compare.population import SCHEMA, load_population, per_10k_residents
from repo_paths import REPO

FIXTURE = REPO / "tests" / "fixtures" / "population.csv"
HEADER = "adcode,year,population_persons,source\n"


@pytest.fixture(scope="module")
def population() -> pl.DataFrame:
    return load_population(FIXTURE)


def _write(tmp_path: Path, rows: str) -> Path:
    file = tmp_path / "population.csv"
    file.write_text(HEADER + rows, encoding="utf-8")
    return file


# --- loading ------------------------------------------------------------------------------------

def test_fixture_loads_with_the_schema_and_current_codes(population: pl.DataFrame) -> None:
    assert population.schema == pl.Schema(SCHEMA)
    assert population.rows() == [
        ("320500", 2020, 12_000_000.0, "test figure (not a census count)"),
        ("320581", 2010, 1_500_000.0, "test figure (not a census count)"),
        ("320581", 2020, 2_000_000.0, "test figure (not a census count)"),
        # 莱芜市 went into 济南市 (merge): its population is not 济南's, so its code stays
        ("371200", 2018, 1_000_000.0, "test figure (not a census count)"),
        # 祁阳县 431121 became 祁阳市 431181 (upgrade)
        ("431181", 2020, 800_000.0, "test figure (not a census count)"),
        # 错那县 542232 → 540530 (recode) → 错那市 540581 (upgrade)
        ("540581", 2015, 50_000.0, "test figure (not a census count)"),
    ]


def test_bundled_table_is_a_header_without_figures() -> None:
    bundled = load_population(REPO / "data" / "reference" / "population.csv")
    assert bundled.height == 0
    assert bundled.schema == pl.Schema(SCHEMA)


def test_default_path_follows_the_reference_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    absent = load_population()
    assert absent.height == 0 and absent.schema == pl.Schema(SCHEMA)

    for name in ("divisions.csv", "division_changes.csv"):
        shutil.copy(REPO / "data" / "reference" / name, tmp_path / name)
    _write(tmp_path, "320581,2020,2000000,第七次全国人口普查公报（test figure）\n")
    assert load_population()["adcode"].to_list() == ["320581"]


def test_a_named_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ReferenceError, match=r"nowhere\.csv: population table not found"):
        load_population(tmp_path / "nowhere.csv")


def test_extra_columns_are_ignored(tmp_path: Path) -> None:
    file = tmp_path / "population.csv"
    file.write_text("adcode,name,year,population_persons,source\n320581,常熟市,2020,2000000,test\n", encoding="utf-8")
    assert load_population(file).rows() == [("320581", 2020, 2_000_000.0, "test")]


# --- validation: each problem names the file and the row -----------------------------------------

@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("32058,2020,100,test", r"row 2: adcode '32058' is not a 6-digit division code"),
        ("320599,2020,100,test", r"row 2: adcode 320599 is neither in the division table nor a former code"),
        ("320581,20,100,test", r"row 2: year '20' is not a 4-digit year"),
        ("320581,2020,many,test", r"row 2: population_persons 'many' is not a number"),
        ('320581,2020,"2,000,000",test', r"row 2: population_persons '2,000,000' is not a number"),
        ("320581,2020,0,test", r"row 2: population_persons 0 is not positive"),
        ("320581,2020,-5,test", r"row 2: population_persons -5 is not positive"),
        ("320581,2020,100,", r"row 2: source is empty"),
        ("320581,2020,100,  ", r"row 2: source is empty"),
    ],
)
def test_bad_rows_are_named(tmp_path: Path, row: str, problem: str) -> None:
    file = _write(tmp_path, row + "\n")
    with pytest.raises(ReferenceError, match=rf"population\.csv: 1 problem\(s\):\n  {problem}"):
        load_population(file)


def test_duplicate_code_and_year_names_both_rows(tmp_path: Path) -> None:
    file = _write(tmp_path, "320581,2020,100,a\n320500,2020,100,b\n320581,2020,200,c\n")
    with pytest.raises(ReferenceError, match=r"row 4: adcode 320581 and year 2020 repeat row 2"):
        load_population(file)


def test_a_former_code_repeats_its_current_code(tmp_path: Path) -> None:
    file = _write(tmp_path, "431181,2020,100,a\n431121,2020,100,b\n")
    with pytest.raises(ReferenceError, match=r"row 3: adcode 431121 \(today 431181\) and year 2020 repeat row 2"):
        load_population(file)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    file = _write(tmp_path, "320581,2020,0,\n320500,2020,100,ok\nabc,2020,100,ok\n")
    with pytest.raises(ReferenceError) as error:
        load_population(file)
    assert str(error.value).splitlines()[1:] == [
        "  row 2: population_persons 0 is not positive",
        "  row 2: source is empty (name the bulletin or yearbook the figure is from)",
        "  row 4: adcode 'abc' is not a 6-digit division code",
    ]


def test_missing_column_is_named(tmp_path: Path) -> None:
    file = tmp_path / "population.csv"
    file.write_text("adcode,year,population\n320581,2020,100\n", encoding="utf-8")
    with pytest.raises(ReferenceError, match=r"missing column\(s\) population_persons, source"):
        load_population(file)


# --- per 10,000 residents -----------------------------------------------------------------------

def test_same_year_then_nearest_earlier_year_else_null(population: pl.DataFrame) -> None:
    values = pl.DataFrame({
        "adcode": ["320581", "320581", "320581", "320581", "431181", "999999", "320500"],
        "year": [2020, 2023, 2015, 2009, 2021, 2020, None],
        "value": [300.0, 50.0, 30.0, 7.0, 8.0, 1.0, 5.0],
    }, schema_overrides={"year": pl.Int32})
    result = per_10k_residents(values, population)
    assert result.columns == ["adcode", "year", "value", "population_persons", "population_year",
                              "population_source", "value_per_10k_residents"]
    assert result.select("adcode", "year", "value").equals(values)  # order and rows kept
    assert result["population_year"].to_list() == [2020, 2020, 2010, None, 2020, None, None]
    assert result["population_persons"].to_list() == [2e6, 2e6, 1.5e6, None, 8e5, None, None]
    assert result["population_source"].to_list()[:3] == ["test figure (not a census count)"] * 3
    assert result["population_source"].to_list()[3] is None
    per_10k = result["value_per_10k_residents"].to_list()
    assert per_10k[:3] == pytest.approx([1.5, 0.25, 0.2])  # 300 / 2,000,000 × 10,000 …
    assert per_10k[4] == pytest.approx(0.1)  # 8 / 800,000 × 10,000
    assert per_10k[3] is None and per_10k[5] is None and per_10k[6] is None
    assert result.schema["population_year"] == pl.Int32
    assert result.schema["value_per_10k_residents"] == pl.Float64


def test_other_column_names_and_replacing_earlier_results(population: pl.DataFrame) -> None:
    values = pl.DataFrame({"code": ["320500"], "period_end": [2021], "count": [240]})
    once = per_10k_residents(values, population, value_column="count", code_column="code", year_column="period_end")
    assert once["value_per_10k_residents"].to_list() == [pytest.approx(0.2)]  # 240 / 12,000,000 × 10,000
    again = per_10k_residents(once.with_columns(pl.col("count") * 2), population, value_column="count",
                              code_column="code", year_column="period_end")
    assert again.columns == once.columns
    assert again["value_per_10k_residents"].to_list() == [pytest.approx(0.4)]


def test_no_population_gives_null_columns() -> None:
    values = pl.DataFrame({"adcode": ["320581"], "year": [2020], "value": [1.0]})
    result = per_10k_residents(values, pl.DataFrame(schema=SCHEMA))
    assert result.row(0) == ("320581", 2020, 1.0, None, None, None, None)


def test_missing_value_column_is_named(population: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"values has no column 'value'; its columns: adcode, year"):
        per_10k_residents(pl.DataFrame({"adcode": ["320581"], "year": [2020]}), population)
