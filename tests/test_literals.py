"""Skipped scans must never lose a match: scan() gives exactly what finditer() gives."""

from __future__ import annotations

import random
import re

import pytest

from compare import periods, text_layout
from compare.codebook import load_codebook
from compare.literals import required_literals, scan
from compare.normalize import _HTML_DEBRIS


def _project_patterns() -> list[re.Pattern[str]]:
    codebook = load_codebook()
    return [
        periods._RANGE, periods._SINCE, periods._YEARS_BACK, periods._FIVE_YEAR_PLAN, periods._AS_OF_YEAR,
        periods._AS_OF_NOW, periods._THIS_YEAR, periods._SINGLE, *periods._PARTS_OF_YEAR,
        *text_layout._ENUMERATION, _HTML_DEBRIS, *codebook.noise,
        *(cue for domain in codebook.domains.values() for cue in domain.cues),
        *(cue for indicator in codebook.indicators.values() for cue in (*indicator.cues, *indicator.cues_after)),
    ]


@pytest.mark.parametrize(
    "pattern, required",
    [
        ("上半年|下半年|第[一二]季度", ("上半年", "下半年", "第一季度", "第二季度")),
        ("诉(?<!非诉)讼", ("诉讼",)),  # an assertion consumes nothing: 诉 and 讼 stay adjacent
        ("(?:澳门)?(?:赌场|棋牌)(?:官网)*", ("棋牌", "赌场")),
        ("十[一二]五|十三五规划", ("一五", "二五", "三五规划")),  # re factors the common 十 out of the branches
        ("a|b*", None),  # the second branch matches without any literal
        ("(?i)abc", None),  # case-insensitive matches need not contain the literal as written
        ("x(?i:abc)", ("x",)),
        (r"\d+", None),
        ("[^年]年", ("年",)),
        ("(?:年|月)+日?", ("年", "月")),
        ("ab?c", ("a",)),  # an optional character parts the literals around it
    ],
)
def test_required_literals(pattern, required):
    assert required_literals(re.compile(pattern)) == (tuple(sorted(required)) if required else None)


def test_a_required_literal_is_in_every_match_of_the_projects_patterns():
    rng = random.Random(7)
    for pattern in _project_patterns():
        required = required_literals(pattern)
        if required is None:
            continue
        for text in _texts_for(pattern, rng):
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    assert any(word in match.group() for word in required), (pattern.pattern, match.group())


def test_scan_finds_exactly_what_finditer_finds():
    rng = random.Random(11)
    patterns = _project_patterns()
    skipped = 0
    for pattern in patterns:
        for text in _texts_for(pattern, rng):
            expected = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in scan(pattern, text)] == expected, pattern.pattern
            skipped += not expected
    assert skipped > 0  # the texts include ones with nothing to find


def _texts_for(pattern: re.Pattern[str], rng: random.Random, count: int = 40) -> list[str]:
    """Texts made of the pattern's own characters, report prose and digits, so that some match."""
    own = [ch for ch in pattern.pattern if not ch.isascii() or ch.isalnum()]
    prose = list("全市共办理行政复议案件年月日以来近五十三一二〇，。；\n 2019") + own
    texts = []
    for _ in range(count):
        length = rng.randint(0, 80)
        texts.append("".join(rng.choice(prose if rng.random() < 0.7 else own or prose) for _ in range(length)))
    # literal pieces of the pattern glued together: matches become likely
    pieces = re.split(r"[\\()\[\]|?*+{}^$.:=!<>,]+", pattern.pattern)
    for _ in range(count):
        texts.append("".join(rng.choice(pieces) + rng.choice(["", "2021", "年", " ", "三"]) for _ in range(rng.randint(1, 8))))
    return texts
