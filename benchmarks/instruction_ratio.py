"""Extraction against the regex pass in instructions executed, counted by valgrind's callgrind.

Wall times on a shared or virtual machine drift by a third from run to run, more than most
changes to the code are worth; instruction counts do not (the same code, texts and interpreter
give the same count). This runs the same in-memory extraction as bench_extract.py on the first
N synthetic documents three times under callgrind: setting up only, setting up and extracting,
setting up and ten regex passes. The differences give instructions per extraction and per regex
pass, and their ratio. Instructions are not time: the regex engine does more per instruction
than the interpreter, so the ratio in instructions is lower than the ratio in seconds. Use it to
compare two versions of the code, and bench_extract.py for what a user waits.

    .venv/bin/python benchmarks/instruction_ratio.py --documents 40
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REGEX_PASSES = 10  # one pass is short; ten make its count large against the setup's noise
BASELINE = re.compile(r"\d+(?:\.\d+)?")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=40, help="synthetic documents (default 40)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the corpus (default 0)")
    parser.add_argument("--mode", choices=("setup", "extract", "regex"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.mode:
        _work(args.corpus, args.mode)
        return 0
    if shutil.which("valgrind") is None:
        print("instruction_ratio: valgrind is not installed (Debian: apt install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from synthetic import write_corpus

        write_corpus(Path(folder), args.documents, args.seed)
        counts = {mode: _instructions(Path(folder), mode) for mode in ("setup", "extract", "regex")}
    extraction = counts["extract"] - counts["setup"]
    regex_pass = (counts["regex"] - counts["setup"]) / REGEX_PASSES
    print(f"documents: {args.documents} (seed {args.seed})")
    print(f"extraction: {extraction / 1e6:,.0f} M instructions")
    print(f"regex pass: {regex_pass / 1e6:,.1f} M instructions")
    print(f"ratio:      {extraction / regex_pass:.2f}")
    return 0


def _instructions(corpus: Path, mode: str) -> int:
    command = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, __file__, "--mode", mode, "--corpus", str(corpus),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def _work(corpus: Path, mode: str) -> None:
    """Set up as extraction needs it (texts read, reader warmed on them), then do one thing."""
    from compare.codebook import load_codebook
    from compare.extract import FactReader
    from compare.jurisdiction import default_resolver
    from compare.pipeline import extract_text
    from compare.reading import read_source

    sources = [read_source(path) for path in sorted(corpus.rglob("*.*"))]
    codebook = load_codebook()
    reader, resolver = FactReader(codebook), default_resolver()
    for source in sources:  # first use compiles patterns and fills caches; a long run pays that once
        extract_text(source, codebook, reader, resolver)
    if mode == "extract":
        for source in sources:
            extract_text(source, codebook, reader, resolver)
    elif mode == "regex":
        for _ in range(REGEX_PASSES):
            for source in sources:
                sum(1 for _ in BASELINE.finditer(source.text))


if __name__ == "__main__":
    sys.exit(main())
