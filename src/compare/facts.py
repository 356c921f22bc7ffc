"""A fact: one number a report states (or that is derived from stated ones), with its provenance."""

from __future__ import annotations

from dataclasses import dataclass

FACT_COLUMNS = (
    "doc_id", "indicator_id", "value", "kind", "qualifier", "period_start", "period_end",
    "source", "evidence", "start", "end",
)


@dataclass(frozen=True)
class Fact:
    doc_id: str
    indicator_id: str
    value: float
    kind: str
    qualifier: str
    period_start: int | None
    period_end: int | None
    source: str
    evidence: str
    start: int
    end: int
    unit: str
    as_written: str
    check: str = ""
    derivation: str = ""
    period_note: str = ""  # 上半年 when the number covers only that part of its year
    sentence: int = -1  # index of the sentence start, for grouping parts and totals

    def as_row(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id, "indicator_id": self.indicator_id, "value": self.value,
            "kind": self.kind, "qualifier": self.qualifier, "period_start": self.period_start,
            "period_end": self.period_end, "source": self.source, "evidence": self.evidence,
            "start": self.start, "end": self.end, "unit": self.unit, "as_written": self.as_written,
            "check": self.check, "derivation": self.derivation, "period_note": self.period_note,
        }
