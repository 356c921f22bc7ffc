"""Where sentences, clauses, paragraphs and book titles begin and end in a normalized text.

Reports are often damaged: a lost 。 runs two sentences together. Enumeration markers
(一是, 二是, （三）) start a new sentence whatever precedes them, which recovers most of those.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .literals import scan

# A sentence starts after a stop, and at an enumeration marker that follows a non-space character
# (一是 but not 一是否) or at a bracketed one (（三）). Each pattern opens with a character class, so
# the regex engine skips the characters that cannot start a match without trying the pattern there.
_SENTENCE_STOP = re.compile(r"[。！？!?\n]")
_ENUMERATION = (
    re.compile(r"[一二三四五六七八九十](?<=\S.)是(?!否|非)"),
    re.compile(r"[（(][一二三四五六七八九十]{1,2}[)）]"),
)
_CLAUSE_END = re.compile(r"[。！？!?\n，,；;：:]")
# A comma or colon between digits is a thousands separator or a time (6,920人, 10:30), not a clause
# end; so is a full-width comma before a group of three (1，960人), but not in 11，2021年.
_BETWEEN_DIGITS = re.compile(r"\d(?:[,:](?=\d)|，(?=\d{3}(?!\d)))")  # the separator is at the match's start + 1
_TITLE = re.compile(r"《[^《》\n]{1,80}》")
LABEL_COLON_MASK = "∶"
# A numbered top-level heading at a line's start (二、审结情况), which opens a section of the text.
TOP_HEADING = re.compile(r"(?m)^[ \t\u3000]*[一二三四五六七八九十]+、")
_NUMBERED_ITEM = re.compile(r"\s*(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)")
# 告知承诺制：证明事项62项: a short label at the start of a line or item, and its colon, head the
# clause they open; the colon ends no clause. Colons are few, so each is checked where it stands.
_COLON = re.compile(r"[：:]")
_LONGEST_LABEL = 16
_NOT_IN_A_LABEL = re.compile(r"[，。,：:！？!?]")
_ITEM_STARTS = "\n；;"


@dataclass(frozen=True)
class Layout:
    """Span indexes over one normalized text; all positions are offsets into that text."""

    text: str
    masked: str  # book titles' insides replaced by □ and label colons by ∶, same length as text
    sentence_starts: list[int]
    paragraph_starts: list[int]
    clause_ends: list[int]  # offsets of the characters that end a clause (。，；：… and line breaks)
    label_colons: frozenset[int]  # offsets of the colons after a label (告知承诺制：), which end no clause

    @classmethod
    def of(cls, text: str) -> "Layout":
        masked = _TITLE.sub(lambda m: "《" + "□" * (len(m.group()) - 2) + "》", text)
        sentence_starts = sorted(
            {0, *(m.end() for m in _SENTENCE_STOP.finditer(text)),
             *(m.start() for pattern in _ENUMERATION for m in scan(pattern, text))}
        )  # fmt: skip
        paragraph_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        clause_ends = [m.start() for m in _CLAUSE_END.finditer(text)]
        separators = {m.start() + 1 for m in _BETWEEN_DIGITS.finditer(text)}
        label_colons = frozenset(_label_colons(text))
        if separators or label_colons:
            clause_ends = [end for end in clause_ends if end not in separators and end not in label_colons]
        if label_colons:  # so that cues read across them as across any other character of a clause
            pieces, previous = [], 0
            for colon in sorted(label_colons):
                pieces += [masked[previous:colon], LABEL_COLON_MASK]
                previous = colon + 1
            masked = "".join([*pieces, masked[previous:]])
        return cls(text, masked, sentence_starts, paragraph_starts, clause_ends, label_colons)

    def sentence_span(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
        return self.sentence_starts[i], end

    def paragraph_span(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.paragraph_starts, pos) - 1
        end = self.paragraph_starts[i + 1] - 1 if i + 1 < len(self.paragraph_starts) else len(self.text)
        return self.paragraph_starts[i], end

    def clause_end(self, pos: int) -> int:
        """The first clause-ending character at or after pos (the text's end if none)."""
        i = bisect.bisect_left(self.clause_ends, pos)
        return self.clause_ends[i] if i < len(self.clause_ends) else len(self.text)

    def label_end(self, start: int, end: int) -> int:
        """Just after the colon of a numbered item's label between start and end (1．深化学法用法：), which
        names a topic rather than what the item's numbers count; start if there is none."""
        found = max(self.text.rfind("：", start, end), self.text.rfind(":", start, end))
        if found not in self.label_colons or not _NUMBERED_ITEM.match(self.text, start, found):
            return start
        return found + 1

    def clause_start(self, pos: int) -> int:
        """Just after the last clause-ending character before pos (0 if none)."""
        i = bisect.bisect_left(self.clause_ends, pos)
        return self.clause_ends[i - 1] + 1 if i > 0 else 0


def collapse_titles(masked_fragment: str) -> str:
    """《□□□》 → 《》 so that a long book title does not push a cue away from its number."""
    return masked_fragment.replace("□", "")


def collapse_titles_with_offsets(masked_fragment: str, offset: int) -> tuple[str, Sequence[int]]:
    """As collapse_titles, with each kept character's offset in the document (plus one past the end)."""
    if "□" not in masked_fragment:  # most fragments hold no book title
        return masked_fragment, range(offset, offset + len(masked_fragment) + 1)
    kept = [i for i, ch in enumerate(masked_fragment) if ch != "□"]
    return "".join(masked_fragment[i] for i in kept), [offset + i for i in kept] + [offset + len(masked_fragment)]


def _label_colons(text: str) -> list[int]:
    """Colons that end a label of at most _LONGEST_LABEL characters opening a line or an item."""
    found = []
    for colon in _COLON.finditer(text):
        position = colon.start()
        reach = max(0, position - _LONGEST_LABEL - 8)  # room for the spaces before a label
        item_start = max(text.rfind(ch, reach, position) for ch in _ITEM_STARTS) + 1
        if item_start == 0 and reach > 0:
            continue  # no line or item starts close enough before it
        label = text[item_start:position].lstrip(" \t\u3000")
        if 0 < len(label) <= _LONGEST_LABEL and _NOT_IN_A_LABEL.search(label) is None:
            found.append(position)
    return found
