"""Where sentences, clauses, paragraphs and book titles begin and end in a normalized text.

Reports are often damaged: a lost 。 runs two sentences together. Enumeration markers
(一是, 二是, （三）) start a new sentence whatever precedes them, which recovers most of those.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"[。！？!?\n]|(?<=[^\s])(?=(?:[一二三四五六七八九十]是)(?!否|非))|(?=[（(][一二三四五六七八九十]{1,2}[)）])")
_CLAUSE_END = re.compile(r"[。！？!?\n，,；;：:]")
_TITLE = re.compile(r"《[^《》\n]{1,80}》")


@dataclass(frozen=True)
class Layout:
    """Span indexes over one normalized text; all positions are offsets into that text."""

    text: str
    masked: str  # book titles' insides replaced by □, same length as text
    sentence_starts: list[int]
    paragraph_starts: list[int]

    @classmethod
    def of(cls, text: str) -> "Layout":
        masked = _TITLE.sub(lambda m: "《" + "□" * (len(m.group()) - 2) + "》", text)
        sentence_starts = sorted({0, *(m.end() if m.group() else m.start() for m in _SENTENCE_END.finditer(text))})
        paragraph_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        return cls(text, masked, sentence_starts, paragraph_starts)

    def sentence_span(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
        return self.sentence_starts[i], end

    def paragraph_span(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.paragraph_starts, pos) - 1
        end = self.paragraph_starts[i + 1] - 1 if i + 1 < len(self.paragraph_starts) else len(self.text)
        return self.paragraph_starts[i], end

    def clause_end(self, pos: int) -> int:
        match = _CLAUSE_END.search(self.text, pos)
        return match.start() if match else len(self.text)

    def clause_start(self, pos: int) -> int:
        for i in range(pos - 1, -1, -1):
            if _CLAUSE_END.match(self.text, i):
                return i + 1
        return 0


def collapse_titles(masked_fragment: str) -> str:
    """《□□□》 → 《》 so that a long book title does not push a cue away from its number."""
    return masked_fragment.replace("□", "")


def collapse_titles_with_offsets(masked_fragment: str, offset: int) -> tuple[str, list[int]]:
    """As collapse_titles, with each kept character's offset in the document (plus one past the end)."""
    kept = [i for i, ch in enumerate(masked_fragment) if ch != "□"]
    return "".join(masked_fragment[i] for i in kept), [offset + i for i in kept] + [offset + len(masked_fragment)]
