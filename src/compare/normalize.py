"""A normalized view of a text that keeps every character at its offset.

Reports mix full-width and half-width digits and punctuation. Matching works on the
normalized view, while offsets and evidence still point into the text as read, which is
why every replacement here is one character for one character.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

from .literals import scan

# The full-width comma stays: made ASCII it would read as a thousands separator (11，2021年).
_FULL_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if c != 0xFF0C}
_ONE_FOR_ONE = {
    **_FULL_WIDTH,
    "\u3000": " ",  # ideographic space
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u200b": " ",  # zero-width space, kept as a character so offsets stay aligned
    "\ufeff": " ",
    "\u2014": "—",
    "\u2015": "—",
    "\u2013": "–",
    "\uff5e": "~",
    "\u301c": "~",
    "\u3001": "、",
    "\uff0e": ".",
    "\u00b7": "·",
}
# Only the characters that change: a few dozen in a report, found by one scan of a character class.
_CHANGES = {old: new for old, new in _ONE_FOR_ONE.items() if old != new}
_TO_CHANGE = re.compile("[" + "".join(map(re.escape, _CHANGES)) + "]")


@lru_cache(maxsize=16)
def normalize_width(text: str) -> str:
    """Full-width letters, digits and punctuation to ASCII; same length as the input.

    A substitution rather than str.translate, which looks up every character of a Chinese text
    in its table and is several times slower here. Cached: the stages of one document each ask
    for the same text's view, and a str caches its own hash, so a repeated call costs a
    dictionary look-up instead of a pass over the text.
    """
    return _TO_CHANGE.sub(_changed, text)


def _changed(match: re.Match[str]) -> str:
    return _CHANGES[match.group()]


_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
           "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
           "九": 9, "玖": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join([*_DIGITS, *_SMALL_UNITS, *_BIG_UNITS, "点"])


def parse_chinese_integer(text: str) -> int:
    """一千二百 → 1200, 十二 → 12, 二〇二一 → 2021 (digit by digit when no unit appears)."""
    if not text:
        raise ValueError("empty numeral")
    if all(ch in _DIGITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        elif ch in _BIG_UNITS:
            section += digit or 0
            total = (total + section) * _BIG_UNITS[ch] if _BIG_UNITS[ch] > total else total + section * _BIG_UNITS[ch]
            section, digit = 0, None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + (digit or 0)


def parse_chinese_number(text: str) -> float:
    """Chinese numerals with an optional decimal part: 十二点五 → 12.5."""
    whole, _, fraction = text.partition("点")
    value = float(parse_chinese_integer(whole)) if whole else 0.0
    if fraction:
        if not all(ch in _DIGITS for ch in fraction):
            raise ValueError(f"not a decimal fraction: {text!r}")
        value += float("0." + "".join(str(_DIGITS[ch]) for ch in fraction))
    return value


_ARABIC = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


def parse_number(text: str) -> float:
    """Arabic (with thousands separators) or Chinese numerals; full-width digits allowed."""
    text = normalize_width(text).strip()
    if _ARABIC.match(text):
        return float(text.replace(",", ""))
    return parse_chinese_number(text)


class ReadingView:
    """The text as the reader matches it, with every character's offset in the text as read.

    Damage that breaks phrases apart is taken out of the view, never out of the text: HTML tags
    and entities left in a page's text, spaces inside Chinese (letter-spaced PDF text), line
    breaks that cut a number from its words, and spam pasted into sentences. Facts still point at
    the original characters through ``raw_of``. The view is kept as runs of the original so that
    building it costs a few operations per cut, not per character. The view of one column of a
    page in two columns keeps the other column ``apart``: it is neither read nor quoted.
    """

    def __init__(self, norm: str, cuts: list[tuple[int, int]], apart: list[tuple[int, int]] | None = None):
        self._apart = _merged(apart or [])  # another column's spans, which no evidence quotes
        pieces, self._view_starts, self._raw_starts = [], [], []
        position = length = 0
        for start, end in _merged(cuts):
            if start > position:
                self._view_starts.append(length)
                self._raw_starts.append(position)
                pieces.append(norm[position:start])
                length += start - position
            position = max(position, end)
        self._view_starts.append(length)
        self._raw_starts.append(position)
        pieces.append(norm[position:])
        self.text = "".join(pieces)
        self._raw_length = len(norm)

    def raw_of(self, i: int) -> int:
        """Offset in the original of view character i (len(view) maps to the original's end)."""
        if i >= len(self.text):
            return self._raw_length
        k = bisect.bisect_right(self._view_starts, i) - 1
        return self._raw_starts[k] + i - self._view_starts[k]

    def view_of(self, raw: int) -> int:
        """The first view character at or after an original offset."""
        k = bisect.bisect_right(self._raw_starts, raw) - 1
        if k < 0:
            return 0
        offset = raw - self._raw_starts[k]
        next_view = self._view_starts[k + 1] if k + 1 < len(self._view_starts) else len(self.text)
        return min(self._view_starts[k] + offset, next_view)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering view characters start..end."""
        if end <= start:
            return self.raw_of(start), self.raw_of(start)
        return self.raw_of(start), self.raw_of(end - 1) + 1

    def raw_text(self, raw: str, start: int, end: int) -> str:
        """The original text of view characters start..end, as written (with the damage the view
        leaves out) but without the other column of a page in two columns."""
        raw_start, raw_end = self.raw_span(start, end)
        pieces, position = [], raw_start
        for apart_start, apart_end in self._apart:
            if apart_end <= position or apart_start >= raw_end:
                continue
            pieces.append(raw[position:apart_start])
            position = apart_end
        pieces.append(raw[position:raw_end])
        return "".join(pieces)


def _merged(cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(cuts):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


_HTML_DEBRIS = re.compile(r"<[a-zA-Z/!][^<>\n]{0,300}>|&(?:nbsp|ensp|emsp|amp|lt|gt|quot|#\d{1,5});")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACES = re.compile(r"[ \t\u00a0]+")
_CJK_CHAR = re.compile(rf"[{_CJK}%]")
_LINE_BREAKS = re.compile(r"[ \t\u3000]*\n[ \t\n\u3000]*")
_ENDS_SENTENCE = "。！？!?；;：:）)」』”>"
_HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十]+(?:章|节|部分|篇|条|、)"
    r"|\d+[、.](?!\d)|[■●◆□【★☆▲△◇◎※])"
)  # not 第一责任人
# Page furniture of text taken from PDF: page numbers (— 3 —, 第 3 页 共 9 页, 3/9) on lines of their own.
PAGE_NUMBER = r"(?:[—–\-－]\s*\d{1,4}\s*[—–\-－]|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})"
_PAGE_NUMBER_LINE = re.compile(  # the line after a line break (a literal start: the scan is fast)
    r"\n(?P<line>[ \t\u3000]*" + PAGE_NUMBER + r"[ \t\u3000]*\n(?:[ \t\u3000\f]*\n)*)"  # with the blank lines (and page feeds) after it
)


_LONGEST_HEADING = 25  # characters
# cells set apart by tabs, or a row drawn with bars (| 2022 | 334 |, or 2022 | 334 | 187 without the outer ones)
_TABLE_ROW = re.compile(r"[^\n\t]*\t|[ \u3000]*[|｜│┃]|[^\n|｜│┃]*[ \u3000][|｜│┃][ \u3000]")


# cells aligned by wide gaps: （件）  612  655  701  688 (two gaps or more)
_ALIGNED_CELLS = re.compile(r"\S {2,}\S+ {2,}\S")
_LABEL_LINE = re.compile(r"[^，。；,;：:\n]{1,30}[：:]\s*\d[\d,.]*\s*[^\d，。；,;\s]{0,4}$")


def _broken_lines(text: str) -> list[tuple[int, int]]:
    """Line breaks that cut a sentence apart, as PDF and web text often has them.

    A break goes when the line before it does not end a sentence, neither line starts like a
    heading (一、 （二） 3. ■) and neither is a table row; a short heading without a marker then runs into its paragraph, which
    only gives the paragraph its subject.
    """
    cuts = []
    line_start = 0
    for match in _LINE_BREAKS.finditer(text):
        line = text[line_start : match.start()].strip()
        line_start = match.end()
        if not line or match.end() >= len(text) or line[-1] in _ENDS_SENTENCE:
            continue
        if _TABLE_ROW.match(line) or _TABLE_ROW.match(text, match.end()) or _ALIGNED_CELLS.search(line):
            continue  # rows of a table (cells set apart by tabs, bars or wide gaps) are lines of their own
        if _LABEL_LINE.match(line):
            continue  # so are items written as a label and a figure (会前学法：14次)
        rest = text[match.end() : match.end() + 12]
        if _HEADING_START.match(rest) or (_HEADING_START.match(line) and len(line) <= _LONGEST_HEADING and "。" not in line):
            continue  # a longer line that opens with 一、, or one that runs on after its heading's 。, is the first line of a wrapped paragraph
        number_cut = line[-1].isdigit() or rest[0].isdigit() or rest[0] in "%，,、"
        if number_cut or len(line) >= 4:
            cuts.append(match.span())
    return cuts


def reading_view(
    text: str, noise: tuple[re.Pattern[str], ...] = (), inner_characters: Mapping[tuple[str, str], str] | None = None,
) -> ReadingView:
    """The view of the text's main column (see ``reading_views``)."""
    return reading_views(text, noise, inner_characters)[0]


def reading_views(
    text: str, noise: tuple[re.Pattern[str], ...] = (), inner_characters: Mapping[tuple[str, str], str] | None = None,
) -> tuple[ReadingView, ReadingView | None]:
    """Width-normalize, restore a character lost inside a known term (败\ufffd率 with 败?率 → 诉 among
    ``inner_characters``), then take debris, page furniture, loose spaces, broken lines and spam
    out of the view.

    Pages laid out in two columns, as text taken from PDF with its layout keeps them (the main
    text, a wide gap, a box of figures on the same lines), give two views: the main text without
    the box, and the box on its own. The second is None when the text has no such column."""
    norm = _normalized(text, inner_characters)
    sides = _side_columns(norm)
    if not sides:
        return ReadingView(norm, _damage(norm, text, noise)), None
    others, position = [], 0
    for _, start, line_end in sides:
        others.append((position, start))
        position = min(len(norm), line_end + 1)  # each line of the box keeps its line break
    others.append((position, len(norm)))
    main = _view_of_column(norm, text, noise, [(gap, line_end) for gap, _, line_end in sides])
    return main, _view_of_column(norm, text, noise, others)


def normalized_characters(text: str) -> str:
    """The text width-normalized, with letters recognized for digits inside numbers read as digits; same
    length as the input, so offsets carry over. Tables are read from it, as the reading view is."""
    return restore_misread_digits(normalize_width(text))


def _normalized(text: str, inner_characters: Mapping[tuple[str, str], str] | None) -> str:
    norm = normalized_characters(text)
    if inner_characters and "\ufffd" in norm:
        norm = _restored(norm, inner_characters)
    return norm


@lru_cache(maxsize=16)
def restore_misread_digits(text: str) -> str:
    """Letters that text recognition reads for digits inside a number (2l件, l5次, 2O6项, 1.l万件, 参考l 426人次)
    as the digits they stand for; same length as the input.

    Only a letter in a run of digits, separators and such letters (single spaces inside it too) that
    holds a digit and touches no other Latin letter is changed: ICP, 5G and 10MB stay as written."""
    if not any(letter in text for letter in _MISREAD):
        return text
    chars = list(text)
    for match in _MISREAD_LETTER.finditer(text):
        start, end = _digit_run(text, match.start())
        run = text[start:end]
        if any(c.isdigit() for c in run) and not _latin(text, start - 1) and not _latin(text, end):
            for i in range(start, end):
                chars[i] = _MISREAD.get(chars[i], chars[i])
    return "".join(chars)


_MISREAD = {"l": "1", "I": "1", "O": "0"}
_MISREAD_LETTER = re.compile("[lIO]")
_DIGIT_LIKE = frozenset("0123456789lIO.,")


def _digit_run(text: str, position: int) -> tuple[int, int]:
    """The run of digit-like characters around position, with single spaces between two of them."""
    start = end = position
    while start > 0 and (
        text[start - 1] in _DIGIT_LIKE or (text[start - 1] == " " and start > 1 and text[start - 2] in _DIGIT_LIKE)
    ):
        start -= 1
    while end < len(text) and (
        text[end] in _DIGIT_LIKE or (text[end] == " " and end + 1 < len(text) and text[end + 1] in _DIGIT_LIKE)
    ):
        end += 1
    return start, end


def _latin(text: str, position: int) -> bool:
    return 0 <= position < len(text) and text[position].isascii() and text[position].isalpha()


def _damage(norm: str, raw: str, noise: tuple[re.Pattern[str], ...]) -> list[tuple[int, int]]:
    """What the view leaves out of a text whose lines are lines of one column."""
    cuts = [m.span() for pattern in (_HTML_DEBRIS, _FIGURE_BRACKETS, *noise) for m in scan(pattern, norm)]
    return cuts + _page_furniture(norm) + _loose_spaces(norm, raw) + _broken_lines(norm)


# 会前学法【9】次, 备案率【百分之百】: a figure set off in brackets for emphasis, as posts write them
_FIGURE_CHARS = r"\d一二三四五六七八九十百千万亿零〇两.,%余多分之点"
_FIGURE_BRACKETS = re.compile(rf"【(?=[{_FIGURE_CHARS}]{{1,12}}】)|(?<=[{_FIGURE_CHARS}])】")


def _view_of_column(
    norm: str, raw: str, noise: tuple[re.Pattern[str], ...], other_column: list[tuple[int, int]],
) -> ReadingView:
    """The view of one column: the other column goes first, so that the damage is judged on the
    column's own lines (a line broken in the main text runs on into its next line, not into the box
    beside it), then the damage goes, mapped back to the text."""
    column = ReadingView(norm, other_column)
    column_raw = ReadingView(raw, other_column).text
    damage = [
        (column.raw_of(start), column.raw_of(end - 1) + 1) for start, end in _damage(column.text, column_raw, noise) if end > start
    ]
    return ReadingView(norm, other_column + damage, apart=other_column)


# A side column: a line of the main text (six Chinese characters or more, no wide gap inside), a
# gap of four spaces or more, then the column's line (two Chinese characters or more, no such gap).
# Lines of a table have several wide gaps; a table of labels and bare figures has no words beside.
_WIDE_GAP = re.compile(r"(?<=\S) {4,}(?=\S)")
_SIDE_COLUMN_LINES = 3  # fewer lines in a row are a date or a signature set apart, not a column


def _side_columns(norm: str) -> list[tuple[int, int, int]]:
    """(gap start, side column start, line end) of every line of a page laid out in two columns."""
    if "    " not in norm:
        return []  # most texts have no wide gap at all
    sides: list[tuple[int, int, int]] = []
    run: list[tuple[int, int, int]] = []
    offset = 0
    for line in norm.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        gaps = list(_WIDE_GAP.finditer(line)) if "    " in line else []
        if len(gaps) == 1 and _chinese_count(line, 0, gaps[0].start()) >= 6 and _chinese_count(line, gaps[0].end()) >= 2:
            run.append((line_start + gaps[0].start(), line_start + gaps[0].end(), line_start + len(line)))
            continue
        if len(run) >= _SIDE_COLUMN_LINES:
            sides.extend(run)
        run = []
    if len(run) >= _SIDE_COLUMN_LINES:
        sides.extend(run)
    return sides


_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _chinese_count(line: str, start: int, end: int | None = None) -> int:
    return len(_CHINESE.findall(line, start, len(line) if end is None else end))


def _restored(norm: str, inner_characters: Mapping[tuple[str, str], str]) -> str:
    """One for one, so offsets into the view still point at the text as read."""
    chars = list(norm)
    for i in (m.start() for m in re.finditer("\ufffd", norm)):
        if 0 < i < len(norm) - 1:
            chars[i] = inner_characters.get((norm[i - 1], norm[i + 1]), "\ufffd")
    return "".join(chars)


# A report's title as a running header, which a two-page text shows only once: a line that names a
# kind of document and holds no clause.
_RUNNING_TITLE = re.compile(r"[ \t\u3000\f]*[^，。；,;：:\n]{4,48}(?:报告|方案|意见|要点|白皮书|答复|总结)[ \t\u3000]*$")


def _page_furniture(text: str) -> list[tuple[int, int]]:
    """Page-number lines, and a running header after them (the report's title on every page).

    Left in, they would run into the sentence that a page break cut (出台行政规范性 / — 1 — / … / 文件6件).
    """
    numbers = [m.span("line") for m in _page_number_lines(text)]
    if not numbers:
        return []
    cuts = list(numbers)
    lines = Counter(text.split("\n"))
    for _, end in numbers:
        line_end = text.find("\n", end)
        header = text[end : line_end if line_end >= 0 else len(text)]
        repeated = lines[header] >= 2 or _RUNNING_TITLE.match(header) is not None
        if header.strip() and repeated and not _PAGE_NUMBER_LINE.match("\n" + header + "\n"):
            cuts.append((end, line_end + 1 if line_end >= 0 else len(text)))
    return cuts


def _page_number_lines(text: str) -> list[re.Match[str]]:
    """Page-number lines; one after another (— 1 — / 第 1 页 共 3 页) share the line break between them."""
    found, position = [], 0
    while (match := _PAGE_NUMBER_LINE.search(text, position)) is not None:
        found.append(match)
        position = match.end("line") - 1  # the last line break can open the next page-number line
    return found


def _loose_spaces(text: str, raw: str) -> list[tuple[int, int]]:
    """Spaces with a Chinese character or Chinese punctuation on either side carry no meaning; nor
    do single spaces inside a number that stands between Chinese words (处罚案件3 1 42件). A
    full-width space there (信访事项1　3件次) may stand for a lost digit, so it stays.

    ``text`` is the width-normalized ``raw``, character for character."""
    cuts = []
    for match in _SPACES.finditer(text):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if (before and _CJK_CHAR.match(before) and before != "%") or (after and _CJK_CHAR.match(after)):
            cuts.append(match.span())
        elif (
            match.group() == " " and raw[match.start()] == " " and before.isdigit() and after.isdigit()
            and _inside_a_split_number(text, match.start())
        ):
            cuts.append(match.span())
    return cuts


# a number split by single spaces, with Chinese (or a line break) right before it and a Chinese word or
# % right after: in a table, cells stand apart from their labels and from one another
_SPLIT_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff\n])\d+(?:,\d+)*(?: \d+(?:,\d+)*)+(?:\.\d+)?(?=[\u4e00-\u9fff%])")  # 1,0 84件


def _inside_a_split_number(text: str, space: int) -> bool:
    window_start = max(0, space - 24)
    return any(
        m.start() < space < m.end() for m in _SPLIT_NUMBER.finditer(text, window_start, min(len(text), space + 24))
    )
