"""Quantities as written: a number, its scale (万/亿), 余/多, and the measure word that says what it counts.

Every mention keeps its span in the text so that a fact can point at the characters it came from.
Arabic digits, thousands separators, decimals, full-width digits (via the normalized view),
Chinese numerals and 百分之 are all read here, in one place.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .normalize import CHINESE_NUMERAL_CHARS, parse_number

# Thousands separated by a comma, or by the full-width comma a Chinese keyboard types (１，９６０ in
# the view is 1，960); 11，2021年 is a count and a year, not one number.
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?![\d年])|\d{1,3}(?:，\d{3})+(?![\d年])|\d+)(?:\.\d+)?"
_CHINESE_NUMERALS = "零〇○一二两三四五六七八九十百千万亿"
_CHINESE = rf"[{_CHINESE_NUMERALS}]+(?:点[零〇一二三四五六七八九]+)?"
# Every quantity starts with a digit or a Chinese numeral (百分之 too). Saying so first lets the
# regex engine reject every other character with one test instead of trying each alternative.
_STARTS_A_QUANTITY = rf"(?=[\d{_CHINESE_NUMERALS}])"
# Words after a number that make it a time, money, size or ordinal rather than a count; a Latin
# letter makes it a code, a unit (5G, 10MB) or a misread digit (2l件 for 21件).
_NOT_A_COUNT_AFTER = re.compile(
    r"(?:年|月|日|号|时|分|岁|周年|元|万元|亿元|千元|平方|亩|公里|米|吨|户|辆|版|届|大|中全会|连|是|方面|[A-Za-z])"
)

# 30—40人 is a range; 8   -3 in a table's columns is a number and a change, not one.
_RANGE_END_BEFORE = re.compile(r"\d ?(?:至|到|-|~|—|–) ?$")
_RANGE_START_AFTER = re.compile(r" ?(?:至|到|-|~|—|–) ?\d")
_PERCENTAGE_POINTS = re.compile(r"个?百分点")
_SPLIT_DIGITS = re.compile(r"[ \u3000]\d")
_DAMAGED_DIGITS = re.compile(r"[\d,.]*\ufffd")  # 4,6\ufffd0件: a digit of this number was lost
_DURATION = re.compile(r"月|工作日|小时")
# 成: tenths, as in 九成 (90%) and 九成五 (95%); the digits it takes, and words it begins.
_TENTHS = {d: i for i, d in enumerate("一二三四五六七八九", start=1)} | {"两": 2} | {str(i): i for i in range(1, 10)}
_NOT_TENTHS_AFTER = ("立", "效", "为", "功", "本", "果", "员", "绩", "熟", "就", "交", "长", "都", "型", "品", "不变", "规模", "年", "人")
# 确认违法一件、驳回一件。: a Chinese 一 counts cases when the count closes its clause or item; in
# 每一件, 无一起, “一件事” and 一件件 it is a word.
_ONE_CASE_UNITS = ("件", "宗", "例")
_NOT_A_COUNT_OF_ONE_BEFORE = "每无这那某同任哪唯单另"
_ITEM_END = "、，。；,;）)"
_SOME_BEFORE = "数几上"


class Mention(NamedTuple):  # a tuple: built for every number in a text, so it must be cheap to make
    start: int  # first character of the quantity (百分之 or the number)
    end: int  # after the measure word, or after the number when there is none
    number_start: int
    value: float
    measure_word: str  # "" when the text gives none; "%" for percentages
    over: bool  # 余/多 written right after the number
    chinese: bool  # written in Chinese numerals

    @property
    def is_percent(self) -> bool:
        return self.measure_word in ("%", "‰")


def _pattern(measure_words: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(measure_words, key=len, reverse=True))
    return re.compile(
        rf"{_STARTS_A_QUANTITY}(?P<pct>百分之)?(?P<num>{_ARABIC}|{_CHINESE}(?=(?:万|亿)?(?:余|多)?(?:万|亿)?\s?(?:{words}|个?百分点))|(?<=百分之){_CHINESE})"
        # 1.2万余件, and 4120余万件 with 余 before its scale
        rf"(?P<scale>万|亿)?(?P<over>余|多)?(?(scale)|(?P<scale_after>万|亿)?)(?:\s?(?P<mw>{words}))?"
    )


class MentionFinder:
    """Finds quantity mentions; built once per codebook because the measure words come from it."""

    def __init__(self, measure_words: tuple[str, ...]):
        self._pattern = _pattern(tuple({*measure_words, "%", "‰", "成"}))
        words = "|".join(re.escape(w) for w in sorted(measure_words, key=len, reverse=True))
        self._range_rest = re.compile(rf"(?:至|到|~|～|—|–)(?P<upper>\d+(?:\.\d+)?)(?P<mw>{words})")

    def find(self, text: str) -> list[Mention]:
        mentions = []
        for match in self._pattern.finditer(text):
            mention = self._read(text, match)
            if mention is not None:
                mentions.append(mention)
        return mentions

    def _read(self, text: str, match: re.Match[str]) -> Mention | None:
        scale_group = "scale" if match.group("scale") else "scale_after"
        num, scale, mw = match.group("num"), match.group(scale_group), match.group("mw") or ""
        chinese = num[0] in CHINESE_NUMERAL_CHARS
        start = match.start()
        if start > 0 and (text[start - 1].isdigit() or text[start - 1] in ".第\ufffd"):
            return None
        if _SPLIT_DIGITS.match(text, match.end("num")) or (start > 1 and _SPLIT_DIGITS.match(text, start - 1)
                                                              and text[start - 2].isdigit()):
            return None  # 1　3件次: a number split by a stray space is not two numbers
        if _DAMAGED_DIGITS.match(text, match.end("num")):
            return None  # a digit lost to a decoding error (移送案件\ufffd9件, 达9\ufffd%): the number is not there
        if chinese and num[-1] in "万亿" and scale is None:
            num, scale = num[:-1], num[-1]
            if not num:
                return None
        if match.group("pct"):
            mw = "%"
        end = after = match.end()  # after: where the words after the quantity begin
        tenths = mw == "成"  # 九成 is 90%, 九成五 95%; 一成不变, 三成立 are words
        tenth = 0
        if tenths:
            if num not in _TENTHS or text.startswith(_NOT_TENTHS_AFTER, after):
                return None
            tenth = _TENTHS.get(text[after : after + 1], 0)
            end = after = after + (1 if tenth else 0)
            mw = "%"
        # where the number (and its scale) ends; a scale read off the numeral (三万) has no span of
        # its own, and then no percentage points are looked for
        number_end = match.end(scale_group) if scale else match.end("num")
        if number_end >= 0 and _PERCENTAGE_POINTS.match(text, number_end):
            # percentage points are always a change; kept as a mention so they bound what follows
            mw = "百分点"
            end = text.index("百分点", match.end("num")) + 3
        elif mw == "个" and _DURATION.match(text, after):
            return None
        if mw and mw != "%" and text.startswith(("次会议", "届"), after):
            return None
        if not mw and _NOT_A_COUNT_AFTER.match(text, after):
            return None
        if mw in ("人", "名") and text.startswith(("民", "大", "员"), after) and mw == "人":
            return None
        if chinese and (not mw or (num == "一" and not _counts_one_case(text, start, mw, after))):
            return None  # 一是, 十九大, 一次性, 每季度通报一次: a Chinese 一 is a word, not a count
        if chinese and num[0] in "十百千万" and start > 0 and text[start - 1] in _SOME_BEFORE:
            return None  # 数百件, 几十次, 上千人: some hundreds, no number
        if "，" in num:
            num = num.replace("，", ",")
        if not mw and "," not in num and len(num.split(".")[0]) >= 5:
            return None  # a long bare number is a phone number, code or serial, not a count; 14,725 is a count
        if _RANGE_END_BEFORE.search(text, max(0, start - 4), start):
            return None  # the upper end of a range (…至3期) is read with its lower end
        if _RANGE_START_AFTER.match(text, after):
            rest = None if chinese or scale or mw else self._range_rest.match(text, after)
            if rest is None or float(rest.group("upper")) <= float(num.replace(",", "")):
                return None  # 3-5 in a table's columns, 1至2月: no quantity of ours
            # 每年举办培训2至3期: at least the lower end, with the range's measure word
            return Mention(start, rest.end(), match.start("num"), float(num.replace(",", "")), rest.group("mw"), True, False)
        try:  # last: most matches that are no counts are dismissed above without reading the number
            # digits in the view are already width-normalized and shaped as the pattern wants them
            value = parse_number(num) if chinese else float(num.replace(",", ""))
        except ValueError:
            return None
        if tenths:
            value = value * 10 + tenth
        if scale == "万":
            value *= 10_000
        elif scale == "亿":
            value *= 100_000_000
        return Mention(start, end, match.start("num"), round(value, 6), mw, bool(match.group("over")), chinese)


def _counts_one_case(text: str, start: int, measure_word: str, after: int) -> bool:
    """一件 that closes a clause or an item of a list, after no word that makes 一 mean each or none."""
    return (
        measure_word in _ONE_CASE_UNITS
        and after < len(text) and text[after] in _ITEM_END
        and (start == 0 or text[start - 1] not in _NOT_A_COUNT_OF_ONE_BEFORE)
    )
