"""The project's own labelled passages (tests/passages/*.yaml): every indicator, trap, qualifier,
period form and kind of damage, each asserting the facts a careful labeller records."""

from pathlib import Path

import pytest
import yaml

from compare.docfacts import DocumentFacts
from compare.facts import Fact

PASSAGES = Path(__file__).parent / "passages"


def load_passages():
    passages = []
    for path in sorted(PASSAGES.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            passages.append(pytest.param(item, id=f"{path.stem}:{item['name']}"))
    return passages


def _document(item) -> DocumentFacts:
    start, end = item.get("period") or (None, None)
    published = item.get("published")
    return DocumentFacts("passage", item.get("title", ""), item.get("jurisdiction", ""), "", item["doc_type"], start, end,
                         f"{published}-06-30" if published else "", 0, 0)


def _key(indicator, value, kind, qualifier, period):
    return (indicator, round(float(value), 4), kind, qualifier, tuple(period) if period else (None, None))


def _fact_key(fact: Fact):
    return _key(fact.indicator_id, fact.value, fact.kind, fact.qualifier, (fact.period_start, fact.period_end))


@pytest.mark.parametrize("item", load_passages())
def test_passage(reader, item):
    everything = reader.read(item["text"], _document(item))
    facts = [f for f in everything if f.source == "stated"]
    got = {_fact_key(f) for f in facts}
    derived = {_fact_key(f) for f in everything if f.source == "derived"}
    for expected in item.get("expect") or []:
        key = _key(expected["indicator"], expected["value"], expected.get("kind", "actual"),
                   expected.get("qualifier", "eq"), expected.get("period"))
        found = derived if expected.get("source") == "derived" else got
        assert key in found, f"missing {key}; read {sorted(got)}, derived {sorted(derived)}"
        if "period_note" in expected:
            notes = {f.period_note for f in everything if _fact_key(f) == key}
            assert notes == {expected["period_note"]}, f"{key}: period_note {notes}"
    for trap in item.get("forbid") or []:
        assert not any(f.indicator_id == trap["indicator"] and abs(f.value - float(trap["value"])) < 1e-6 for f in facts), (
            f"read the trap {trap}"
        )
    if item.get("exhaustive"):
        wanted = {(e["indicator"], round(float(e["value"]), 4)) for e in item.get("expect") or [] if e.get("source") != "derived"}
        extra = {(f.indicator_id, round(f.value, 4)) for f in facts} - wanted
        assert not extra, f"read facts that are not there: {sorted(extra)}"
