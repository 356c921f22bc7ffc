"""Reports in, tables out: read every file, take its document facts and indicator facts.

One bad file never costs the others: it is listed with its path and the reason, and the rest
are still read. This is the library call notebooks use; the command line wraps it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .codebook import Codebook, cached_codebook
from .derive import derive_rates
from .docfacts import read_document_facts
from .extract import FactReader
from .facts import FACT_COLUMNS, Fact
from .jurisdiction import JurisdictionResolver, default_resolver
from .reading import ReadError, SourceText, find_sources, read_source

FACT_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String, "indicator_id": pl.String, "value": pl.Float64, "kind": pl.String,
    "qualifier": pl.String, "period_start": pl.Int32, "period_end": pl.Int32, "source": pl.String,
    "evidence": pl.String, "start": pl.Int64, "end": pl.Int64, "unit": pl.String,
    "as_written": pl.String, "check": pl.String, "derivation": pl.String, "period_note": pl.String,
}
DOCUMENT_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String, "path": pl.String, "format": pl.String, "encoding": pl.String,
    "sha256": pl.String, "size_bytes": pl.Int64, "title": pl.String, "jurisdiction": pl.String,
    "adcode": pl.String, "level": pl.String, "province": pl.String, "prefecture": pl.String,
    "jurisdiction_status": pl.String, "jurisdiction_confidence": pl.Float64, "jurisdiction_evidence": pl.String,
    "doc_type": pl.String, "period_start": pl.Int32, "period_end": pl.Int32, "published": pl.String,
    "facts_stated": pl.Int64, "facts_derived": pl.Int64,
}
assert tuple(FACT_SCHEMA)[: len(FACT_COLUMNS)] == FACT_COLUMNS


@dataclass(frozen=True)
class Extraction:
    """What one run read: facts and documents as polars frames, and the files it could not read."""

    facts: pl.DataFrame
    documents: pl.DataFrame
    failures: list[ReadError] = field(default_factory=list)


def extract_text(
    source: SourceText, codebook: Codebook, reader: FactReader | None = None,
    resolver: JurisdictionResolver | None = None,
) -> tuple[dict, list[Fact]]:
    """Document facts (with the jurisdiction's official code) and indicator facts of one text already read."""
    reader = reader or FactReader(codebook)
    resolver = resolver or default_resolver()
    document = read_document_facts(source.doc_id, source.text)
    place = resolver.resolve(document.jurisdiction, source.text, document.title)
    facts = derive_rates(reader.read(source.text, document), codebook)
    facts.sort(key=lambda f: (f.start, f.source, f.indicator_id))
    row = {
        "doc_id": source.doc_id, "path": str(source.path), "format": source.format,
        "encoding": source.encoding, "sha256": source.sha256, "size_bytes": source.size_bytes,
        "title": document.title, "jurisdiction": document.jurisdiction or place.name, "adcode": place.adcode,
        "level": place.level or document.level or None, "province": place.province, "prefecture": place.prefecture,
        "jurisdiction_status": place.status, "jurisdiction_confidence": place.confidence,
        "jurisdiction_evidence": place.evidence,
        "doc_type": document.doc_type, "period_start": document.period_start,
        "period_end": document.period_end, "published": document.published or None,
        "facts_stated": sum(f.source == "stated" for f in facts),
        "facts_derived": sum(f.source == "derived" for f in facts),
    }
    return row, facts


def extract_reports(
    paths: Iterable[Path | str],
    codebook: Codebook | None = None,
    progress: Callable[[Sequence[Path]], Iterable[Path]] | None = None,
) -> Extraction:
    """Read every report under ``paths`` (files or folders) into facts and documents frames."""
    codebook = codebook or cached_codebook()
    files, failures = find_sources(Path(p) for p in paths)
    reader = FactReader(codebook)
    resolver = default_resolver()
    documents: list[dict] = []
    facts: list[Fact] = []
    seen: dict[str, Path] = {}
    for path in progress(files) if progress else files:
        try:
            source = read_source(path)
            if source.doc_id in seen:
                raise ReadError(path, f"duplicate document id {source.doc_id!r} (also {seen[source.doc_id]})")
            row, doc_facts = extract_text(source, codebook, reader, resolver)
        except ReadError as exc:
            failures.append(exc)
            continue
        except Exception as exc:  # one document's failure must not cost the others their results
            failures.append(ReadError(path, f"could not be processed: {type(exc).__name__}: {exc}"))
            continue
        seen[source.doc_id] = path
        documents.append(row)
        facts.extend(doc_facts)
    return Extraction(
        facts=pl.DataFrame([f.as_row() for f in facts], schema=FACT_SCHEMA),
        documents=pl.DataFrame(documents, schema=DOCUMENT_SCHEMA),
        failures=failures,
    )


def terminal_progress(files: Sequence[Path]) -> Iterable[Path]:
    """A progress bar on a terminal, nothing when output goes to a file or a scheduled job's log."""
    from tqdm import tqdm

    return tqdm(files, desc="reading reports", unit="doc", disable=not sys.stderr.isatty(), file=sys.stderr)
