"""Reports in, tables out: read every file, take its document facts and indicator facts.

One bad file never costs the others: it is listed with its path and the reason, and the rest
are still read. This is the library call notebooks use; the command line wraps it.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
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
# With ``jobs=None``, fewer files than this are read in this process. Measured on 2 cores in CPU
# time (other load skews wall time): a spawned worker spends about 0.95 s getting ready (interpreter,
# imports, codebook, reader and resolver, a slower first chunk), a 10-40 KB report takes about 7 ms
# in a worker as here, and reading here first costs 0.14 s for the reader and resolver. Two workers
# so gain from about 0.8 s / 3.4 ms ≈ 240 files, more cores sooner; below 300 at most a second is lost.
PARALLEL_FROM = 300
# Files go to workers in chunks: 16 reports are about 0.1 s of work and 100 KB of pickled results,
# so the cost per task is negligible, while small inputs still get several chunks per worker to
# share the work evenly and to move the progress bar.
CHUNK_MAX = 16
CHUNKS_PER_WORKER = 4
WORKER_DIED = (
    "not read: a worker process stopped abruptly (killed, e.g. by the out-of-memory killer, or crashed) "
    "before this file's results came back; read it again, with fewer jobs if memory is short"
)


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
    if not document.jurisdiction and place.name:
        # a reply or page that names its place only in passing: the reader still needs the name to tell
        # the text's own figures from those of the province around it
        document = replace(document, jurisdiction=place.name)
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
    jobs: int | None = None,
) -> Extraction:
    """Read every report under ``paths`` (files or folders) into facts and documents frames.

    ``jobs`` is the most processes reading at once: 1 reads here, in this process; None reads here
    when there are few files and otherwise starts one worker per usable core. The frames and the
    failures are the same, in the same order, whatever ``jobs`` is.
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1 (or None to choose from the files and cores), got {jobs}")
    codebook = codebook or cached_codebook()
    files, failures = find_sources(Path(p) for p in paths)
    workers = min(jobs or (1 if len(files) < PARALLEL_FROM else usable_cores()), len(files))
    tracked = progress(files) if progress else files
    if workers <= 1:
        reader, resolver = FactReader(codebook), default_resolver()
        outcomes: Iterable[_Outcome] = (_read_one(path, codebook, reader, resolver) for path in tracked)
    else:  # the bar advances as each file's result arrives, in file order
        outcomes = (outcome for _, outcome in zip(tracked, _read_in_workers(files, codebook, workers), strict=True))
    documents: list[dict] = []
    facts: list[Fact] = []
    seen: dict[str, Path] = {}
    for outcome in outcomes:
        if outcome.doc_id is not None and outcome.doc_id in seen:
            failures.append(ReadError(
                outcome.path, f"duplicate document id {outcome.doc_id!r} (also {seen[outcome.doc_id]})"
            ))
        elif outcome.failure is not None:
            failures.append(outcome.failure)
        else:
            seen[outcome.doc_id] = outcome.path
            documents.append(outcome.row)
            facts.extend(outcome.facts)
    return Extraction(
        facts=pl.DataFrame([f.as_row() for f in facts], schema=FACT_SCHEMA),
        documents=pl.DataFrame(documents, schema=DOCUMENT_SCHEMA),
        failures=failures,
    )


def usable_cores() -> int:
    """The cores this process may run on (its affinity under a scheduler or taskset), else all of them."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@dataclass(frozen=True)
class _Outcome:
    """One file read, here or in a worker. ``doc_id`` is set once the file could be read, even if
    extraction then failed, so that the duplicate check in the caller decides as it always has."""

    path: Path
    doc_id: str | None
    row: dict = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    failure: ReadError | None = None


def _read_one(path: Path, codebook: Codebook, reader: FactReader, resolver: JurisdictionResolver) -> _Outcome:
    doc_id = None
    try:
        source = read_source(path)
        doc_id = source.doc_id
        row, facts = extract_text(source, codebook, reader, resolver)
    except ReadError as exc:
        return _Outcome(path, doc_id, failure=exc)
    except Exception as exc:  # one document's failure must not cost the others their results
        return _Outcome(path, doc_id, failure=ReadError(path, f"could not be processed: {type(exc).__name__}: {exc}"))
    return _Outcome(path, doc_id, row, facts)


def _read_in_workers(files: list[Path], codebook: Codebook, workers: int) -> Iterator[_Outcome]:
    """Outcomes of ``files`` in their order, read by ``workers`` spawned processes a chunk at a time.

    A worker that dies (killed by the out-of-memory killer, a crash in a C library) breaks the
    pool: the chunks not yet returned become failures, those already returned are kept.
    """
    size = max(1, min(CHUNK_MAX, math.ceil(len(files) / (workers * CHUNKS_PER_WORKER))))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"),  # polars is not fork-safe
        initializer=_start_worker, initargs=(codebook,),
    )
    try:
        futures = [pool.submit(_read_chunk, chunk) for chunk in chunks]
        for chunk, future in zip(chunks, futures):
            try:
                yield from future.result()
            except BrokenProcessPool:
                yield from (_Outcome(path, None, failure=ReadError(path, WORKER_DIED)) for path in chunk)
    finally:  # also when the caller stops early (Ctrl-C): drop the chunks not started
        pool.shutdown(wait=True, cancel_futures=True)


_worker: tuple[Codebook, FactReader, JurisdictionResolver] | None = None


def _start_worker(codebook: Codebook) -> None:
    """Build the reader and the resolver once per worker process, not once per document."""
    global _worker
    _worker = (codebook, FactReader(codebook), default_resolver())


def _read_chunk(paths: list[Path]) -> list[_Outcome]:
    assert _worker is not None, "_start_worker runs first in every worker"
    return [_read_one(path, *_worker) for path in paths]


def terminal_progress(files: Sequence[Path]) -> Iterable[Path]:
    """A progress bar on a terminal, nothing when output goes to a file or a scheduled job's log."""
    from tqdm import tqdm

    return tqdm(files, desc="reading reports", unit="doc", disable=not sys.stderr.isatty(), file=sys.stderr)
