"""The years a stated number covers, from the words before it.

A single year (2021年) speaks for its own sentence; a range (2015—2019年), a span counted back
(五年来, 五年间) or a start (2019年以来) usually heads a paragraph and speaks for all that follows in it.
Years inside book titles never count: the layout masks them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .literals import scan
from .normalize import parse_chinese_integer
from .text_layout import Layout

# These patterns scan whole texts, so each opens with literals or a character class, or first says
# which characters a match can start with: the regex engine then passes over every other character
# with one test instead of trying the whole pattern there.
_YEAR = r"19\d{2}|20\d{2}|二[〇零○][〇零○一二三四五六七八九]{2}"
_RANGE = re.compile(rf"(?P<a>{_YEAR})\s*年?\s*(?:[—–\-~至到]|——)+\s*(?P<b>{_YEAR})\s*年")
_SINCE = re.compile(rf"(?P<a>{_YEAR})\s*年(?:度)?(?:[^，。；,;\n]{{0,40}}?)以来")
_YEARS_BACK = re.compile(
    r"(?=[一二两三四五六七八九十\d近])"
    r"(?:(?P<n>[一二两三四五六七八九十]|(?<!\d)\d{1,2})\s*年(?:(?:以)?来|间)|近(?P<m>[两三四五六七八九十]|(?<!\d)\d{1,2})\s*年(?!来|以来))"
)
_FIVE_YEAR_PLAN = re.compile(r"(?=[“十])“?(?P<plan>十[一二三四五六]五)”?(?:规划)?(?:期间|时期|以来|期)")
FIVE_YEAR_PLANS = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031}
# 上半年, 一季度, 1—6月: a part of a year, which no period of whole years can state. Two patterns
# whose matches cannot overlap, so that each opens with literals or a character class.
_PARTS_OF_YEAR = (
    re.compile(r"上半年|下半年|一季度|二季度|三季度|四季度|1季度|2季度|3季度|4季度|第[一二三四]季度|前三季度"),
    re.compile(r"\d\d?\s*[—–\-~至]\s*\d{1,2}\s*月"),
)
_PART_YEAR_BEFORE = re.compile(rf"(?:(?P<year>{_YEAR})\s*年(?:度)?|今年|本年度?)$")
_AS_OF_YEAR = re.compile(rf"(?:截至|截止|至|到)(?P<a>{_YEAR})\s*年")
_AS_OF_NOW = re.compile(r"截至目前|截止目前|截至今年|目前|现有|至今|当前")
_RESTATED_WITHIN = 40  # characters after a named span within which 五年间 refers back to it
_LAST_YEAR = re.compile(r"去年|上年(?!度)|上一年")
_THIS_YEAR = re.compile(r"今年|本年度|全年|一年来")
# not a date (2020年11月) or a range, but 其中2020年11次 is the year's count
_SINGLE = re.compile(rf"(?P<a>{_YEAR})\s*(?:年度|年)(?!\s*[—–\-~至到]|\s*\d{{1,2}}\s*月|以来|[^，。；,;\n]{{0,40}}以来)")
# 2015年以来制发的规范性文件: the span describes the documents, not the period of the count
_ATTRIBUTIVE_AFTER = re.compile(r"[^，。；,;\n]{0,4}的")
_COMPARISON_AFTER = re.compile(r"[^，。；,;\n]{0,6}(?:相比|同期|同比|比较|对比)")
_COMPARISON_BEFORE = re.compile(r"(?:与|较|比|同|于|超)$")


def _year_named_before(layout: Layout, position: int) -> bool:
    """Whether the sentence names a single year before position (2022年全年, 2023年，…全年…)."""
    return _SINGLE.search(layout.masked, layout.sentence_span(position)[0], position) is not None


def _year(text: str) -> int:
    return int(text) if text.isdigit() else parse_chinese_integer(text)


@dataclass(frozen=True)
class PeriodCue:
    end: int  # offset just after the cue; the nearest cue before a number wins
    start_year: int | None
    end_year: int | None
    paragraph_wide: bool  # ranges and spans speak for the paragraph, single years for the sentence
    part_of_year: str = ""  # 上半年, 一季度…: the numbers cover only this part of the year


class PeriodIndex:
    """All period cues of one document, with the reference year that relative cues count from."""

    def __init__(self, layout: Layout, reference_year: int | None, last_year: int | None = None):
        """``last_year`` is what 去年 means: the year before the text was written, which for a dated page
        or reply is the year before its date, not before the year it reports on."""
        self.layout = layout
        self.reference_year = reference_year
        last = last_year if last_year is not None else (reference_year - 1 if reference_year is not None else None)
        self.cues = sorted(self._find(layout, reference_year, last), key=lambda c: c.end)
        self._ends = [c.end for c in self.cues]

    @staticmethod
    def _find(layout: Layout, ref: int | None, last: int | None) -> list[PeriodCue]:
        text = layout.masked
        cues = []
        taken: list[tuple[int, int]] = []  # spans already read as a cue, kept sorted

        def free(m: re.Match[str]) -> bool:
            i = bisect.bisect_left(taken, (m.start(), m.start()))
            return all(m.end() <= a or m.start() >= b for a, b in taken[max(0, i - 1) : i + 1])

        def take(span: tuple[int, int]) -> None:
            bisect.insort(taken, span)

        for m in (m for pattern in _PARTS_OF_YEAR for m in scan(pattern, text)):
            named = _PART_YEAR_BEFORE.search(text, max(0, m.start() - 8), m.start())
            year = _year(named.group("year")) if named and named.group("year") else ref
            cues.append(PeriodCue(m.end(), year, year, False, part_of_year=m.group()))
            take((named.start() if named else m.start(), m.end()))
        named_spans = []  # ends of the five-year plans and ranges, which a later 五年间 may restate
        for m in scan(_FIVE_YEAR_PLAN, text):
            first = FIVE_YEAR_PLANS[m.group("plan")]
            last = ref if m.group().endswith("以来") else first + 4
            cues.append(PeriodCue(m.end(), first, last, True))
            take(m.span())
            named_spans.append(m.end())
        for m in scan(_RANGE, text):
            cues.append(PeriodCue(m.end(), _year(m.group("a")), _year(m.group("b")), True))
            take(m.span())
            named_spans.append(m.end())
        for m in scan(_SINCE, text):
            if free(m) and not _ATTRIBUTIVE_AFTER.match(text, m.end()):
                cues.append(PeriodCue(m.end(), _year(m.group("a")), ref, True))
                take(m.span())
        if ref is not None:
            for m in scan(_YEARS_BACK, text):
                n_text = m.group("n") or m.group("m")
                n = int(n_text) if n_text.isdigit() else parse_chinese_integer(n_text)
                if not free(m) or not 0 < n <= 30:
                    continue
                if any(0 <= m.start() - end <= _RESTATED_WITHIN and "。" not in text[end : m.start()] for end in named_spans):
                    take(m.span())  # “十三五”时期，…：五年间… restates the plan's years, not the years before the text
                    continue
                cues.append(PeriodCue(m.end(), ref - n + 1, ref, True))
                take(m.span())
            for m in scan(_AS_OF_NOW, text):
                if free(m):
                    cues.append(PeriodCue(m.end(), ref, ref, True))
                    take(m.span())
            for m in scan(_LAST_YEAR, text):
                if free(m) and not _COMPARISON_BEFORE.search(text[max(0, m.start() - 1) : m.start()]) and not (
                    _COMPARISON_AFTER.match(text, m.end()) or text.startswith("的", m.end())
                ):
                    # 去年为48学时，今年提高到56学时: the year before the text's own
                    cues.append(PeriodCue(m.end(), last, last, False))
                    take(m.span())
            for m in scan(_THIS_YEAR, text):
                if free(m) and not (m.group() == "全年" and _year_named_before(layout, m.start())):
                    # 2022年全年, 2023年，…自治区本级全年清理…: the whole of the year the sentence named, not of the text's own
                    cues.append(PeriodCue(m.end(), ref, ref, False))
                    take(m.span())
        for m in scan(_AS_OF_YEAR, text):
            if free(m):
                year = _year(m.group("a"))
                cues.append(PeriodCue(m.end(), year, year, True))
                take(m.span())
        for m in scan(_SINGLE, text):
            if not free(m):
                continue
            if _COMPARISON_AFTER.match(text, m.end()) or _COMPARISON_BEFORE.search(text[max(0, m.start() - 1) : m.start()]):
                continue
            if text[max(0, m.start() - 1) : m.start()] in ("(", "（"):
                continue  # (2020年结转案件1件): an aside, not the period of what follows
            year = _year(m.group("a"))
            cues.append(PeriodCue(m.end(), year, year, False))
        return cues

    def period_before(self, pos: int) -> tuple[int | None, int | None] | None:
        """The years of the nearest cue before pos that still speaks there, or None."""
        cue = self.cue_before(pos)
        return (cue.start_year, cue.end_year) if cue else None

    def cue_before(self, pos: int, *, same_sentence: bool = False) -> PeriodCue | None:
        """The nearest cue before pos that still speaks there, or None."""
        sentence_start, _ = self.layout.sentence_span(pos)
        paragraph_start, _ = self.layout.paragraph_span(pos)
        i = bisect.bisect_right(self._ends, pos) - 1
        while i >= 0:
            cue = self.cues[i]
            if cue.end < paragraph_start or (same_sentence and cue.end <= sentence_start):
                return None
            if (cue.paragraph_wide or cue.end > sentence_start) and not self._closed_aside(paragraph_start, cue.end, pos):
                return cue
            i -= 1
        return None

    def _closed_aside(self, paragraph_start: int, cue_end: int, pos: int) -> bool:
        """Whether the cue stands in a parenthesis that closes before pos: 审结887件（含2022年结转案件38件），
        其中维持395件 — the year of the aside does not date what follows it."""
        text = self.layout.masked
        opened = max(text.rfind("(", paragraph_start, cue_end), text.rfind("（", paragraph_start, cue_end))
        if opened < 0 or max(text.rfind(")", opened, cue_end), text.rfind("）", opened, cue_end)) >= 0:
            return False
        return max(text.find(")", cue_end, pos), text.find("）", cue_end, pos)) >= 0

