"""The ``compare`` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .codebook import CodebookError, load_codebook
from .dictionary import render_dictionary
from .outputs import FORMATS, table_format, write_table
from .pipeline import PARALLEL_FROM, extract_reports, terminal_progress


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="compare", description="Rule-of-law reports into comparable indicators.")
    parser.add_argument("--version", action="version", version=f"compare {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="read reports (TXT, HTML, PDF, DOCX) into a facts table")
    extract.add_argument("paths", nargs="+", type=Path, help="report files or folders (searched recursively)")
    extract.add_argument("--out", type=Path, default=Path("facts.csv"), help="facts table (default: facts.csv)")
    extract.add_argument(
        "--documents", type=Path, default=None,
        help="documents table (default: documents.<format> beside the facts table)",
    )
    extract.add_argument("--format", choices=FORMATS, default=None, help="csv or parquet (default: from --out, else csv)")
    extract.add_argument("--codebook", type=Path, default=None, help="codebook folder (default: data/codebook)")
    extract.add_argument(
        "--jobs", type=_at_least_one, default=None, metavar="N",
        help=f"processes reading at once; 1 reads in this process (default: one per core from "
             f"{PARALLEL_FROM} files on, else 1)",
    )

    dictionary = commands.add_parser("dictionary", help="render the codebook as a data dictionary (Markdown)")
    dictionary.add_argument("--out", type=Path, default=None, help="file to write (default: print)")
    dictionary.add_argument("--codebook", type=Path, default=None, help="codebook folder (default: data/codebook)")
    run = commands.add_parser("run", help="the annual comparison: notebooks, HTML, tables and figures in outputs/<year>/")
    run.add_argument("--year", type=int, required=True, help="the year compared")
    run.add_argument("--params", type=Path, default=None,
                     help="parameters file (default: parameters/<year>.yaml over parameters/default.yaml)")
    run.add_argument("--outputs", type=Path, default=None, help="archive folder (default: outputs/ of the project)")
    run.add_argument("--force", action="store_true", help="run even when inputs and parameters are unchanged")
    run.add_argument("--replace", action="store_true",
                     help="delete the year's previous archive instead of keeping it under history/")
    run.add_argument("--jobs", type=int, default=None, help="notebooks executed at once (default: one per core)")
    return parser


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _run(args: argparse.Namespace) -> int:
    from .archive import RunInProgress
    from .parameters import ParameterError, load_parameters, project_root
    from .run import run_year

    try:
        params = load_parameters(args.year, args.params)
    except ParameterError as exc:
        print(f"compare: parameter error: {exc}", file=sys.stderr)
        return 2
    outputs = args.outputs or project_root() / "outputs"
    try:
        result = run_year(params, outputs, force=args.force, replace=args.replace, jobs=args.jobs)
    except RunInProgress as exc:
        print(f"compare: {exc}", file=sys.stderr)
        return 3
    except RuntimeError as exc:  # the environment cannot run the notebooks (e.g. a foreign kernel)
        print(f"compare: {exc}", file=sys.stderr)
        return 2
    return result.exit_code


def _extract(args: argparse.Namespace) -> int:
    fmt = table_format(args.out, args.format)
    documents_path = args.documents or args.out.with_name(f"documents.{fmt}")
    codebook = load_codebook(args.codebook)
    result = extract_reports(args.paths, codebook, progress=terminal_progress, jobs=args.jobs)
    for failure in result.failures:
        print(f"compare: skipped {failure}", file=sys.stderr)
    if result.documents.is_empty():
        print("compare: no report could be read; nothing written", file=sys.stderr)
        return 1
    write_table(result.facts, args.out, fmt)
    write_table(result.documents, documents_path, table_format(documents_path, args.format))
    derived = int((result.facts["source"] == "derived").sum())
    print(
        f"compare: read {result.documents.height} document(s), {result.facts.height - derived} stated and "
        f"{derived} derived fact(s) → {args.out}, {documents_path}"
        + (f"; {len(result.failures)} file(s) skipped" if result.failures else ""),
        file=sys.stderr,
    )
    return 0


def _dictionary(args: argparse.Namespace) -> int:
    text = render_dictionary(load_codebook(args.codebook))
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"compare: data dictionary written to {args.out}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "extract":
            return _extract(args)
        if args.command == "run":
            return _run(args)
        return _dictionary(args)
    except CodebookError as exc:
        print(f"compare: codebook error: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"compare: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
