"""Resident population of divisions, for values per 10,000 residents.

Counts such as reconsideration cases or lawsuits grow with a place's size; per 10,000 residents they
compare across places. The table ``data/reference/population.csv`` (columns adcode, year,
population_persons, source) is optional and holds only figures with a stated source, such as a county's
bulletin of the seventh census (第七次全国人口普查公报); see ``data/reference/README.md``. The folder is
the one of :func:`compare.divisions.reference_dir` (``$COMPARE_REFERENCE`` if set).

Codes are checked against the division table. A former code from the crosswalk is accepted too, because
bulletins use the codes of their year: where the place only changed its name, code or type (祁阳县
431121 → 祁阳市 431181) the row counts for today's code; a code merged or split away stays as written, as
its population is not that of the place it went into.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import polars as pl

from .divisions import ReferenceError, read_strings, load_changes, load_divisions, reference_dir

POPULATION_FILE = "population.csv"
SCHEMA = {"adcode": pl.String, "year": pl.Int32, "population_persons": pl.Float64, "source": pl.String}
ADDED_COLUMNS = ("population_persons", "population_year", "population_source", "value_per_10k_residents")
_SAME_PLACE = ("rename", "recode", "upgrade")
_CODE = re.compile(r"^\d{6}$")
_YEAR = re.compile(r"^\d{4}$")


def load_population(path: str | Path | None = None) -> pl.DataFrame:
    """The population table, checked, with former codes of renamed or recoded places made current.

    Without ``path`` the reference folder's ``population.csv`` is read, and a missing file means no
    table (an empty frame): the table is optional. A file named explicitly must exist. Every row is
    checked; all problems are reported at once, each with its row as a spreadsheet numbers it (the
    header is row 1). Columns besides the four are ignored (a ``name`` column helps people who fill it).
    """
    file = reference_dir() / POPULATION_FILE if path is None else Path(path).expanduser()
    if not file.is_file():
        if path is None:
            return pl.DataFrame(schema=SCHEMA)
        raise ReferenceError(f"{file}: population table not found")
    raw = read_strings(str(file), tuple(SCHEMA))
    current = frozenset(load_divisions()["code"])
    former = set(load_changes()["old_code"])
    successor = _same_place_successors(current)
    rows: list[tuple[str, int, float, str]] = []
    problems: list[str] = []
    first_row_of: dict[tuple[str, int], int] = {}
    for row_number, (code, year, persons, source) in enumerate(raw.iter_rows(), start=2):
        code, year, persons, source = (_stripped(v) for v in (code, year, persons, source))
        row_problems = []
        if not _CODE.match(code):
            row_problems.append(f"adcode {code!r} is not a 6-digit division code")
        elif code not in current and code not in former:
            row_problems.append(f"adcode {code} is neither in the division table nor a former code in the crosswalk")
        if not _YEAR.match(year):
            row_problems.append(f"year {year!r} is not a 4-digit year")
        number = _number(persons)
        if number is None:
            row_problems.append(f"population_persons {persons!r} is not a number (digits only, no separators)")
        elif number <= 0:
            row_problems.append(f"population_persons {persons} is not positive")
        if not source:
            row_problems.append("source is empty (name the bulletin or yearbook the figure is from)")
        if row_problems:
            problems.extend(f"row {row_number}: {problem}" for problem in row_problems)
            continue
        today = _follow(code, current, successor)
        key = (today, int(year))
        if key in first_row_of:
            as_today = f" (today {today})" if today != code else ""
            problems.append(f"row {row_number}: adcode {code}{as_today} and year {year} repeat row {first_row_of[key]}")
            continue
        first_row_of[key] = row_number
        rows.append((today, int(year), number, source))
    if problems:
        shown = problems[:20] + ([f"… {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise ReferenceError(f"{file}: {len(problems)} problem(s):\n  " + "\n  ".join(shown))
    return pl.DataFrame(rows, schema=SCHEMA, orient="row").sort("adcode", "year")


def per_10k_residents(
    values: pl.DataFrame,
    population: pl.DataFrame,
    *,
    value_column: str = "value",
    code_column: str = "adcode",
    year_column: str = "year",
) -> pl.DataFrame:
    """``values`` with its place's population and the value per 10,000 residents.

    Adds ``population_persons``, ``population_year``, ``population_source`` and
    ``value_per_10k_residents`` (value / population × 10,000), replacing them if present. The population
    is that of the value's year, else of the nearest earlier year (a census figure serves the years
    after it, never the years before); without one, the four columns are null. Row order is kept.
    """
    missing = [column for column in (value_column, code_column, year_column) if column not in values.columns]
    if missing:
        raise ValueError(f"values has no column {', '.join(map(repr, missing))}; its columns: {', '.join(values.columns)}")
    missing = [column for column in SCHEMA if column not in population.columns]
    if missing:
        raise ValueError(f"population has no column {', '.join(missing)}; expected those of load_population()")

    indexed = values.drop(ADDED_COLUMNS, strict=False).with_row_index("_row")
    candidates = population.select(
        pl.col("adcode").cast(pl.String).alias("_code"),
        pl.col("year").cast(pl.Int32).alias("population_year"),
        pl.col("population_persons").cast(pl.Float64),
        pl.col("source").cast(pl.String).alias("population_source"),
    )
    chosen = (
        indexed.select("_row", pl.col(code_column).cast(pl.String).alias("_code"),
                       pl.col(year_column).cast(pl.Int32).alias("_year"))
        .join(candidates, on="_code", how="inner")
        .filter(pl.col("population_year") <= pl.col("_year"))
        .filter(pl.col("population_year") == pl.col("population_year").max().over("_row"))
        .select("_row", "population_persons", "population_year", "population_source")
    )
    return (
        indexed.join(chosen, on="_row", how="left")
        .sort("_row")
        .drop("_row")
        .with_columns(
            (pl.col(value_column).cast(pl.Float64) / pl.col("population_persons") * 10_000)
            .alias("value_per_10k_residents")
        )
    )


def _stripped(value: str | None) -> str:
    return (value or "").strip()


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _same_place_successors(current: frozenset[str]) -> dict[str, str]:
    """old code → new code, for changes after which the place is the same (name, code or type changed)."""
    successor: dict[str, str] = {}
    for old, new, change in load_changes().select("old_code", "new_code", "change").iter_rows():
        if change in _SAME_PLACE and old != new and old not in current:
            successor.setdefault(old, new)
    return successor


def _follow(code: str, current: frozenset[str], successor: dict[str, str]) -> str:
    """Today's code of a place that only changed name, code or type; other codes as they are."""
    seen = {code}
    while code not in current and code in successor and successor[code] not in seen:
        code = successor[code]
        seen.add(code)
    return code
