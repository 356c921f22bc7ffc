"""Derived facts: rates computed from the counts a report states, and a check against stated rates.

A rate computed from its parts is marked derived, so that it never passes for what the report
said; where the report states the rate in the same sentence as one of its counts, the two are
compared and a disagreement beyond the rounding of the stated figure is flagged on the stated fact.
A rate stated elsewhere may measure something else (people's mediation beside administrative
mediation's counts), and so may one the codebook names as another measure (综合纠错率). A numerator may be several counts
summed (a correction rate counts revoked, confirmed-illegal and ordered decisions together); the
rate is derived only when every part is stated, and not when the counts name a part no indicator
reads (变更, which a direct correction rate counts too).
"""

from __future__ import annotations

from dataclasses import replace

from .codebook import Codebook
from .facts import Fact


def _decimals(as_written: str) -> int:
    digits = as_written.rstrip("%‰").replace(",", "").replace("，", "")
    return len(digits.split(".", 1)[1]) if "." in digits and digits.split(".", 1)[1].isdigit() else 0


def _formula(numerator_ids: tuple[str, ...], denominator_id: str, numerators: list[Fact], denominator: Fact) -> str:
    """``a / b = 58 / 119`` for one numerator, ``(a + b) / c = (1 + 2) / 11`` for a sum."""
    if len(numerators) == 1:
        return f"{numerator_ids[0]} / {denominator_id} = {numerators[0].value:g} / {denominator.value:g}"
    ids = " + ".join(numerator_ids)
    values = " + ".join(f"{f.value:g}" for f in numerators)
    return f"({ids}) / {denominator_id} = ({values}) / {denominator.value:g}"


def derive_rates(facts: list[Fact], codebook: Codebook) -> list[Fact]:
    """Add a derived rate wherever every numerator and the denominator are stated once for the same period."""
    stated = [f for f in facts if f.source == "stated" and f.kind == "actual"]
    by_key: dict[tuple, list[Fact]] = {}
    for fact in stated:
        by_key.setdefault((fact.doc_id, fact.indicator_id, fact.period_start, fact.period_end), []).append(fact)
    out = list(facts)
    for indicator in codebook.indicators.values():
        if not indicator.derive:
            continue
        numerator_ids, denominator_id = indicator.derive.numerators, indicator.derive.denominator
        for (doc_id, iid, p_start, p_end), first_numerators in by_key.items():
            if iid != numerator_ids[0]:
                continue
            found = [first_numerators] + [by_key.get((doc_id, n, p_start, p_end), []) for n in numerator_ids[1:]]
            denominators = by_key.get((doc_id, denominator_id, p_start, p_end), [])
            if any(len({f.value for f in part}) != 1 for part in [*found, denominators]):
                continue
            numerators, denominator = [part[0] for part in found], denominators[0]
            if any(p.search(f.evidence) for f in numerators for p in indicator.derive.unread_parts):
                continue  # 撤销12件、变更3件、确认违法21件: a part of the numerator goes uncounted
            numerator_value = sum(f.value for f in numerators)
            if denominator.value <= 0 or numerator_value > denominator.value:
                continue
            exact = 100.0 * numerator_value / denominator.value
            numerator_evidence = " + ".join(dict.fromkeys(f.evidence for f in numerators))
            rate = Fact(
                doc_id=doc_id, indicator_id=indicator.id, value=round(exact, 2), kind="actual",
                qualifier="eq" if all(f.qualifier == "eq" for f in [*numerators, denominator]) else "approx",
                period_start=p_start, period_end=p_end, source="derived",
                evidence=f"{numerator_evidence} / {denominator.evidence}",
                start=numerators[0].start, end=numerators[0].end, unit="percent", as_written="",
                derivation=_formula(numerator_ids, denominator_id, numerators, denominator),
            )
            check = ""
            # a stated rate is compared only where it stands with its counts and measures the same thing
            sentences = {f.sentence for f in [*numerators, denominator]}
            for i, fact in enumerate(out):
                if (fact.doc_id, fact.indicator_id, fact.period_start, fact.period_end, fact.source, fact.kind) == (
                    doc_id, indicator.id, p_start, p_end, "stated", "actual"
                ) and fact.sentence in sentences and not any(p.search(fact.evidence) for p in indicator.derive.other_measures):
                    tolerance = 0.5 * 10 ** -_decimals(fact.as_written) + 1e-9
                    agrees = abs(fact.value - exact) <= tolerance
                    check = "agrees with derived" if agrees else f"disagrees with derived {exact:.2f}"
                    out[i] = replace(fact, check=check)
            out.append(replace(rate, check="stated rate present" if check else ""))
    return out
