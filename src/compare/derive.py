"""Derived facts: rates computed from the counts a report states, and a check against stated rates.

A rate computed from its parts is marked derived, so that it never passes for what the report
said; where the report states the rate too, the two are compared and a disagreement beyond the
rounding of the stated figure is flagged on the stated fact.
"""

from __future__ import annotations

from dataclasses import replace

from .codebook import Codebook
from .facts import Fact


def _decimals(as_written: str) -> int:
    digits = as_written.rstrip("%‰").replace(",", "")
    return len(digits.split(".", 1)[1]) if "." in digits and digits.split(".", 1)[1].isdigit() else 0


def derive_rates(facts: list[Fact], codebook: Codebook) -> list[Fact]:
    """Add a derived rate wherever numerator and denominator are stated once for the same period."""
    stated = [f for f in facts if f.source == "stated" and f.kind == "actual"]
    by_key: dict[tuple, list[Fact]] = {}
    for fact in stated:
        by_key.setdefault((fact.doc_id, fact.indicator_id, fact.period_start, fact.period_end), []).append(fact)
    out = list(facts)
    for indicator in codebook.indicators.values():
        if not indicator.derive:
            continue
        numerator_id, denominator_id = indicator.derive
        for (doc_id, iid, p_start, p_end), numerators in by_key.items():
            if iid != numerator_id:
                continue
            denominators = by_key.get((doc_id, denominator_id, p_start, p_end), [])
            if len({f.value for f in numerators}) != 1 or len({f.value for f in denominators}) != 1:
                continue
            numerator, denominator = numerators[0], denominators[0]
            if denominator.value <= 0 or numerator.value > denominator.value:
                continue
            exact = 100.0 * numerator.value / denominator.value
            rate = Fact(
                doc_id=doc_id, indicator_id=indicator.id, value=round(exact, 2), kind="actual",
                qualifier="eq" if numerator.qualifier == denominator.qualifier == "eq" else "approx",
                period_start=p_start, period_end=p_end, source="derived",
                evidence=f"{numerator.evidence} / {denominator.evidence}",
                start=numerator.start, end=numerator.end, unit="percent", as_written="",
                derivation=f"{numerator_id} / {denominator_id} = {numerator.value:g} / {denominator.value:g}",
            )
            check = ""
            for i, fact in enumerate(out):
                if (fact.doc_id, fact.indicator_id, fact.period_start, fact.period_end, fact.source, fact.kind) == (
                    doc_id, indicator.id, p_start, p_end, "stated", "actual"
                ):
                    tolerance = 0.5 * 10 ** -_decimals(fact.as_written) + 1e-9
                    agrees = abs(fact.value - exact) <= tolerance
                    check = "agrees with derived" if agrees else f"disagrees with derived {exact:.2f}"
                    out[i] = replace(fact, check=check)
            out.append(replace(rate, check="stated rate present" if check else ""))
    return out
