"""Which place a report is about: its official 6-digit code, level and parents.

Reports name places loosely (盐津县人民政府, 荆门市东宝区, 常熟, 通州区). The name is split
into the division names it is made of, the last one is looked up, and the earlier ones (or,
failing those, the province and prefecture names the text mentions) choose among places that
share a name. A name that still fits several places is reported as ambiguous, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from .divisions import current_code, load_changes, load_divisions

RESOLVED, AMBIGUOUS, UNRESOLVED = "resolved", "ambiguous", "unresolved"
_CONTEXT_CHARS = 6000


@dataclass(frozen=True)
class Resolution:
    status: str  # resolved | ambiguous | unresolved
    adcode: str | None
    name: str | None  # official name of the division
    level: str | None
    province: str | None
    prefecture: str | None
    confidence: float  # 0 when unresolved; 1 for a unique full name
    evidence: str


@dataclass(frozen=True)
class _Division:
    code: str
    name: str
    short_name: str
    level: str
    province_code: str
    prefecture_code: str
    regular: bool


class JurisdictionResolver:
    """Resolves names against one divisions table; build once, reuse for every document."""

    def __init__(self, divisions: pl.DataFrame, former_names: dict[str, str] | None = None):
        """``former_names`` maps names no longer in the table (祁阳县) to today's code (431181)."""
        self._by_code: dict[str, _Division] = {}
        self._by_name: dict[str, list[_Division]] = {}
        self._by_short: dict[str, list[_Division]] = {}
        for row in divisions.iter_rows(named=True):
            division = _Division(
                row["code"], row["name"], row["short_name"] or row["name"], row["level"],
                row["province_code"] or "", row["prefecture_code"] or "", row["kind"] == "regular",
            )
            self._by_code[division.code] = division
            self._by_name.setdefault(division.name, []).append(division)
            for alias in _aliases(division):
                self._by_short.setdefault(alias, []).append(division)
        for name, code in (former_names or {}).items():
            if name not in self._by_name and code in self._by_code:
                self._by_short.setdefault(name, []).append(self._by_code[code])
        words = sorted({*self._by_name, *self._by_short}, key=len, reverse=True)
        self._word = re.compile("|".join(re.escape(w) for w in words))

    def resolve(self, named: str, text: str = "", title: str = "") -> Resolution:
        """The division ``named`` refers to, using the rest of its chain and the text's context.

        With no name, the division names in the title are used (常熟法治政府建设白皮书).
        """
        named = (named or "").strip() or "".join(self._segment(title))
        if not named:
            return _unresolved("no jurisdiction is named in the title or by the issuing body")
        chain = self._segment(named)
        if not chain:
            return _unresolved(f"{named!r} is not the name of a division in the reference table")
        last = chain[-1]
        candidates = self._by_name.get(last) or self._by_short.get(last, [])
        exact = last in self._by_name
        if len(candidates) > 1 and any(c.regular for c in candidates):
            candidates = [c for c in candidates if c.regular]
        evidence = [f"named {named!r}"]
        if len(chain) > 1:
            narrowed = [c for c in candidates if all(self._is_ancestor(parent, c) for parent in chain[:-1])]
            if narrowed:
                candidates = narrowed
                evidence.append(f"within {''.join(chain[:-1])}")
        if len(candidates) == 2 and not exact:
            # a bare short name shared by a prefecture and its own seat (恩施) means the prefecture
            upper = [c for c in candidates if any(c.code == o.prefecture_code for o in candidates)]
            candidates = upper or candidates
        if len(candidates) == 1:
            confidence = 1.0 if exact else 0.9
            return self._resolution(candidates[0], confidence, evidence)
        scores = {c.code: self._context_score(c, text) for c in candidates}
        best = max(scores.values())
        leaders = [c for c in candidates if scores[c.code] == best]
        if best > 0 and len(leaders) == 1:
            runner_up = max([s for code, s in scores.items() if code != leaders[0].code], default=0)
            evidence.append(f"text mentions its parents {best} time(s), other candidates at most {runner_up}")
            return self._resolution(leaders[0], 0.8 if best >= 2 * max(runner_up, 1) else 0.6, evidence)
        options = ", ".join(f"{c.code} {self._full_name(c)}" for c in candidates)
        return Resolution(AMBIGUOUS, None, None, None, None, None, 0.0, f"{named!r} fits {len(candidates)} divisions: {options}")

    def _segment(self, named: str) -> list[str]:
        """荆门市东宝区 → [荆门市, 东宝区]: the division names the string is made of, left to right."""
        chain, pos, skipped = [], 0, False
        compact = re.sub(r"\s+", "", named)
        while pos < len(compact):
            match = self._word.match(compact, pos)
            # words before a full name are not part of it (号重庆市璧山区), but a short name right after
            # other characters is the end of another name (皖西市 is no 西市区)
            if match is None or (skipped and match.group() not in self._by_name):
                pos += 1
                skipped = True
                continue
            chain.append(match.group())
            pos, skipped = match.end(), False
        return chain

    def _is_ancestor(self, name: str, division: _Division) -> bool:
        for code in (division.province_code, division.prefecture_code):
            parent = self._by_code.get(code)
            if parent and name in (parent.name, parent.short_name):
                return True
        return False

    def _context_score(self, division: _Division, text: str) -> int:
        """How often the text names this candidate's province and prefecture (prefecture counts double)."""
        head = text[:_CONTEXT_CHARS]
        score = 0
        for code, weight in ((division.province_code, 1), (division.prefecture_code, 2)):
            parent = self._by_code.get(code)
            if parent is None or parent.code == division.code:
                continue
            name = parent.short_name if len(parent.short_name) >= 2 else parent.name
            score += weight * head.count(name)
        return score

    def _full_name(self, division: _Division) -> str:
        parts = [self._by_code[c].name for c in (division.province_code, division.prefecture_code)
                 if c in self._by_code and c != division.code]
        return "".join(dict.fromkeys([*parts, division.name]))

    def _resolution(self, division: _Division, confidence: float, evidence: list[str]) -> Resolution:
        province = self._by_code.get(division.province_code)
        prefecture = self._by_code.get(division.prefecture_code)
        return Resolution(
            RESOLVED, division.code, division.name, division.level,
            province.name if province else None,
            prefecture.name if prefecture and prefecture.code != division.code else None,
            confidence, "; ".join([*evidence, f"→ {division.code} {self._full_name(division)}"]),
        )


def _aliases(division: _Division) -> set[str]:
    """Other names reports use: the short name, and 恩施州/长阳县 for autonomous prefectures and counties."""
    aliases = set()
    if len(division.short_name) >= 2 and division.short_name != division.name:
        aliases.add(division.short_name)
        for suffix, short_suffix in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
            if division.name.endswith(suffix):
                aliases.add(division.short_name + short_suffix)
    return aliases


def _unresolved(reason: str) -> Resolution:
    return Resolution(UNRESOLVED, None, None, None, None, None, 0.0, reason)


def default_resolver() -> JurisdictionResolver:
    """A resolver over the bundled divisions table, knowing the former names in its crosswalk."""
    former = {name: current_code(code) for name, code in load_changes().select("old_name", "old_code").iter_rows()}
    return JurisdictionResolver(load_divisions(), former)
