"""Figures in plain-text tables whose columns are years.

Reports often sum up the year in a table, and text taken from PDF or Word keeps it as aligned
columns::

    序号  指标名称                          2022年     2021年     增减
     1    县政府常务会议会前学法（次）        12         10         +2

A number in such a row is said by the row's label, counted in the label's bracketed unit, and
covers the year of its column; columns that are not years (增减, 同比) state changes, not levels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Cells are separated by two or more spaces, a tab or a bar.
_CELL = re.compile(r"[^\s|｜]+(?: [^\s|｜]+)*")
_YEAR_HEADER = re.compile(r"^(?P<year>(?:19|20)\d{2})\s*年(?:度)?(?:[（(].{0,6}[)）])?$")
_NUMBER = re.compile(r"^[+\-−]?\d[\d,]*(?:\.\d+)?%?$")
# A change column may say 个百分点 (-1.7个百分点); a cell with no figure holds a dash or a slash.
_CHANGE = re.compile(r"^[+\-−]\d[\d,]*(?:\.\d+)?(?:%|个?百分点)$")
_NO_FIGURE = re.compile(r"^(?:[—–\-－/／]{1,2}|无)$")
_UNIT_IN_LABEL = re.compile(r"[（(](?P<unit>[^（）()]{1,4})[)）]\s*$")
_ROW_NUMBER = re.compile(r"^\d{1,3}[.、]?$")
# The end of a year heading and a cell break: 年, 度 or a closing bracket, then two spaces, a tab or a bar.
_HEADING_END = re.compile(r"[年度)）](?:[ \t]{2}|\t|[|｜])")
# A year heading followed by a cell break, wherever it stands in a line.
_YEAR_HEADING_CELL = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?(?:[（(][^)）\n]{0,6}[)）])?(?:[ \t]{2,}|\t|[|｜])")


@dataclass(frozen=True)
class YearCell:
    """One number of a year column, with the row that says what it counts."""

    start: int  # offsets of the number in the text
    end: int
    year: int
    label: str  # the row's label without its unit: 县政府常务会议会前学法
    unit: str  # the label's bracketed unit (次, 件, %), "" when it gives none
    row_start: int
    row_end: int


def year_cells(text: str) -> list[YearCell]:
    """Every number under a year heading in the text's aligned tables, in text order."""
    if _HEADING_END.search(text) is None or _YEAR_HEADING_CELL.search(text) is None:
        return []  # most texts hold no such table: a scan for a cell break after 年 says so quickly
    cells: list[YearCell] = []
    header: list[tuple[str, int]] | None = None
    offset = 0
    for line in text.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        parts = [(m.group(), line_start + m.start()) for m in _CELL.finditer(line)]
        if not parts:
            header = None
            continue
        if len(parts) >= 3 and sum(bool(_YEAR_HEADER.match(p)) for p, _ in parts) >= 1 and not any(
            _NUMBER.match(p) for p, _ in parts
        ):
            header = parts
            continue
        if header is None:
            continue
        row = _row_cells(parts, header, line_start, line_start + len(line))
        if row is None:
            header = None  # the table has ended
            continue
        cells.extend(row)
    return cells


def _row_cells(
    parts: list[tuple[str, int]], header: list[tuple[str, int]], row_start: int, row_end: int
) -> list[YearCell] | None:
    """The year cells of one row: its numbers are matched to the headings from the right."""
    numbers = 0  # the cells of the row's figures, from the right
    while numbers < len(parts) and _is_figure_cell(parts[len(parts) - 1 - numbers][0]):
        numbers += 1
    labels = [p for p, _ in parts[: len(parts) - numbers] if not _ROW_NUMBER.match(p)]
    if not numbers or not labels or numbers >= len(header):
        return None
    label = labels[-1]
    unit = _UNIT_IN_LABEL.search(label)
    found = []
    for (value, start), (heading, _) in zip(parts[len(parts) - numbers :], header[len(header) - numbers :]):
        year = _YEAR_HEADER.match(heading)
        if year is None or not _NUMBER.match(value) or value.startswith(("+", "-", "−")):
            continue
        found.append(YearCell(
            start, start + len(value), int(year.group("year")),
            label[: unit.start()] if unit else label, unit.group("unit") if unit else "",
            row_start, row_end,
        ))  # fmt: skip
    return found


def _is_figure_cell(cell: str) -> bool:
    """A number, a change, or the dash of a year without a figure: cells that keep the columns aligned."""
    return bool(_NUMBER.match(cell) or _CHANGE.match(cell) or _NO_FIGURE.match(cell))
