"""Figures in plain-text tables: columns or rows of years (a plan's years of results and of goals), and items.

Reports often sum up the year in a table, and text taken from PDF, Word or a web page keeps it as
aligned columns, tab-separated cells or bars::

    序号  指标名称                          2022年     2021年     增减
     1    县政府常务会议会前学法（次）        12         10         +2

A number in such a row is said by the row's label, counted in the label's bracketed unit, and
covers the year of its column; columns that are not years (增减, 同比) state changes, not levels.
A table may also run the other way, a row per year under a heading per item::

    表1  行政复议案件办理情况（单位：件）
    年度     收到申请   受理   审结   纠错率
    2022年   198        181    176    15.3%
    同比增减 +28.6%     …

Then a number is said by its column's heading and covers the year of its row; its unit is the
heading's, else the caption's (单位：件), else % when the cell says so. A statistics bulletin heads
its columns by item and gives one row of figures, or a row per field closed by the total::

    表2  2023年市政府行政复议案件办理情况（单位：件）
    收到申请  受理  不予受理  审结
    1687      1562   97       1498

    领域        行政许可(件)   行政处罚(件)
    市场监管       86412          9873
    合计          166109         32242

Then the one row, or the total's row, holds the whole's figures, for the caption's year or, when it
names none, the period the text reports on; the rows of fields are parts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .normalize import PAGE_NUMBER

# Cells are separated by two or more spaces, a tab or a bar (|, ｜, or the box-drawing │).
_CELL = re.compile(r"[^\s|｜│┃]+(?: [^\s|｜│┃]+)*")
# A plan's table heads its columns 2023年基数, 2024年目标: the role says whether a column holds results or goals.
_ROLES = r"基数|基期值|基期|实际值|实际|完成值|完成|目标值|目标|计划值|计划|预期值|预期"
_GOAL_ROLES = ("目标", "目标值", "计划", "计划值", "预期", "预期值")
_YEAR_HEADER = re.compile(r"^(?P<year>(?:19|20)\d{2})\s*年(?:度)?(?P<role>" + _ROLES + r")?(?:[（(].{0,6}[)）])?$")
# A report's annex of the year's indicators heads its columns by role alone (指标 | 目标值 | 完成值 | 完成情况):
# the columns are of the year the report covers.
_VALUE_ROLES = r"基期值|实际值|完成值|目标值|计划值|预期值"
_COLUMN_HEADER = re.compile(
    r"^(?:(?P<year>(?:19|20)\d{2})\s*年(?:度)?(?P<role>" + _ROLES + r")?|(?P<value_role>" + _VALUE_ROLES + r"))(?:[（(].{0,6}[)）])?$"
)
_VALUE_ROLE_CELL = re.compile(r"(?:" + _VALUE_ROLES + r")(?:[ \t]{2,}|\t|[ \t]?[|｜│┃])")
# A figure, or a goal's bound as a plan's table writes it (≥12, ≤5%, 95%以上, 7%以下), with the
# measure word a cell may add (≥60学时, ≥800卷); recognized text may split its digits (3 6 8).
_NUMBER = re.compile(
    r"^(?P<bound>[≥≤])?(?P<figure>[+\-−]?\d(?:[\d,]| (?=\d))*(?:\.\d+)?%?)(?P<unit>学时|人次|件次|卷|件|次|人|名|项|期|分|个|条)?"
    r"(?P<after>以上|以下|以内)?$"
)
_BOUNDS = {"≥": "ge", "≤": "le", "以上": "ge", "以下": "le", "以内": "le"}
# A page number on a line of its own, as text taken from PDF keeps it: — 2 —, 第 2 页 共 9 页, 2/9.
_PAGE_NUMBER = re.compile(r"^\s*" + PAGE_NUMBER + r"\s*$")
# A change column may say 个百分点 (-1.7个百分点); a cell with no figure holds a dash, a slash or 持平.
_CHANGE = re.compile(
    r"^(?:[+\-−]\d[\d,]*(?:\.\d+)?(?:%|个?百分点)|(?:增长|下降|提高|降低|增加|减少|上升)\d[\d,]*(?:\.\d+)?(?:%|个?百分点)?)$"
)  # or in words: 增长13.2%, 提高1.9个百分点
_NO_FIGURE = re.compile(r"^(?:[—–\-－/／]{1,2}|无|持平)$")
_UNIT_IN_LABEL = re.compile(r"[（(](?P<unit>[^（）()]{1,4})[)）]\s*$")
_ROW_NUMBER = re.compile(r"^\d{1,3}[.、]?$")
# The line under a Markdown table's heading (|---|---|), as web pages' tables come out as text, and
# the rules of a table drawn with box-drawing characters (┌──┬──┐, ├──┼──┤).
_RULE_LINE = re.compile(r"^[\s|｜:：\-—–─━┌┐└┘├┤┬┴┼╋│┃]*[-─━][\s|｜:：\-—–─━┌┐└┘├┤┬┴┼╋│┃]*$")
_CAPTION_UNIT = re.compile(r"单位\s*[:：]\s*(?P<unit>[^\s)）,，;；]{1,3})")
# The end of a year heading and a cell break: 年, 度 or a closing bracket, then two spaces, a tab or
# a bar (with the space a Markdown table puts before it).
_HEADING_END = re.compile(r"(?:[年度)）]|" + _ROLES + r")(?:[ \t]{2}|\t|[ \t]?[|｜│┃])")
# A year heading followed by a cell break, wherever it stands in a line.
_YEAR_HEADING_CELL = re.compile(
    r"(?:19|20)\d{2}\s*年(?:度)?(?:" + _ROLES + r")?(?:[（(][^)）\n]{0,6}[)）])?(?:[ \t]{2,}|\t|[ \t]?[|｜│┃])"
)


# A table whose rows are years may head its first column 年份 and write the years bare (2022 | 334 | …).
_YEAR_COLUMN_HEADING = re.compile(r"(?:年份|年度)(?:[ \t]{2,}|\t|[ \t]?[|｜│┃])")
_BARE_YEAR = re.compile(r"^(?P<year>(?:19|20)\d{2})$")
# A table headed by items: a total's row, or a row of three figures or more and nothing else.
_TOTAL_ROW = re.compile(r"(?:合计|总计)(?:[ \t]{2,}|\t|[ \t]?[|｜│┃])")
_FIGURES_ROW = re.compile(r"\n[ \t]*\d[\d,.]*%?(?:[ \t]{2,}|\t)\d[\d,.]*%?(?:[ \t]{2,}|\t)\d")  # opens with a literal: a fast scan
_TOTAL_ROW_LABEL = re.compile(r"^(?:合计|总计|全市|全县|全区|全省)$")
_CAPTION_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class YearCell:
    """One number of a year column, with the row that says what it counts."""

    start: int  # offsets of the number in the text
    end: int
    year: int | None  # None: the period the text reports on (a bulletin's table of the year's totals)
    label: str  # the row's label without its unit: 县政府常务会议会前学法
    unit: str  # the label's bracketed unit (次, 件, %), "" when it gives none
    row_start: int
    row_end: int
    labels_before: str = ""  # the labels of the table's earlier rows or columns, which name its area of work
    goal: bool = False  # a column of goals (2024年目标), not of results
    qualifier: str = "eq"  # ge or le for a goal written as a bound (≥12)


def year_cells(text: str) -> list[YearCell]:
    """Every number under a year heading, in a year's row, or in the one row or the total's row of a
    table of items, of the text's tables, in text order."""
    if not _may_hold_a_table(text):
        return []
    cells: list[YearCell] = []
    header: list[tuple[str, int]] | None = None  # the headings of a table whose columns are years
    items: list[tuple[str, int]] | None = None  # the headings of a table whose rows are years, or of items
    year_rows = False  # whether the table of items read so far has rows of years
    labels_above: list[str] = []  # the labels of the rows read so far in a table whose columns are years
    caption_unit = ""  # the unit the line before named (表1 …（单位：件）)
    table_unit = ""  # the unit the caption of the table being read named
    captions: list[str] = []  # the last short lines, which may caption the next table (表1 …行政复议收结案情况)
    table_caption = ""
    blank = turning_page = False  # a blank line inside a table, and a page break (a page number) after it
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def cells_of(index: int) -> list[tuple[str, int]]:
        return [(m.group(), starts[index] + m.start()) for m in _CELL.finditer(lines[index])] if index < len(lines) else []

    consumed = -1  # the last line a wrapped row or heading took in with the line before it
    header_line = -2  # the line of the last heading of year columns
    for index, line in enumerate(lines):
        if index <= consumed:
            continue
        line_start = starts[index]
        if _RULE_LINE.match(line):
            continue  # a table's rules, above, inside or below it
        parts = cells_of(index)
        if header is not None and index == header_line + 1 and parts and all(_YEAR_HEADER.match(p) for p, _ in parts):
            header = header + parts  # a heading wrapped by the page's width: …2021年 / 2022年  2023年
            header_line = index
            continue
        if header is not None and not labels_above and _subheadings_of_a_year(parts, header):
            header = header + parts[1:]  # | 类别 | 项目 | 2022年 | / | 数值 | 较上年增减 |: the year's figures, then a change
            continue
        if header is not None and parts:
            parts, consumed = _unwrapped_row(parts, index, cells_of, header)
            line = text[line_start : starts[consumed + 1] - 1] if consumed > index else line
        in_table = header is not None or items is not None
        if not parts:
            blank = in_table
            continue
        if in_table and _PAGE_NUMBER.match(line):
            turning_page = True  # a table that runs on over a page break: — 2 —, then the running title
            continue
        if turning_page and len(parts) == 1:
            continue
        if blank and not turning_page:
            header = items = None  # a blank line ended the table
        blank = turning_page = False
        if len(parts) >= 3 and not any(_NUMBER.match(p) for p, _ in parts):
            if sum(bool(_COLUMN_HEADER.match(p)) for p, _ in parts) >= 1:
                header, items, labels_above, header_line = parts, None, [], index
            else:
                header, items, year_rows = None, parts, False
            table_unit, table_caption = caption_unit, " ".join(captions)
            continue
        if items is not None:
            row = _year_row_cells(
                parts, items, table_unit, line_start, line_start + len(line), table_caption, totals=not year_rows
            )
            if row is None:
                items = None
            year_rows = year_rows or any(cell.year is not None for cell in row or ())
            cells.extend(row or ())
        elif header is not None:
            row = _row_cells(
                parts, header, table_unit, line_start, line_start + len(line), " ".join([table_caption, *labels_above])
            )
            if row is None:
                header = None  # the table has ended
                continue
            cells.extend(row)
            labels_above.extend(cell.label for cell in row[:1])
        unit = _CAPTION_UNIT.search(line)
        caption_unit = unit.group("unit") if unit and len(parts) <= 2 else ""
        captions = [*captions[-1:], line] if len(parts) <= 2 else []
    return cells


def _subheadings_of_a_year(parts: list[tuple[str, int]], header: list[tuple[str, int]]) -> bool:
    """Whether a row of words under a heading whose last column is its one year divides that year's
    column (数值 | 较上年增减, a web table's merged cell): the first is the year's figures."""
    return (
        len(parts) >= 2 and all(len(p) <= _LONGEST_SUBHEADING and not _is_figure_cell(p) for p, _ in parts)
        and _YEAR_HEADER.match(header[-1][0]) is not None and sum(bool(_YEAR_HEADER.match(h)) for h, _ in header) == 1
    )


_LONGEST_SUBHEADING = 6


def _may_hold_a_table(text: str) -> bool:
    """Most texts hold no table: the cheapest scans first (a year heading's cell, a figure's row) say so."""
    years = (
        _YEAR_HEADING_CELL.search(text) or _YEAR_COLUMN_HEADING.search(text) or ("值" in text and _VALUE_ROLE_CELL.search(text))
    ) and _HEADING_END.search(text)
    items = (("合计" in text or "总计" in text) and _TOTAL_ROW.search(text)) or _FIGURES_ROW.search(text)
    return bool(years or items)


def _unwrapped_row(
    parts: list[tuple[str, int]], index: int, cells_of: Callable[[int], list[tuple[str, int]]],
    header: list[tuple[str, int]],
) -> tuple[list[tuple[str, int]], int]:
    """A row of a table of year columns that text taken from PDF wrapped over lines, joined again, and
    the last line it took: a label in two pieces (行政复议综合纠错 / 率（%）  13.2  12.8 …), and figures
    running on to the next line (…  10.9 / 10.37). Lines are joined only while the row has fewer cells
    than the heading, so a whole row is never joined to the next."""
    last = index
    if len(parts) == 1 and not _is_figure_cell(parts[0][0]) and len(parts[0][0]) <= _LONGEST_LABEL_PIECE:
        following = cells_of(index + 1)
        if len(following) >= 2 and not _is_figure_cell(following[0][0]) and _is_figure_cell(following[1][0]):
            parts = [(parts[0][0] + following[0][0], parts[0][1]), *following[1:]]
            last = index + 1
    while 2 <= len(parts) < len(header) and _is_figure_cell(parts[-1][0]):
        following = cells_of(last + 1)
        if not following or not all(_is_figure_cell(p) for p, _ in following) or len(parts) + len(following) > len(header):
            break
        parts, last = parts + following, last + 1
    return parts, last


_LONGEST_LABEL_PIECE = 16  # characters of a row label's first line


def _year_row_cells(
    parts: list[tuple[str, int]], items: list[tuple[str, int]], caption_unit: str, row_start: int, row_end: int,
    caption: str, totals: bool = True,
) -> list[YearCell] | None:
    """The cells of a year's row under item headings, or of a table's one row of figures or its
    total's row (not when totals is False: the total of rows of years spans them all); [] for a row
    of changes (同比增减) or of one field; None when the table has ended. Cells are matched to headings
    one to one, so a row must fill them all."""
    if len(parts) != len(items) or not all(_is_figure_cell(p) for p, _ in parts[1:]):
        return None
    year = _YEAR_HEADER.match(parts[0][0])
    if year is None and items[0][0] in ("年份", "年度"):
        year = _BARE_YEAR.match(parts[0][0])
    first = 1  # the first column of figures
    total = _TOTAL_ROW_LABEL.match(parts[0][0]) is not None
    if year is not None:
        row_year: int | None = int(year.group("year"))
    elif totals and "信息公开" not in caption and (
        total or (_is_figure_cell(parts[0][0]) and not _YEAR_HEADER.match(items[0][0]))
    ):  # not the tables of a 政府信息公开 report, whose 行政复议 row counts reviews of its own replies
        captioned = set(_CAPTION_YEAR.findall(caption))  # 表2  2023年…办理情况: the caption's one year
        row_year = int(captioned.pop()) if len(captioned) == 1 else None
        first = 1 if total else 0
    else:
        return []  # a row of one field, or a change's: a part, or no level
    found = []
    for index, ((value, start), (heading, _)) in enumerate(zip(parts[first:], items[first:]), start=first):
        number = _NUMBER.match(value)
        if number is None or value.startswith(("+", "-", "−")):
            continue
        found.append(YearCell(
            start + number.start("figure"), start + number.end("figure"), row_year,
            *_label_and_unit(heading, number.group("figure"), number.group("unit") or caption_unit),
            row_start, row_end, " ".join([caption, *(h for h, _ in items[1:index])]),
        ))  # fmt: skip
    return found


def _row_cells(
    parts: list[tuple[str, int]], header: list[tuple[str, int]], table_unit: str, row_start: int, row_end: int,
    labels_before: str,
) -> list[YearCell] | None:
    """The year cells of one row: its numbers are matched to the headings from the right, after any
    columns of words that close both (指标属性: 约束性, 责任单位). A row may have more cells than its
    heading, whose first cells a single space joins (序号　指标名称)."""
    while (
        len(parts) >= len(header) > 2 and not _COLUMN_HEADER.match(header[-1][0])
        and not _is_figure_cell(parts[-1][0])
    ):
        parts, header = parts[:-1], header[:-1]
    numbers = 0  # the cells of the row's figures, from the right
    while numbers < len(parts) and _is_figure_cell(parts[len(parts) - 1 - numbers][0]):
        numbers += 1
    labels = [p for p, _ in parts[: len(parts) - numbers] if not _ROW_NUMBER.match(p)]
    if not numbers or not labels or numbers >= len(header):
        return None
    label = labels[-1]
    labels_before = " ".join([labels_before, *labels[:-1]])  # | 行政应诉 | 败诉（件） |: the row's category too
    found = []
    for (value, start), (heading, _) in zip(parts[len(parts) - numbers :], header[len(header) - numbers :]):
        column = _COLUMN_HEADER.match(heading)
        number = _NUMBER.match(value)
        if column is None or number is None or value.lstrip("≥≤").startswith(("+", "-", "−")):
            continue
        bound = number.group("bound") or number.group("after") or ""
        role = column.group("role") or column.group("value_role")
        found.append(YearCell(
            start + number.start("figure"), start + number.end("figure"),
            int(column.group("year")) if column.group("year") else None,
            *_label_and_unit(label, number.group("figure"), number.group("unit") or table_unit),
            row_start, row_end, labels_before, role in _GOAL_ROLES, _BOUNDS.get(bound, "eq"),
        ))  # fmt: skip
    return found


def _label_and_unit(label: str, value: str, table_unit: str) -> tuple[str, str]:
    """The label without its bracketed unit, and the unit: the label's (学时/人 counts in 学时), else %
    when the cell says so, else the cell's or the table's (table_unit)."""
    unit = _UNIT_IN_LABEL.search(label)
    if unit:
        return label[: unit.start()], unit.group("unit").split("/", 1)[0]
    return label, "%" if value.endswith("%") else table_unit


def _is_figure_cell(cell: str) -> bool:
    """A number, a change, or the dash of a year without a figure: cells that keep the columns aligned."""
    return bool(_NUMBER.match(cell) or _CHANGE.match(cell) or _NO_FIGURE.match(cell))
