"""Parts are not the whole: keeping one value per indicator where a sentence breaks a total down."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from .codebook import Codebook
from .facts import Fact
from .text_layout import TOP_HEADING

# A total written as such right before its number (共计108件), or a total word in its clause (合计清理调整80项).
_TOTAL_BEFORE = re.compile(r"(?:共计|合计|总计|累计|总数|总共|共|计|达)$")
_TOTAL_WORD = re.compile(r"共计|合计|总计|累计|总共")
_PART_MARKER = re.compile(r"其中|[(（]含|包括|分别为|分别是")  # 受理2495件；各年度受理件数分别为412件、…
_RUNNING = re.compile(r"累计")
_THIS_YEAR = re.compile(r"新|全年|本年|今年|当年")
_BRACKET_OR_STOP = re.compile(r"[(（)）。\n]")
_SECTION_TOTAL_BEFORE = re.compile(r"(?:共计|合计|总计|共)$")
_ANY_HEADING = re.compile(r"(?m)^[ \t\u3000]*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
# 全市两级法院全年共审结一审行政案件4,087件 after the government's own 审结3,102件: the courts' count
_COURT_OPENS = re.compile(r"\s*[\u4e00-\u9fff]{0,8}法院")
_BREAKDOWN_OPENS = re.compile(r"\s*其中")  # …共收到申请18,436件。其中，…；县级政府收到申请6,020件。
_OWN_LEVEL_WORD = re.compile(r"本级")
_WHOLE_AREA_CLAUSE = re.compile(r"全(?:市|县|区|省|州|盟|旗)(?:各级|范围|共|合计)|(?:全市|全县|全区|全省)[^，,。；;]{0,8}(?:各级|共)")
_OWN_LEVEL_OPENS = re.compile(r"\s*[\u4e00-\u9fff]{0,6}?(?:政府)?本级")  # 市本级受理…312件, 省政府本级…


def _the_level(group: list[Fact], norm: str, codebook: Codebook) -> Fact | None:
    """The value a word marking the level stands before: the first value, when the word stands
    before it in its sentence and in none of the later values' clauses; else the one later value
    whose clause alone holds it (公职律师达到486名；市政府现聘请法律顾问15名). None when no value is marked."""
    first = group[0]
    words = codebook.indicators[first.indicator_id].level_words
    if not words:
        return None
    marked = [f for f in group[1:] if any(word.search(norm, _clause_start(norm, f.start), f.start) for word in words)]
    if any(word.search(norm, first.sentence, first.start) for word in words):
        return first if not marked else None
    return marked[0] if len(marked) == 1 else None


def _the_whole_area(group: list[Fact], norm: str) -> Fact | None:
    """The one value of the whole area (全市各级…) beside the government's own level (本级) in a sentence
    that gives both; None unless every other value is the own level's."""
    def clause(fact: Fact) -> str:
        return norm[_clause_start(norm, fact.start) : fact.start]

    wholes = [f for f in group if _WHOLE_AREA_CLAUSE.search(clause(f))]
    own = [f for f in group if _OWN_LEVEL_WORD.search(clause(f))]
    if len(wholes) == 1 and own and len(wholes) + len(own) == len(group) and wholes[0] not in own:
        return wholes[0]
    return None


def _is_running_total(total: Fact, group: list[Fact], norm: str) -> bool:
    """A 累计 figure beside values the text gives as the year's own (新取消…34项) adds up years, not parts."""
    if not _RUNNING.search(norm, _clause_start(norm, total.start), total.start):
        return False
    return all(_THIS_YEAR.search(norm, _clause_start(norm, f.start), f.start) for f in group if f is not total)


def _parenthesis_after(norm: str, position: int) -> tuple[int, int] | None:
    """The span inside a parenthesis that opens right at position, if it closes in the sentence."""
    if position >= len(norm) or norm[position] not in "(（":
        return None
    depth = 0
    for bracket in _BRACKET_OR_STOP.finditer(norm, position):
        if bracket.group() in "(（":
            depth += 1
            continue
        if bracket.group() not in ")）":
            return None  # the sentence ends first
        depth -= 1
        if depth == 0:
            return position + 1, bracket.start()
    return None


def _clause_start(norm: str, pos: int) -> int:
    return max(norm.rfind(ch, 0, pos) for ch in "，,；;。：:、\n") + 1


def _clause_end(norm: str, pos: int) -> int:
    ends = [i for i in (norm.find(ch, pos) for ch in "，,；;。\n") if i >= 0]
    return min(ends, default=len(norm))


def _drop_kinds_beside_their_whole(facts: list[Fact], norm: str, codebook: Codebook) -> list[Fact]:
    """全市共有人民调解组织1,627个…建立行业性专业性人民调解委员会96个: a count the indicator's kind words
    mark as one kind of the thing is a part of the whole the same paragraph gives, even in another
    sentence, and no value of the indicator; so is the government's own level in a sentence of its
    own (全市…受理968件。市本级受理行政复议案件312件。), the courts' figure beside the government's own,
    and a value of a sentence that opens with 其中
    when the paragraph gives the same indicator for the same years (其中2023年… breaks a span down by year)."""
    def part_of(fact: Fact) -> str:
        """"kind" for a part of any whole of the indicator in the paragraph, "breakdown" for a part of a
        whole of the same years, "" for no part."""
        if fact.sentence >= 0 and (_OWN_LEVEL_OPENS.match(norm, fact.sentence) or _COURT_OPENS.match(norm, fact.sentence)):
            return "kind"
        words = codebook.indicators[fact.indicator_id].kind_words
        start, end = _clause_start(norm, fact.start), _clause_end(norm, fact.end)
        if any(word.search(norm, start, end) for word in words):
            return "kind"
        return "breakdown" if fact.sentence >= 0 and _BREAKDOWN_OPENS.match(norm, fact.sentence) else ""

    parts = {id(f): how for f in facts if f.source == "stated" and (how := part_of(f))}
    if not parts:
        return facts
    headings = [m.start() for m in _ANY_HEADING.finditer(norm)]
    dropped: set[int] = set()
    for part in (f for f in facts if id(f) in parts):
        paragraph = (norm.rfind("\n", 0, part.start) + 1, _paragraph_end(norm, part.end))
        same_years = parts[id(part)] == "breakdown"
        if same_years:  # a paragraph of 其中 may follow its whole's paragraph, or a table, under one heading
            paragraph = (max((h for h in headings if h <= paragraph[0]), default=paragraph[0]), paragraph[1])
        if any(
            f.indicator_id == part.indicator_id and f.kind == part.kind and paragraph[0] <= f.start < paragraph[1]
            and id(f) not in parts
            and (not same_years or (f.period_start, f.period_end) == (part.period_start, part.period_end))
            for f in facts
        ):
            dropped.add(id(part))
    return [f for f in facts if id(f) not in dropped]


def _drop_parts_of_a_section_total(facts: list[Fact], norm: str) -> list[Fact]:
    """（七）终止审理421件（其中…和解后…撤回申请390件）；（八）出具调解书结案146件。…通过调解、和解方式化解
    行政争议共536件: under one heading, a value written as a total (共536件) that exceeds the indicator's
    other values of the same kind and period makes them its parts, across sentences and paragraphs."""
    headings = [m.start() for m in TOP_HEADING.finditer(norm)]
    groups: dict[tuple, list[Fact]] = {}
    for fact in facts:
        if fact.source != "stated":
            continue
        section = bisect.bisect_right(headings, fact.start)
        groups.setdefault((section, fact.indicator_id, fact.kind, fact.period_start, fact.period_end), []).append(fact)
    dropped: set[int] = set()
    for group in groups.values():
        if len({f.value for f in group}) < 2:
            continue
        totals = [
            f for f in group
            if _SECTION_TOTAL_BEFORE.search(norm, max(0, f.start - 2), f.start)
            and not _RUNNING.search(norm, _clause_start(norm, f.start), f.start)
        ]
        if len(totals) == 1 and all(f.value < totals[0].value for f in group if f is not totals[0]):
            dropped.update(id(f) for f in group if f is not totals[0])
    return [f for f in facts if id(f) not in dropped]


def _paragraph_end(norm: str, pos: int) -> int:
    end = norm.find("\n", pos)
    return len(norm) if end < 0 else end


def resolve_parts(facts: list[Fact], norm: str, codebook: Codebook) -> list[Fact]:
    """Parts are not the whole: within a sentence first, then beside a paragraph's whole, then under
    a heading's total."""
    facts = _parts_within_sentences(facts, norm, codebook)
    facts = _drop_kinds_beside_their_whole(facts, norm, codebook)
    return _drop_parts_of_a_section_total(facts, norm)


def _parts_within_sentences(facts: list[Fact], norm: str, codebook: Codebook) -> list[Fact]:
    """Within a sentence, one indicator keeps one value per period.

    A value before 其中 or written as a total (共计108件) wins over the values that break it down,
    as does a value followed by a parenthesis of its parts or marked by one of the indicator's
    level words (调整 before 承接); a list of values with no total (许可案卷146件，处罚案卷109件) is a breakdown and yields no stated
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
        inside = _parenthesis_after(norm, first.end)
        if inside and all(inside[0] <= f.start < inside[1] for f in group[1:]):
            # 调整行政权力事项156项（取消11项、下放37项、承接108项）: the parenthesis breaks it down
            dropped.update(id(f) for f in group[1:])
            continue
        part_marker = _PART_MARKER.search(norm, first.end, group[-1].start)
        if part_marker and part_marker.group()[0] in "(（" and codebook.indicators[first.indicator_id].is_percent:
            part_marker = None  # 综合纠错率（含调解和解）27.08%: what a rate counts in, not a part
        if part_marker:
            wholes = [f for f in group if f.end <= part_marker.start()]
            if wholes and len({f.value for f in wholes}) == 1:
                dropped.update(id(f) for f in group if f.start >= part_marker.start())
                continue
        if first.kind != "actual":
            continue  # goals for different bodies (市政府 4次, 各部门 2次) are not parts of a whole
        if codebook.indicators[first.indicator_id].is_percent:
            continue  # rates are not sums: 直接纠错率10.6%，综合纠错率14.3% are two readings of one rate
        totals = [
            f for f in group
            if _TOTAL_BEFORE.search(norm[max(0, f.start - 2) : f.start])
            or _TOTAL_WORD.search(norm[_clause_start(norm, f.start) : f.start])
        ]
        if len(totals) == 1 and _is_running_total(totals[0], group, norm):
            continue  # 新取消证明材料34项，累计取消…216项: a total over the years, not over the year's parts
        if len(totals) == 1:
            dropped.update(id(f) for f in group if f is not totals[0])
            continue
        whole_area = _the_whole_area(group, norm)
        if whole_area is not None:
            # 市政府本级组织…培训8期；全市各级政府及部门共举办法治培训97期: the own level is a part of the area's
            dropped.update(id(f) for f in group if f is not whole_area)
            continue
        level = _the_level(group, norm, codebook)
        if level is not None:
            # 全年调整区级行政权力事项243项，承接省、市下放…事项57项: the kinds follow their whole;
            # 常务会议会前学法12次，党组理论学习中心组…学习4次: another body's study follows
            dropped.update(id(f) for f in group if f is not level)
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
