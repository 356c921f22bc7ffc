"""Skipping whole-text scans that cannot match, by the words every match must contain.

Python's ``re`` tries a pattern at every character that could start it, so each of the many
patterns run over a whole report (period cues, spam, domain cues) costs a pass over the text
even where it matches nothing, as many do in most reports. A search for plain literals is far
cheaper than such a pass: when none of the literals one of which every match must contain
occurs in the text, the scan is skipped. The literals are read off the pattern's own parse, so
patterns a user adds to the codebook are covered too; a pattern whose matches need no literal
(or that ignores case) is always scanned.
"""

from __future__ import annotations

import functools
import re
import re._parser as sre_parse  # the parser re itself uses; its tree names what a match must contain
from collections.abc import Iterator

_MAX_LITERALS = 16  # beyond this many alternatives the substring tests cost more than they save
_Required = frozenset[str] | None  # one of these literals occurs in every match; None: nothing is known
_ZERO_WIDTH = (sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT)


def scan(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, without the pass when no match can be in the text."""
    prefilter = _prefilter(pattern)
    if prefilter is not None and prefilter.search(text) is None:
        return iter(())
    return pattern.finditer(text)


@functools.cache
def _prefilter(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """One search for all the required literals: cheaper than a substring test for each."""
    required = required_literals(pattern)
    return re.compile("|".join(map(re.escape, required))) if required else None


@functools.cache
def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literals one of which every match of pattern contains (None when no such set is known)."""
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # a parser of another Python version: scanning everything is always right
        return None
    required = _of_sequence(list(tree))
    return tuple(sorted(required)) if required else None


def _of_sequence(items: list[tuple]) -> _Required:
    """The best requirement among the items that every match of the sequence passes through."""
    options: list[frozenset[str]] = []
    run: set[str] = {""}  # the strings consecutive literals (and small classes) spell: longer is rarer
    for op, argument in items:
        chars = _chars(op, argument)
        if chars is not None and len(run) * len(chars) <= _MAX_LITERALS:
            run = {before + char for before in run for char in chars}
            continue
        if op in _ZERO_WIDTH:
            continue  # an assertion consumes nothing: the literals around it stay adjacent
        if run != {""}:
            options.append(frozenset(run))
        run = {""}
        if chars is not None:
            run = set(chars)
            continue
        required = _of_item(op, argument)
        if required:
            options.append(required)
    if run != {""}:
        options.append(frozenset(run))
    if not options:
        return None
    return _minimal(max(options, key=lambda words: (min(map(len, words)), -len(words))))


def _chars(op: object, argument: object) -> list[str] | None:
    """The characters a literal or a small class of literals stands for (None for anything else)."""
    if op is sre_parse.LITERAL:
        return [chr(argument)]
    if op is sre_parse.IN and all(kind is sre_parse.LITERAL for kind, _ in argument) and len(argument) <= 8:
        return [chr(code) for _, code in argument]
    return None


def _minimal(words: frozenset[str]) -> frozenset[str]:
    """Drop literals that contain another one: wherever they occur, so does the shorter."""
    return frozenset(w for w in words if not any(other != w and other in w for other in words))


def _of_item(op: object, argument: object) -> _Required:
    if op is sre_parse.SUBPATTERN:
        _group, add_flags, _del_flags, items = argument
        return None if add_flags & re.IGNORECASE else _of_sequence(list(items))
    if op is sre_parse.ATOMIC_GROUP:
        return _of_sequence(list(argument))
    if op is sre_parse.BRANCH:
        words: set[str] = set()
        for branch in argument[1]:
            required = _of_sequence(list(branch))
            if required is None:
                return None  # a branch that needs no literal can match without any
            words |= required
        return frozenset(words) if len(words) <= _MAX_LITERALS else None
    if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT):
        low, _high, items = argument
        return _of_sequence(list(items)) if low >= 1 else None
    return None  # classes, anchors, lookarounds, back references: no literal is certain


def key_characters(patterns: tuple[re.Pattern[str], ...] | list[re.Pattern[str]]) -> frozenset[str] | None:
    """Characters one of which every match of any of the patterns contains (None if not known).

    One per required literal, its last: in Chinese terms the last character (复议, 应诉, 调解) is
    usually the rarer one. Testing a short stretch's characters against this set is cheaper than
    searching it with the patterns, and rules most of them out.
    """
    keys: set[str] = set()
    for pattern in patterns:
        required = required_literals(pattern)
        if required is None:
            return None
        keys.update(word[-1] for word in required)
    return frozenset(keys) if keys else None
