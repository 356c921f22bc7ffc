"""Extraction throughput on a synthetic corpus, against one plain regex pass over the same texts.

The regex pass is the floor of any extraction: it visits every number once and decides
nothing. The ratio of extraction time to it says what the rules of reading cost per
character, largely independent of the machine; the project aims to stay within 10x of it.

Three passes over the same texts, each reported as documents/s, MB/s (UTF-8 bytes of the
text as read, 1 MB = 10^6 bytes), wall seconds, peak memory and facts per document:
  in-memory   FactReader and document facts (pipeline.extract_text) on texts already read;
  end-to-end  pipeline.extract_reports on the files: finding, reading, decoding, frames
              (in --jobs processes; 1 by default, so figures stay comparable across machines);
  regex       one re.finditer pass for numbers over every text.

With --stages it also times, over texts already read, the stages every extraction passes
through before it judges a single number (reading view, layout, period cues, quantities), each
against the regex pass: what no tuning of the rules of reading can take away.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl
import psutil

from compare.codebook import Codebook, load_codebook
from compare.extract import FactReader
from compare.jurisdiction import JurisdictionResolver, default_resolver
from compare.normalize import reading_view
from compare.periods import PeriodIndex
from compare.pipeline import extract_reports, extract_text
from compare.reading import SourceText, read_source
from compare.text_layout import Layout

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import SyntheticFile, write_corpus  # a sibling module, not a package

REPO = Path(__file__).resolve().parents[1]
AIM = 10.0  # extraction should take at most this many times the regex pass
BASELINE = re.compile(r"\d+(?:\.\d+)?")
REGEX_PASSES = 5  # the regex pass takes well under a second; the fastest of five damps noise
STAGE_RUNS = 3  # each stage is timed this many times; the fastest counts
RSS_INTERVAL = 0.005  # seconds between RSS samples during the end-to-end pass
MB = 1_000_000


@dataclass(frozen=True)
class Phase:
    """One pass over the whole corpus."""

    name: str
    seconds: float
    documents: int
    utf8_bytes: int
    facts: int  # numbers matched, for the regex pass
    peak_memory_bytes: int | None
    memory_measure: str
    ratio_to_regex: float | None = None

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.seconds

    @property
    def mb_per_second(self) -> float:
        return self.utf8_bytes / MB / self.seconds

    @property
    def facts_per_document(self) -> float:
        return self.facts / self.documents

    def as_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "documents_per_second": self.documents_per_second,
            "mb_per_second": self.mb_per_second,
            "facts_per_document": self.facts_per_document,
        }


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if args.keep is None:
        with tempfile.TemporaryDirectory(prefix="compare-bench-") as folder:
            return _run(args, Path(folder))
    _check_keep_folder(args.keep)
    return _run(args, args.keep)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=_positive, default=3000, metavar="N", help="documents to generate (default 3000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpus (default 0)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="write the corpus into this new or empty folder and keep it")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to this JSON file")
    parser.add_argument(
        "--jobs", type=_positive, default=1, metavar="N",
        help="processes of the end-to-end pass (extract_reports' jobs; default 1, reading in this process)",
    )  # fmt: skip
    parser.add_argument(
        "--stages", action="store_true",
        help="also time the stages every extraction passes through before judging numbers, against the regex pass",
    )  # fmt: skip
    parser.add_argument(
        "--profile", type=_positive, metavar="N",
        help="then profile in-memory extraction of the first N documents with cProfile and list the hotspots",
    )  # fmt: skip
    return parser.parse_args(argv)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _check_keep_folder(folder: Path) -> None:
    """Synthetic texts must never end up among the real reports, nor mix with other files."""
    data = (REPO / "data").resolve()
    if folder.resolve() == data or data in folder.resolve().parents:
        sys.exit(f"--keep {folder}: refusing to write synthetic texts under {data}")
    if folder.exists() and any(folder.iterdir()):
        sys.exit(f"--keep {folder}: the folder is not empty")


def _run(args: argparse.Namespace, folder: Path) -> int:
    code = _code_version()  # before measuring: the working tree may change while the passes run
    print(f"generating {args.documents} synthetic documents (seed {args.seed}) in {folder} …", flush=True)
    files = write_corpus(folder, args.documents, args.seed)
    utf8_bytes = sum(f.utf8_bytes for f in files)
    codebook = load_codebook()

    print(f"end-to-end: extract_reports over the files, jobs={args.jobs} …", flush=True)
    end_to_end, failures = _end_to_end(folder, codebook, utf8_bytes, args.jobs)

    print("in-memory: extract_text over the texts, timed, then again under tracemalloc …", flush=True)
    sources = [read_source(f.path) for f in files]
    reader, resolver = FactReader(codebook), default_resolver()  # built once, as extract_reports does
    seconds, facts = _in_memory(sources, codebook, reader, resolver)
    peak = _traced_peak(lambda: _in_memory(sources, codebook, reader, resolver))
    in_memory = Phase("in-memory", seconds, len(sources), utf8_bytes, facts, peak, "tracemalloc peak (traced re-run)")

    print("regex: one finditer pass over the texts …", flush=True)
    regex_seconds, numbers = min(_regex_pass(sources) for _ in range(REGEX_PASSES))
    regex = Phase("regex", regex_seconds, len(sources), utf8_bytes, numbers, None, "")
    phases = [replace(p, ratio_to_regex=p.seconds / regex.seconds) for p in (in_memory, end_to_end)] + [regex]

    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": _machine(),
        "code": code,
        "corpus": _corpus(files, sources, args.seed),
        "aim_ratio": AIM,
        "jobs": args.jobs,
        "phases": [p.as_json() for p in phases],
        "failures": failures,
    }
    _print_report(report, phases)
    if args.stages:
        report["stages"] = _stages(sources, codebook, reader, regex.seconds)
        _print_stages(report["stages"], in_memory.seconds / regex.seconds)
    if args.profile:
        report["profile"] = _profile(sources[: args.profile], codebook, reader, resolver)
        _print_profile(report["profile"], min(args.profile, len(sources)))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 1 if failures else 0


def _end_to_end(folder: Path, codebook: Codebook, utf8_bytes: int, jobs: int) -> tuple[Phase, list[str]]:
    """The library call as users make it. Peak RSS is sampled in a thread because the
    process's own high-water mark (ru_maxrss) cannot be reset and would include corpus generation;
    with jobs > 1 the workers' RSS is added, as they hold memory the machine must have."""
    process = psutil.Process()
    before = peak = process.memory_info().rss
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(RSS_INTERVAL):
            peak = max(peak, _tree_rss(process))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    extraction = extract_reports([folder], codebook, jobs=jobs)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    peak = max(peak, process.memory_info().rss)
    phase = Phase(
        "end-to-end", seconds, extraction.documents.height, utf8_bytes, extraction.facts.height, peak,
        f"max RSS of the whole process{' and its workers' if jobs > 1 else ''} (psutil, sampled); "
        f"{before / MB:.0f} MB before the pass",
    )  # fmt: skip
    return phase, [str(failure) for failure in extraction.failures]


def _tree_rss(process: psutil.Process) -> int:
    """RSS of the process and its children; a worker that exits between listing and reading counts 0."""
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def _in_memory(
    sources: list[SourceText], codebook: Codebook, reader: FactReader, resolver: JurisdictionResolver
) -> tuple[float, int]:
    """Results are kept, as a caller keeps them, so that the memory peak includes them."""
    kept = []
    start = time.perf_counter()
    for source in sources:
        kept.append(extract_text(source, codebook, reader, resolver))
    seconds = time.perf_counter() - start
    return seconds, sum(len(facts) for _, facts in kept)


def _traced_peak(work: Callable[[], object]) -> int:
    """Peak bytes allocated by Python while ``work`` runs (tracemalloc slows it, hence a separate run)."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _regex_pass(sources: list[SourceText]) -> tuple[float, int]:
    start = time.perf_counter()
    numbers = sum(sum(1 for _ in BASELINE.finditer(source.text)) for source in sources)
    return time.perf_counter() - start, numbers


def _stages(sources: list[SourceText], codebook: Codebook, reader: FactReader, regex_seconds: float) -> list[dict[str, Any]]:
    """Seconds (fastest of STAGE_RUNS) and × regex of each stage before numbers are judged.

    Each stage is run on the previous stage's output, prepared beforehand, so that it is timed alone.
    """
    views = [reading_view(source.text, codebook.noise) for source in sources]
    layouts = [Layout.of(view.text) for view in views]
    stages: list[tuple[str, Callable[[], object]]] = [
        ("reading view (normalize.reading_view)", lambda: [reading_view(s.text, codebook.noise) for s in sources]),
        ("layout (text_layout.Layout.of)", lambda: [Layout.of(view.text) for view in views]),
        ("period cues (periods.PeriodIndex)", lambda: [PeriodIndex(layout, 2021) for layout in layouts]),
        ("quantities (mentions.MentionFinder.find)", lambda: [reader.finder.find(view.text) for view in views]),
    ]
    rows = []
    for name, work in stages:
        seconds = min(_timed(work) for _ in range(STAGE_RUNS))
        rows.append({"stage": name, "seconds": seconds, "ratio_to_regex": seconds / regex_seconds})
    return rows


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _print_stages(rows: list[dict[str, Any]], whole_ratio: float) -> None:
    print()
    print("stages before any number is judged (fastest of three runs, x the regex pass):")
    for row in rows:
        print(f"  {row['stage']:<44} {row['seconds']:>7.2f} s {row['ratio_to_regex']:>7.1f}")
    floor = sum(row["ratio_to_regex"] for row in rows)
    print(f"  {'together':<44} {sum(r['seconds'] for r in rows):>7.2f} s {floor:>7.1f}  (whole extraction: {whole_ratio:.1f})")


def _profile(
    sources: list[SourceText], codebook: Codebook, reader: FactReader, resolver: JurisdictionResolver, top: int = 20
) -> list[dict[str, Any]]:
    """Functions by cumulative time as shares of the whole extraction, for the maintainers to act on."""
    profiler = cProfile.Profile()
    profiler.enable()
    for source in sources:
        extract_text(source, codebook, reader, resolver)
    profiler.disable()
    entries = pstats.Stats(profiler).stats.items()  # type: ignore[attr-defined]
    total = max(cumulative for _, (_, _, _, cumulative, _) in entries)  # extract_text's, which holds the rest
    rows = [
        {
            "function": f"{'/'.join(Path(path).parts[-2:])}:{function}" if line else function,
            "calls": calls,
            "cumulative_share": cumulative / total,
            "own_share": own / total,
        }
        for (path, line, function), (_, calls, own, cumulative, _) in entries
    ]
    rows.sort(key=lambda row: row["cumulative_share"], reverse=True)
    return rows[:top]


def _machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "polars": pl.__version__,
        "platform": platform.platform(),
    }


def _code_version() -> str:
    """The commit measured; "-dirty" when the working tree had uncommitted changes."""
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return described.stdout.strip()


def _corpus(files: list[SyntheticFile], sources: list[SourceText], seed: int) -> dict[str, Any]:
    sizes = [f.size_bytes for f in files]
    return {
        "documents": len(files),
        "seed": seed,
        "file_bytes": sum(sizes),
        "utf8_bytes": sum(f.utf8_bytes for f in files),
        "characters": sum(len(s.text) for s in sources),
        "file_kb_min_median_max": [min(sizes) / 1000, statistics.median(sizes) / 1000, max(sizes) / 1000],
        "documents_over_100kb": sum(size > 100_000 for size in sizes),
        "encodings": dict(Counter(f.encoding for f in files).most_common()),
        "with_full_width_digits": sum(bool(re.search("[０-９]", s.text)) for s in sources),
    }


def _print_report(report: dict[str, Any], phases: list[Phase]) -> None:
    corpus, machine = report["corpus"], report["machine"]
    low, median, high = corpus["file_kb_min_median_max"]
    print()
    print(f"machine: {machine['cpus']} CPUs, Python {machine['python']}, polars {machine['polars']}, {machine['platform']}")
    print(f"code:    {report['code']}, {report['date']}")
    print(f"jobs:    {report['jobs']} (end-to-end pass; the in-memory and regex passes run in this process)")
    print(
        f"corpus:  {corpus['documents']} documents, {corpus['utf8_bytes'] / MB:.1f} MB as UTF-8 "
        f"({corpus['file_bytes'] / MB:.1f} MB of files), {low:.0f}/{median:.0f}/{high:.0f} KB min/median/max, "
        f"{corpus['documents_over_100kb']} over 100 KB, encodings {corpus['encodings']}, "
        f"{corpus['with_full_width_digits']} with full-width digits"
    )
    print()
    header = f"{'pass':<11} {'docs/s':>9} {'MB/s':>8} {'wall s':>8} {'peak memory':>12} {'facts/doc':>10} {'x regex':>8}"
    print(header)
    print("-" * len(header))
    for p in phases:
        memory = "-" if p.peak_memory_bytes is None else f"{p.peak_memory_bytes / MB:.0f} MB"
        per_doc = f"({p.facts_per_document:.0f} num)" if p.name == "regex" else f"{p.facts_per_document:.1f}"
        ratio = 1.0 if p.ratio_to_regex is None else p.ratio_to_regex
        print(
            f"{p.name:<11} {p.documents_per_second:>9.1f} {p.mb_per_second:>8.2f} {p.seconds:>8.2f} "
            f"{memory:>12} {per_doc:>10} {ratio:>8.1f}"
        )
    print()
    for p in phases:
        if p.memory_measure:
            print(f"peak memory, {p.name}: {p.memory_measure}")
    ratio = phases[0].ratio_to_regex or 0.0
    verdict = "within" if ratio <= AIM else "NOT within"
    print(f"in-memory extraction takes {ratio:.1f}x the regex pass: {verdict} the aim of {AIM:.0f}x")
    for failure in report["failures"]:
        print(f"FAILED: {failure}")


def _print_profile(rows: list[dict[str, Any]], documents: int) -> None:
    print()
    print(f"hotspots of in-memory extraction over {documents} documents (cProfile, share of total time):")
    print(f"{'cumulative':>10} {'own':>6} {'calls':>9}  function")
    for row in rows:
        print(f"{row['cumulative_share']:>10.1%} {row['own_share']:>6.1%} {row['calls']:>9}  {row['function']}")


if __name__ == "__main__":
    sys.exit(main())
