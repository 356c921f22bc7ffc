"""Report quality: does each annual report hold the contents the 2019 rules require, and was it on time?

《法治政府建设与责任落实督察工作规定》 (2019, art. 25) asks every annual rule-of-law report for the
year's measures and results, its shortcomings and their causes, how the principal leaders performed
their duties as first responsible persons, and next year's plan, published by 1 April of the next
year. How reports phrase those contents is data (``data/codebook/report_quality.yaml``), so that a
researcher adds a phrasing without touching code. Only annual reports are scored: the rules say
nothing about plans, white papers or news, so other documents are left out of the table.

A heading is the strongest evidence; running text counts where a report has no heading for a
content, except inside the section, or in a sentence, of a content that makes it a different
statement (in a plan "履行第一责任人职责" is a promise, not an account of the year). Matching works
on the normalized reading view; evidence and offsets point into the text as read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from .codebook import CodebookError, checked_entry, compile_pattern, default_codebook_dir, load_yaml, string_list
from .normalize import ReadingView, normalize_width, reading_view
from .reading import read_source
from .text_layout import Layout

ANNUAL_REPORT = "annual_report"
# The rules' deadline: 1 April of the year after the one reported on.
DEADLINE_MONTH, DEADLINE_DAY = 4, 1
CONTENTS_FILE = "report_quality.yaml"

_ENTRY_KEYS = {"id", "zh_name", "heading_patterns", "clause_patterns", "not_in_sections_of", "not_in_sentences_with"}
_REQUIRED_KEYS = {"id", "zh_name", "heading_patterns"}
_CONTENT_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_DOCUMENT_COLUMNS = ("doc_id", "doc_type", "adcode", "jurisdiction", "period_end", "published")

# Heading markers by depth (0 = 第一部分, 1 = 一、, 2 = （一）, 3 = 1., 4 = （1）/①, 5 = bullets), on the
# width-normalized text, where （一） reads (一) and １． reads 1.
_MARKERS = (
    (0, re.compile(r"第[一二三四五六七八九十]+(?:部分|章|篇|节)")),
    (1, re.compile(r"[一二三四五六七八九十]+\s*[、.,，]")),
    (2, re.compile(r"\([一二三四五六七八九十]+\)")),
    (3, re.compile(r"\d{1,2}\s*[、.,，](?!\d)")),
    (4, re.compile(r"\(\d{1,2}\)|[\u2460-\u2473]")),
    (5, re.compile(r"[■●◆□•▪]")),
)
_UNMARKED_RANK = 1  # a short line that names a required content is taken as a top-level heading
_RUN_IN_END = re.compile(r"[。！？!?:;；]")
_SENTENCE_END = re.compile(r"[。！？!?]")
_MAX_HEADING_CHARS = 60
_MAX_UNMARKED_HEADING_CHARS = 40
_NOT_A_HEADING_END = tuple("，,；;：:、")


@dataclass(frozen=True)
class RequiredContent:
    """One content the rules require, with the patterns that recognise it."""

    id: str
    zh_name: str
    heading_patterns: tuple[re.Pattern[str], ...]
    clause_patterns: tuple[re.Pattern[str], ...]
    not_in_sections_of: tuple[str, ...]  # contents whose sections are no evidence for this one
    not_in_sentences_with: tuple[str, ...]  # contents whose statement makes a sentence no evidence for this one


@dataclass(frozen=True)
class Evidence:
    """Where a content was found: the heading or sentence as read, and its offsets in the text as read."""

    found_in: str  # "heading" or "clause"
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Heading:
    """A line that may head a section; rank is its depth (a smaller rank closes deeper sections)."""

    rank: int
    start: int  # offsets of the heading's text in the text as read
    end: int
    view_text: str  # as the patterns see it
    marked: bool


def default_contents_path() -> Path:
    """report_quality.yaml in the codebook directory (COMPARE_CODEBOOK if set)."""
    return default_codebook_dir() / CONTENTS_FILE


def load_required_contents(path: str | Path | None = None) -> tuple[RequiredContent, ...]:
    """The required contents, validated: an unknown key, a bad pattern or id stops with the file and entry named."""
    path = Path(path) if path is not None else default_contents_path()
    if not path.is_file():
        raise CodebookError(f"{path}: required-contents file not found")
    entries = load_yaml(path)
    if not isinstance(entries, list) or not entries:
        raise CodebookError(f"{path}: expected a non-empty list of required contents")
    contents = [_parse_content(entry, f"{path}: entry {index}") for index, entry in enumerate(entries, start=1)]
    ids = [content.id for content in contents]
    for index, content in enumerate(contents, start=1):
        if content.id in ids[: index - 1]:
            raise CodebookError(f"{path}: entry {index} ({content.id}): duplicate id {content.id!r}")
    for index, content in enumerate(contents, start=1):
        where = f"{path}: entry {index} ({content.id})"
        for key in ("not_in_sections_of", "not_in_sentences_with"):
            for other in getattr(content, key):
                if other not in ids or other == content.id:
                    raise CodebookError(f"{where}: {key} names {other!r}, which is not another content; contents: {ids}")
    return tuple(contents)


def _parse_content(entry: Any, where: str) -> RequiredContent:
    where = checked_entry(entry, where, _ENTRY_KEYS, _REQUIRED_KEYS)
    if not isinstance(entry["id"], str) or not _CONTENT_ID.match(entry["id"]):
        raise CodebookError(f"{where}: id must be a lower-case name such as 'next_year_plan', got {entry['id']!r}")
    if not isinstance(entry["zh_name"], str) or not entry["zh_name"].strip():
        raise CodebookError(f"{where}: zh_name must be a non-empty string")
    patterns = {key: tuple(compile_pattern(p, f"{where}: {key}") for p in string_list(entry.get(key), f"{where}: {key}"))
                for key in ("heading_patterns", "clause_patterns")}
    if not patterns["heading_patterns"]:
        raise CodebookError(f"{where}: heading_patterns must not be empty")
    return RequiredContent(
        id=entry["id"], zh_name=entry["zh_name"].strip(), **patterns,
        **{key: tuple(string_list(entry.get(key), f"{where}: {key}")) for key in ("not_in_sections_of", "not_in_sentences_with")},
    )


def find_contents(text: str, contents: tuple[RequiredContent, ...]) -> dict[str, Evidence | None]:
    """For each required content, the first heading that names it, else the first clause, else None."""
    headings = list(_headings(text))
    heading_evidence, sections = _heading_evidence(text, headings, contents)
    found: dict[str, Evidence | None] = dict(heading_evidence)
    unheaded = [content for content in contents if content.id not in heading_evidence]
    if not unheaded:
        return found
    view = reading_view(text)
    layout = Layout.of(view.text)
    for content in unheaded:
        barred_sections = [span for other, span in sections if other in content.not_in_sections_of]
        barring = [p for other in contents if other.id in content.not_in_sentences_with for p in other.clause_patterns]
        found[content.id] = _clause_evidence(text, view, layout, content, barred_sections, barring)
    return found


def _headings(text: str) -> Iterator[_Heading]:
    """Numbered lines (their run-in heading up to the first sentence end) and short unpunctuated lines."""
    norm = normalize_width(text)
    for line in re.finditer(r"[^\n]+", norm):
        stripped = line.group().lstrip(" \t\f")
        start = line.start() + len(line.group()) - len(stripped)
        rank = next((rank for rank, marker in _MARKERS if marker.match(stripped)), None)
        if rank is not None:
            run_in = _RUN_IN_END.search(stripped)
            heading = (stripped[: run_in.start()] if run_in else stripped).rstrip()
        else:
            heading = stripped.rstrip()
            if (not heading or len(heading) > _MAX_UNMARKED_HEADING_CHARS or _SENTENCE_END.search(heading)
                    or heading.endswith(_NOT_A_HEADING_END) or heading.endswith("报告")):
                continue  # running text, a clause cut by a line break, or the report's own title
        length = len(heading)
        raw = text[start : start + length]
        view_text = reading_view(raw).text.strip() if length <= _MAX_HEADING_CHARS else ""
        yield _Heading(rank if rank is not None else _UNMARKED_RANK, start, start + length, view_text, rank is not None)


def _heading_evidence(
    text: str, headings: list[_Heading], contents: tuple[RequiredContent, ...]
) -> tuple[dict[str, Evidence], list[tuple[str, tuple[int, int]]]]:
    """Walk the headings in order, keeping the open sections, so a heading inside a barred section does not count.

    A numbered heading closes every open section of the same or a deeper level; an unnumbered line
    closes sections only when it names a required content (a stray short line says nothing about
    structure).
    """
    evidence: dict[str, Evidence] = {}
    sections: list[tuple[str, tuple[int, int]]] = []
    open_sections: list[tuple[str, int, int]] = []  # content id, rank, start

    def close(rank: int, at: int) -> None:
        for section in [s for s in open_sections if s[1] >= rank]:
            open_sections.remove(section)
            sections.append((section[0], (section[2], at)))

    for heading in headings:
        named = [c for c in contents if any(p.search(heading.view_text) for p in c.heading_patterns)]
        if heading.marked or named:
            close(heading.rank, heading.start)
        for content in named:
            if any(s[0] in content.not_in_sections_of for s in open_sections):
                continue
            open_sections.append((content.id, heading.rank, heading.start))
            evidence.setdefault(content.id, Evidence("heading", text[heading.start : heading.end],
                                                     heading.start, heading.end))
    close(-1, len(text))
    return evidence, sections


def _clause_evidence(
    text: str, view: ReadingView, layout: Layout, content: RequiredContent,
    barred_sections: list[tuple[int, int]], barring: list[re.Pattern[str]],
) -> Evidence | None:
    """The first sentence that states the content, outside barred sections and not itself stating a barring content.

    "虽然取得了一定成效，但仍存在不足" is about shortcomings, "下一步将……取得新成效" about the plan:
    neither reports the year's results.
    """
    matches = (m for pattern in content.clause_patterns for m in pattern.finditer(view.text))
    for match in sorted(matches, key=lambda m: m.start()):
        position = view.raw_of(match.start())
        if any(start <= position < end for start, end in barred_sections):
            continue
        sentence_start, sentence_end = layout.sentence_span(match.start())
        if any(p.search(view.text, sentence_start, sentence_end) for p in barring):
            continue
        start, end = view.raw_span(sentence_start, sentence_end)
        sentence = text[start:end]
        start += len(sentence) - len(sentence.lstrip())
        end -= len(sentence) - len(sentence.rstrip())
        return Evidence("clause", text[start:end], start, end)
    return None


def deadline_for(year: int) -> date:
    """The day by which the report on ``year`` must be published."""
    return date(year + 1, DEADLINE_MONTH, DEADLINE_DAY)


def _published_date(value: str | None, doc_id: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"document {doc_id}: published {value!r} is not an ISO date (YYYY-MM-DD)") from exc


def quality_schema(contents: tuple[RequiredContent, ...]) -> dict[str, pl.DataType]:
    """The report-quality table's columns, in order; one group of five per required content."""
    schema: dict[str, pl.DataType] = {"doc_id": pl.String, "adcode": pl.String, "place": pl.String, "year": pl.Int32}
    for content in contents:
        schema |= {f"has_{content.id}": pl.Boolean, f"{content.id}_found_in": pl.String,
                   f"{content.id}_evidence": pl.String, f"{content.id}_start": pl.Int64, f"{content.id}_end": pl.Int64}
    return schema | {"contents_present": pl.Int32, "contents_missing": pl.String, "published": pl.Date,
                     "deadline": pl.Date, "on_time": pl.Boolean, "days_late": pl.Int32}


def assess_reports(
    documents: pl.DataFrame, texts: Mapping[str, str], contents: tuple[RequiredContent, ...] | None = None
) -> pl.DataFrame:
    """One row per annual report: which required contents it has, with evidence, and whether it was on time.

    ``year`` is the year reported on (period_end); ``deadline`` is 1 April of the next year;
    ``on_time`` and ``days_late`` (0 when on time) are null when the publication date or the
    year is unknown. ``contents_missing`` names the absent contents in Chinese, "; "-joined.
    Documents of other types are not scored and do not appear.
    """
    contents = contents if contents is not None else load_required_contents()
    missing_columns = [c for c in _DOCUMENT_COLUMNS if c not in documents.columns]
    if missing_columns:
        raise ValueError(f"documents table lacks column(s) {missing_columns}; expected those of extract_reports")
    rows = []
    for doc in documents.filter(pl.col("doc_type") == ANNUAL_REPORT).iter_rows(named=True):
        doc_id = doc["doc_id"]
        if doc_id not in texts:
            raise ValueError(f"document {doc_id}: no text given for this annual report (read it with read_texts)")
        found = find_contents(texts[doc_id], contents)
        year = doc["period_end"]
        published = _published_date(doc["published"], doc_id)
        deadline = deadline_for(year) if year is not None else None
        row: dict[str, Any] = {"doc_id": doc_id, "adcode": doc["adcode"], "place": doc["jurisdiction"], "year": year}
        for content in contents:
            evidence = found[content.id]
            row |= {f"has_{content.id}": evidence is not None,
                    f"{content.id}_found_in": evidence.found_in if evidence else None,
                    f"{content.id}_evidence": evidence.text if evidence else None,
                    f"{content.id}_start": evidence.start if evidence else None,
                    f"{content.id}_end": evidence.end if evidence else None}
        known = published is not None and deadline is not None
        row |= {
            "contents_present": sum(found[c.id] is not None for c in contents),
            "contents_missing": "; ".join(c.zh_name for c in contents if found[c.id] is None),
            "published": published, "deadline": deadline,
            "on_time": published <= deadline if known else None,
            "days_late": max(0, (published - deadline).days) if known else None,
        }
        rows.append(row)
    return pl.DataFrame(rows, schema=quality_schema(contents))


def read_texts(documents: pl.DataFrame) -> dict[str, str]:
    """The texts of the annual reports in ``documents``, read as extraction read them.

    A file whose bytes changed since the documents table was made is an error: its offsets and
    facts would no longer point into the same text.
    """
    texts = {}
    for doc in documents.filter(pl.col("doc_type") == ANNUAL_REPORT).iter_rows(named=True):
        source = read_source(Path(doc["path"]))
        expected = doc.get("sha256")
        if expected and source.sha256 != expected:
            raise ValueError(f"{source.path}: changed since it was read (sha256 {source.sha256}, expected {expected})")
        texts[doc["doc_id"]] = source.text
    return texts
