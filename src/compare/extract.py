"""Indicator facts from a report's text: every stated number that the codebook recognises.

For each quantity mention the reader asks, in the words of the rules of reading:
what does it count (a codebook cue close before it, or right after it), in which area of work
(the domain), is it a change rather than a level, a part rather than the whole, a goal rather
than a result, and which years it covers. Numbers that fail any question yield nothing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from .codebook import Codebook, Indicator
from .docfacts import DocumentFacts
from .mentions import Mention, MentionFinder
from .normalize import normalize_width
from .periods import PeriodIndex
from .text_layout import Layout, collapse_titles, collapse_titles_with_offsets

FACT_COLUMNS = (
    "doc_id", "indicator_id", "value", "kind", "qualifier", "period_start", "period_end",
    "source", "evidence", "start", "end",
)

# Words right before a number that make it a change, not a level (下降31.26%, 比去年上升0.8%).
_CHANGE_BEFORE = re.compile(
    r"(?:下降|上升|增长|增加|减少|提高|降低|提升|回落|增幅|降幅|降|增|减|多出|少了|翻番)(?:了|为|达|幅度为|幅度达)?$"
)
_CHANGE_AFTER = re.compile(r"^(?:个)?百分点")
# A total written as such right before its number (共计108件); a part after 其中 never replaces it.
_TOTAL_BEFORE = re.compile(r"(?:共计|合计|总计|累计|总数|总共|共|计|达)$")
_PART_MARKER = re.compile(r"其中")
_QUALIFIER_BEFORE = (
    ("approx", re.compile(r"(?:约|大约|近|将近|接近|大概)$")),
    ("le", re.compile(r"(?:不超过|不高于|不足|(?<!不)少于|(?<!不)低于|不到|最多)$")),
    ("ge", re.compile(r"(?:(?<!不)超过|逾|突破|多于|(?<!不)高于|不少于|不低于|至少|不下于)$")),
)
_QUALIFIER_AFTER = (
    ("ge", re.compile(r"^(?:以上|之上)")),
    ("le", re.compile(r"^(?:以下|以内|之内)")),
    ("approx", re.compile(r"^(?:左右|上下)")),
)
_TARGET_WORDS = re.compile(r"力争|确保|争取|目标|不少于|不低于|至少|要达到|应达到|须达到|必须|原则上|每年|达到\S{0,4}以上")
_ACTUAL_WORDS = re.compile(r"已经|已|累计|完成了|截至|截止|以来|年来|去年|上年|共办理|共受理")
_FORWARD_HEADING = re.compile(r"下[一]?步|工作打算|工作安排|工作计划|工作思路|努力方向|(?:明年|来年|新的一年)(?:的)?(?:工作|主要任务|重点)")
# A bare number (no measure word) counts only right after its cue, with at most these words between.
_BARE_GAP = re.compile(r"^(?:为|达|了|共|计|是|有|:|：)?$")
# Numbers that name things: hotlines, phone numbers, codes.
_NAME_BEFORE = re.compile(r"(?:热线|电话|手机|传真|邮编|编号|代码|号码|信箱|QQ|微信|[“\"'])\s*$", re.IGNORECASE)
_GAP_CLAUSE_BREAK = re.compile(r"[。；;！？!?\n]")


@dataclass(frozen=True)
class Fact:
    doc_id: str
    indicator_id: str
    value: float
    kind: str
    qualifier: str
    period_start: int | None
    period_end: int | None
    source: str
    evidence: str
    start: int
    end: int
    unit: str
    as_written: str
    check: str = ""
    derivation: str = ""
    sentence: int = -1  # index of the sentence start, for grouping parts and totals

    def as_row(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id, "indicator_id": self.indicator_id, "value": self.value,
            "kind": self.kind, "qualifier": self.qualifier, "period_start": self.period_start,
            "period_end": self.period_end, "source": self.source, "evidence": self.evidence,
            "start": self.start, "end": self.end, "unit": self.unit, "as_written": self.as_written,
            "check": self.check, "derivation": self.derivation,
        }


@dataclass(frozen=True)
class _Choice:
    indicator: Indicator
    distance: int
    cue_length: int
    cue_start: int  # offset in the document


class _DomainIndex:
    """Where each domain's cues end, so the latest one before a number names the area of work."""

    def __init__(self, codebook: Codebook, masked: str):
        hits = sorted(
            (m.end(), domain.id)
            for domain in codebook.domains.values()
            for cue in domain.cues
            for m in cue.finditer(masked)
        )
        self._ends = [end for end, _ in hits]
        self._domains = [domain for _, domain in hits]
        self._window = codebook.domain_window_chars

    def active(self, pos: int) -> str | None:
        i = bisect.bisect_right(self._ends, pos) - 1
        if i >= 0 and pos - self._ends[i] <= self._window:
            return self._domains[i]
        return None


class FactReader:
    """Reads facts from document texts with one codebook; build once, reuse for many documents."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        self.finder = MentionFinder(codebook.all_measure_words)
        self._by_measure_word: dict[str, list[Indicator]] = {}
        for indicator in codebook.indicators.values():
            for word in indicator.measure_words:
                self._by_measure_word.setdefault(word, []).append(indicator)
        self._all = list(codebook.indicators.values())

    def read(self, text: str, document: DocumentFacts) -> list[Fact]:
        norm = normalize_width(text)
        layout = Layout.of(norm)
        reference_year = document.period_end or (int(document.published[:4]) if document.published else None)
        periods = PeriodIndex(layout, reference_year)
        domains = _DomainIndex(self.codebook, layout.masked)
        forward_from = self._forward_section_start(norm, document)
        facts: list[Fact] = []
        lead_floor = 0  # end of the last quantity that yielded a fact or had a measure word
        for mention in self.finder.find(norm):
            sentence_start, _ = layout.sentence_span(mention.start)
            lead_start = max(sentence_start, lead_floor if lead_floor <= mention.start else sentence_start)
            fact = self._read_mention(text, norm, layout, mention, lead_start, document, periods, domains, forward_from)
            if fact is not None or mention.measure_word:
                lead_floor = mention.end
            if fact is not None:
                facts.append(replace(fact, sentence=sentence_start))
        return resolve_parts(facts, norm, self.codebook)

    @staticmethod
    def _forward_section_start(norm: str, document: DocumentFacts) -> int:
        """In an annual report, where the plans for next year begin (their numbers are targets)."""
        if document.doc_type not in ("annual_report", "white_paper", "news"):
            return len(norm)
        for match in re.finditer(r"(?m)^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])?[^\n]{0,12}$", norm):
            line = match.group().strip()
            if line and _FORWARD_HEADING.search(line):
                return match.start()
        return len(norm)

    def _read_mention(
        self, text: str, norm: str, layout: Layout, mention: Mention, lead_start: int,
        document: DocumentFacts, periods: PeriodIndex, domains: _DomainIndex, forward_from: int,
    ) -> Fact | None:
        before = norm[max(0, mention.start - 12) : mention.start]
        after = norm[mention.end : mention.end + 12]
        if _NAME_BEFORE.search(before):
            return None
        lead_raw = layout.masked[lead_start : mention.start]
        if _CHANGE_BEFORE.search(lead_raw.rstrip()) or _CHANGE_AFTER.match(after):
            return None
        lead, lead_offsets = collapse_titles_with_offsets(lead_raw, lead_start)
        choice = self._choose(layout, mention, lead, lead_offsets, domains)
        if choice is None:
            return None
        indicator = choice.indicator
        sentence_start, _ = layout.sentence_span(mention.start)
        kind = self._kind(layout, mention, document, forward_from)
        qualifier = _qualifier(lead, mention, after)
        if kind == "target":
            period = _target_period(layout.masked[sentence_start : mention.start])
        else:
            period = periods.period_before(mention.start) or (document.period_start, document.period_end)
            if period == (None, None) and periods.reference_year is not None:
                period = (periods.reference_year, periods.reference_year)
        evidence_start = layout.clause_start(min(choice.cue_start, mention.start))
        evidence_end = layout.clause_end(mention.end)
        return Fact(
            doc_id=document.doc_id,
            indicator_id=indicator.id,
            value=mention.value,
            kind=kind,
            qualifier=qualifier,
            period_start=period[0],
            period_end=period[1],
            source="stated",
            evidence=text[evidence_start:evidence_end].strip(),
            start=mention.start,
            end=mention.end,
            unit=indicator.unit,
            as_written=text[mention.start : mention.end],
        )

    def _choose(
        self, layout: Layout, mention: Mention, lead: str, lead_offsets: list[int], domains: _DomainIndex
    ) -> _Choice | None:
        """The indicator whose cue stands closest to the number, among those that fit it."""
        if mention.measure_word:
            candidates = self._by_measure_word.get(mention.measure_word, [])
        else:
            candidates = [i for i in self._all if not i.is_percent]
        if not candidates:
            return None
        active_domain = domains.active(mention.start)
        sentence_start, _ = layout.sentence_span(mention.start)
        clause_end = layout.clause_end(mention.end)
        context = collapse_titles(layout.masked[sentence_start:clause_end])
        after = collapse_titles(layout.masked[mention.end : clause_end])
        # exclusions speak for the clause the number stands in, not for earlier clauses
        clause_lead = collapse_titles(layout.masked[max(lead_offsets[0], layout.clause_start(mention.start)) : mention.start])
        best: _Choice | None = None
        for indicator in candidates:
            if indicator.domain is not None and indicator.domain != active_domain:
                continue
            if any(not p.search(context) for p in indicator.requires):
                continue
            if any(p.search(clause_lead) for p in indicator.excludes):
                continue
            choice = self._cue_before(indicator, lead, lead_offsets, mention) or self._cue_after(indicator, after, mention)
            if choice is None:
                continue
            if best is None or (choice.distance, -choice.cue_length, indicator.domain is None) < (
                best.distance, -best.cue_length, best.indicator.domain is None
            ):
                best = choice
        return best

    @staticmethod
    def _cue_before(indicator: Indicator, lead: str, lead_offsets: list[int], mention: Mention) -> _Choice | None:
        best: tuple[int, int, int] | None = None
        for pattern in indicator.cues:
            for match in pattern.finditer(lead):
                if match.end() == match.start():
                    continue
                gap_text = lead[match.end() :]
                distance = len(gap_text)
                if distance > indicator.max_gap or _GAP_CLAUSE_BREAK.search(gap_text):
                    continue
                if not mention.measure_word and not _BARE_GAP.match(gap_text):
                    continue
                key = (distance, -(match.end() - match.start()), match.start())
                if best is None or key < best:
                    best = key
        if best is None:
            return None
        return _Choice(indicator, best[0], -best[1], lead_offsets[best[2]])

    @staticmethod
    def _cue_after(indicator: Indicator, after: str, mention: Mention) -> _Choice | None:
        if not mention.measure_word:
            return None
        for pattern in indicator.cues_after:
            match = pattern.match(after)
            if match and match.end() > 0:
                return _Choice(indicator, 0, match.end(), mention.start)
        return None

    @staticmethod
    def _kind(layout: Layout, mention: Mention, document: DocumentFacts, forward_from: int) -> str:
        """Plans and opinions set targets unless a clause recounts results; reports state results
        unless the clause sets a goal or stands in the section on next year's work."""
        sentence_start, _ = layout.sentence_span(mention.start)
        clause_end = layout.clause_end(mention.end)
        sentence = layout.masked[sentence_start:clause_end]
        clause = layout.masked[layout.clause_start(mention.start) : clause_end]
        if document.doc_type in ("plan", "opinion"):
            return "actual" if _ACTUAL_WORDS.search(sentence) and not _TARGET_WORDS.search(sentence) else "target"
        if mention.start >= forward_from or (_TARGET_WORDS.search(clause) and not _ACTUAL_WORDS.search(clause)):
            return "target"
        return "actual"


def _qualifier(lead: str, mention: Mention, after: str) -> str:
    if mention.over:
        return "ge"
    for name, pattern in _QUALIFIER_AFTER:
        if pattern.match(after):
            return name
    tail = lead.rstrip()[-6:]
    tail = re.sub(r"(?:达到|达|为|有|是|共计|共|累计|计)$", "", tail)
    for name, pattern in _QUALIFIER_BEFORE:
        if pattern.search(tail):
            return name
    return "eq"


_TARGET_YEAR = re.compile(r"(?:到|至|截至|截止)((?:19|20)\d{2})\s*年")


def _target_period(before: str) -> tuple[int | None, int | None]:
    match = None
    for match in _TARGET_YEAR.finditer(before):
        pass
    if match is None:
        return None, None
    year = int(match.group(1))
    return year, year


def resolve_parts(facts: list[Fact], norm: str, codebook: Codebook) -> list[Fact]:
    """Parts are not the whole: within a sentence, one indicator keeps one value per period.

    A value before 其中 or written as a total (共计108件) wins over the values that break it down;
    a list of values with no total (许可案卷146件，处罚案卷109件) is a breakdown and yields no stated
    fact, except that parts which add up by definition (专职 plus 兼职 mediators) give a derived sum.
    """
    groups: dict[tuple, list[Fact]] = {}
    for fact in facts:
        key = (fact.sentence, fact.indicator_id, fact.kind, fact.period_start, fact.period_end)
        groups.setdefault(key, []).append(fact)
    dropped: set[int] = set()
    derived: list[Fact] = []
    for group in groups.values():
        if len({f.value for f in group}) < 2:
            continue
        first = group[0]
        part_marker = _PART_MARKER.search(norm, first.sentence, group[-1].start)
        if part_marker:
            wholes = [f for f in group if f.end <= part_marker.start()]
            if wholes and len({f.value for f in wholes}) == 1:
                dropped.update(id(f) for f in group if f.start >= part_marker.start())
                continue
        totals = [f for f in group if _TOTAL_BEFORE.search(norm[max(0, f.start - 2) : f.start])]
        if len(totals) == 1:
            dropped.update(id(f) for f in group if f is not totals[0])
            continue
        dropped.update(id(f) for f in group)
        if codebook.indicators[first.indicator_id].parts_add_up:
            total = sum(f.value for f in group)
            derived.append(
                replace(
                    first, value=total, source="derived", qualifier="eq" if all(f.qualifier == "eq" for f in group) else "ge",
                    evidence=" + ".join(f.evidence for f in group), end=group[-1].end, as_written="",
                    derivation="sum of parts: " + " + ".join(f"{f.value:g}" for f in group),
                )
            )
    return [f for f in facts if id(f) not in dropped] + derived
