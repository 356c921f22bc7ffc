"""One year's tables, built once and shared by every notebook of the run.

``build_tables`` goes from reports to comparison: facts and documents, the panel, the values of
the year within its look-back window, scores, composite and rank intervals, correlations,
distances to targets and report quality. ``compare run`` builds them before the notebooks start
and passes the folder; a notebook run on its own (JupyterLab, plain papermill) builds them itself.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from .codebook import Codebook, cached_codebook
from .frames import require_columns
from .outputs import write_table
from .parameters import Parameters

if TYPE_CHECKING:
    from .panel import Panel

RUN_INFO = "run_info.json"
# Tables a reader opens in a spreadsheet: the year's results per place. The long tables (panel,
# indicator scores: places × indicators) are in Parquet and CSV only; a national workbook of
# them would take minutes to write and be too large to open comfortably.
WORKBOOK = "comparison.xlsx"
WORKBOOK_SHEETS = ("composite", "rank_intervals", "dimension_scores", "target_distances", "report_quality", "documents")


@dataclass
class AnnualTables:
    documents: pl.DataFrame
    facts: pl.DataFrame
    panel: pl.DataFrame
    alternatives: pl.DataFrame
    excluded: pl.DataFrame
    latest_values: pl.DataFrame
    indicator_scores: pl.DataFrame
    dimension_scores: pl.DataFrame
    composite: pl.DataFrame
    rank_intervals: pl.DataFrame
    correlations: pl.DataFrame
    target_distances: pl.DataFrame
    report_quality: pl.DataFrame
    read_failures: list[str]
    definition_hashes: dict[str, str]


FRAME_NAMES = tuple(f.name for f in fields(AnnualTables) if f.name not in ("read_failures", "definition_hashes"))


def definition_hashes(codebook: Codebook) -> dict[str, str]:
    """A short hash of each indicator's reading rules, so trends can mark where a definition changed."""
    hashes = {}
    for indicator in codebook.indicators.values():
        rules = [indicator.unit, indicator.definition, *(p.pattern for p in indicator.cues),
                 *(p.pattern for p in indicator.cues_after), *(p.pattern for p in indicator.requires),
                 *(p.pattern for p in indicator.excludes),
                 *(p.pattern for p in indicator.excludes_in_sentence), str(indicator.domain), str(indicator.derive),
                 indicator.measure]
        hashes[indicator.id] = hashlib.sha256("\x1f".join(rules).encode()).hexdigest()[:12]
    return dict(sorted(hashes.items()))


def in_scope(values: pl.DataFrame, params: Parameters) -> pl.DataFrame:
    """Rows of the parameters' level, region and indicators."""
    scoped = values.filter(pl.col("level") == params.level, pl.col("indicator_id").is_in(params.indicators))
    if params.region is not None:
        region = params.region
        scoped = scoped.filter(
            (pl.col("adcode").str.slice(0, 2) + "0000" == region) if region.endswith("0000")
            else (pl.col("adcode").str.slice(0, 4) + "00" == region) | (pl.col("adcode") == region)
        )
    return scoped


def read_panel(path: Path, codebook: Codebook) -> Panel:
    """A panel table given instead of reports: checked for the panel's columns, nothing else read."""
    from .panel import VALUE_COLUMNS, Panel, build_panel
    from .pipeline import DOCUMENT_SCHEMA, FACT_SCHEMA

    values = pl.read_parquet(path)
    require_columns(values, VALUE_COLUMNS, f"{path}: not a panel table")
    empty = build_panel(pl.DataFrame(schema=FACT_SCHEMA), pl.DataFrame(schema=DOCUMENT_SCHEMA), codebook)
    return Panel(values=values.select(VALUE_COLUMNS), alternatives=empty.alternatives, excluded=empty.excluded)


def build_tables(params: Parameters, codebook: Codebook | None = None) -> AnnualTables:
    # The stages are imported here, not at the top: a notebook that only loads the tables a run
    # built (every notebook of ``compare run``) then starts without scipy.stats and the readers.
    from .panel import build_panel
    from .pipeline import DOCUMENT_SCHEMA, FACT_SCHEMA, Extraction, extract_reports
    from .population import load_population
    from .report_quality import assess_reports, read_texts
    from .robustness import indicator_correlations, rank_intervals, target_distances
    from .scores import composite, dimension_scores, indicator_scores, latest_values

    codebook = codebook or cached_codebook()
    if params.panel is not None:
        extraction = Extraction(pl.DataFrame(schema=FACT_SCHEMA), pl.DataFrame(schema=DOCUMENT_SCHEMA), [])
        panel = read_panel(params.panel, codebook)
    else:
        extraction = extract_reports(params.reports, codebook)
        population = load_population(params.population) if params.population is not None else None
        panel = build_panel(extraction.facts, extraction.documents, codebook, population)
    scoped = in_scope(panel.values, params)
    latest = latest_values(scoped, year=params.year, lookback_years=params.lookback_years,
                           indicators=list(params.indicators), value_column=params.value_column)
    scores = indicator_scores(latest)
    dimensions = dimension_scores(scores, params.weights)
    index = composite(scores, params.weights)
    intervals = rank_intervals(scores, params.weights, n_draws=params.robustness_draws, seed=params.robustness_seed)
    quality = assess_reports(extraction.documents, read_texts(extraction.documents))
    return AnnualTables(
        documents=extraction.documents,
        facts=extraction.facts,
        panel=panel.values,
        alternatives=panel.alternatives,
        excluded=panel.excluded,
        latest_values=latest,
        indicator_scores=scores,
        dimension_scores=dimensions,
        composite=index,
        rank_intervals=intervals,
        correlations=indicator_correlations(latest),
        target_distances=target_distances(latest, params.targets),
        report_quality=quality,
        read_failures=[str(f) for f in extraction.failures],
        definition_hashes=definition_hashes(codebook),
    )


def write_tables(tables: AnnualTables, folder: Path) -> dict[str, list[str]]:
    """Every table as Parquet and CSV, the year's results as one XLSX workbook; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, list[str]] = {}
    for name in FRAME_NAMES:
        frame = getattr(tables, name)
        for fmt in ("parquet", "csv"):
            write_table(frame, folder / f"{name}.{fmt}", fmt)
        written[name] = [f"{name}.parquet", f"{name}.csv"]
    with_sheets = [(name, getattr(tables, name)) for name in WORKBOOK_SHEETS]
    _write_workbook(with_sheets, folder / WORKBOOK)
    written["workbook"] = [WORKBOOK]
    info = {"read_failures": tables.read_failures, "definition_hashes": tables.definition_hashes}
    (folder / RUN_INFO).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    return written


def _write_workbook(sheets: list[tuple[str, pl.DataFrame]], path: Path) -> None:
    import xlsxwriter

    partial = path.with_name(f".{path.name}.partial")
    with xlsxwriter.Workbook(str(partial)) as workbook:
        for name, frame in sheets:
            frame.write_excel(workbook, worksheet=name, autofit=frame.height < 5_000)
    partial.replace(path)


def load_tables(folder: Path) -> AnnualTables:
    """Tables written by ``write_tables`` (what ``compare run`` hands its notebooks)."""
    folder = Path(folder)
    missing = [n for n in FRAME_NAMES if not (folder / f"{n}.parquet").is_file()]
    if missing:
        raise FileNotFoundError(f"{folder}: missing table(s) {', '.join(missing)}; rebuild with compare run")
    info = json.loads((folder / RUN_INFO).read_text(encoding="utf-8"))
    frames = {n: pl.read_parquet(folder / f"{n}.parquet") for n in FRAME_NAMES}
    return AnnualTables(**frames, read_failures=info["read_failures"], definition_hashes=info["definition_hashes"])


def tables_for(params: Parameters, tables_dir: str | Path | None = None) -> AnnualTables:
    """The run's tables when a run built them, else built here (a notebook opened on its own)."""
    return load_tables(Path(tables_dir)) if tables_dir else build_tables(params)
