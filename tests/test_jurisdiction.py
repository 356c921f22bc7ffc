"""Attaching a report to its place: issuer lines across provinces, hard cases included."""

import csv

import pytest

from compare.docfacts import read_document_facts
from compare.jurisdiction import AMBIGUOUS, RESOLVED, default_resolver

from repo_paths import REPO

CASES = REPO / "tests" / "fixtures" / "jurisdictions.csv"


def cases():
    with open(CASES, encoding="utf-8") as fh:
        return [pytest.param(row, id=row["text"].split("\n")[0][:24]) for row in csv.DictReader(fh)]


@pytest.fixture(scope="module")
def resolver():
    return default_resolver()


def test_the_table_is_large_and_varied():
    rows = [p.values[0] for p in cases()]
    assert len(rows) >= 40
    assert len({r["adcode"][:2] for r in rows if r["adcode"]}) >= 15  # provinces
    assert {r["status"] for r in rows} == {"resolved", "ambiguous", "unresolved"}


@pytest.mark.parametrize("row", cases())
def test_issuer_lines(resolver, row):
    facts = read_document_facts("case", row["text"])
    place = resolver.resolve(facts.jurisdiction, row["text"], facts.title)
    assert place.status == row["status"], place.evidence
    assert (place.adcode or "") == row["adcode"], place.evidence
    if place.status == RESOLVED:
        assert place.confidence > 0 and place.adcode in place.evidence
    else:
        assert place.adcode is None and place.confidence == 0


def test_ambiguous_names_list_their_candidates(resolver):
    place = resolver.resolve("鼓楼区", "全区上下凝心聚力。")
    assert place.status == AMBIGUOUS
    for code in ("320106", "320302", "350102", "410204"):
        assert code in place.evidence


def test_former_names_join_through_the_crosswalk(resolver):
    place = resolver.resolve("祁阳县")
    assert (place.adcode, place.name) == ("431181", "祁阳市")


def test_autonomous_prefecture_short_forms(resolver):
    assert resolver.resolve("恩施州").adcode == "422800"
    assert resolver.resolve("延边州").adcode == "222400"
    assert resolver.resolve("恩施市").adcode == "422801"


def test_a_short_name_at_the_end_of_an_unknown_name_is_not_taken(resolver):
    # 皖西 is a region, not a division; the short name 西市 of 营口's 西市区 is only its tail.
    assert resolver.resolve("皖西市").adcode is None
    # words run on before a full name stay outside it
    assert resolver.resolve("号重庆市璧山区").adcode == "500120"
