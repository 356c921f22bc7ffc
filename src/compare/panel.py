"""The panel: one value per place × year × indicator × kind, chosen among every report that gives it.

Reports overlap: an annual report, a white paper looking back five years and a news item may all
give a county's reconsideration cases for 2020. The panel keeps one of them by a fixed rule
(``CHOICE_RULE``), keeps the others as alternatives and flags where they disagree beyond the
rounding of the written figures. It makes values comparable without hiding how: a multi-year total
of a flow becomes a yearly mean (``normalization`` says so, ``value_as_stated`` keeps the figure),
rates that no report states are derived from the chosen counts, and every value keeps its document,
clause and character offsets. Facts that cannot be placed or dated go to ``excluded`` with a reason.
The method is written up for readers in ``docs/panel.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl
import polars.selectors as cs

from .codebook import Codebook, Indicator, cached_codebook
from .divisions import load_divisions
from .frames import require_columns
from .normalize import CHINESE_NUMERAL_CHARS, normalize_width
from .population import per_10k_residents

KEY = ("adcode", "year", "indicator_id", "kind")

# The rule that picks one value where several reports give the same key, as an ordered table of
# (sort column, what it prefers): the first column on which two candidates differ decides, smaller
# first. A value covering the year alone comes first because a multi-year figure ending in that
# year (a total divided into a yearly mean) measures a different thing; the remaining steps are
# the rule among values of the same period.
CHOICE_RULE: tuple[tuple[str, str], ...] = (
    ("_span_years", "a value covering fewer years (the year alone) before a multi-year figure"),
    ("_doc_type_rank", "annual report, then white paper, then other types, then news (DOC_TYPE_ORDER)"),
    ("_retrospective", "the report on that single year before another report's look back"),
    ("_source_rank", "stated before derived from the panel's counts before derived within one report"),
    ("_inexact", "exact (eq) before ge, le or approx"),
    ("_published_or_last", "the earliest published, an unknown date last"),
    ("doc_id", "then the document id"),
    ("start", "then the first occurrence in the text"),
)
# Document types in order of preference; every type not named sits where OTHER_TYPES is.
OTHER_TYPES = "*"
DOC_TYPE_ORDER: tuple[str, ...] = ("annual_report", "white_paper", OTHER_TYPES, "news")
SOURCE_ORDER: tuple[str, ...] = ("stated", "derived_in_panel", "derived")

PERCENT_TOLERANCE_POINTS = 0.05  # two percents disagree when more than this apart
RATE_DECIMALS = 2  # derived rates are rounded like the rates reports state
FLAGGED_QUALIFIERS = {"ge": "at least (ge)", "le": "at most (le)", "approx": "approximate (approx)"}

VALUE_COLUMNS: tuple[str, ...] = (
    "adcode", "place", "level", "province", "prefecture", "year", "period_start", "period_end",
    "indicator_id", "dimension", "direction", "unit", "kind", "qualifier", "value", "value_as_stated",
    "normalization", "population_persons", "population_year", "population_source", "value_per_10k_residents",
    "source", "derivation", "doc_id", "doc_type", "published", "evidence", "start", "end",
    "n_alternatives", "conflict", "flags",
)
EXCLUDED_COLUMNS: tuple[str, ...] = (
    "doc_id", "indicator_id", "kind", "value", "unit", "period_start", "period_end", "source",
    "evidence", "start", "end", "reason",
)
_FACT_COLUMNS = (
    "doc_id", "indicator_id", "value", "kind", "qualifier", "period_start", "period_end", "source",
    "evidence", "start", "end", "unit", "as_written", "check", "derivation", "period_note",
)
_DOCUMENT_COLUMNS = (
    "doc_id", "jurisdiction", "adcode", "level", "province", "prefecture", "jurisdiction_status",
    "doc_type", "period_start", "period_end", "published",
)
_SCALES = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}
_ARABIC_FIGURE = re.compile(r"\d[\d,]*(?:\.(?P<fraction>\d+))?\s*(?P<scale>[万亿千百])?")
_CHINESE_FIGURE = re.compile(f"[{CHINESE_NUMERAL_CHARS}]+")
_SMALL_UNITS = {"十": 10.0, "拾": 10.0, "百": 100.0, "佰": 100.0, "千": 1000.0, "仟": 1000.0}
_BIG_UNITS = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}


@dataclass(frozen=True)
class Panel:
    """The chosen values, the values not chosen, and the facts that could not enter."""

    values: pl.DataFrame
    alternatives: pl.DataFrame
    excluded: pl.DataFrame


def build_panel(
    facts: pl.DataFrame,
    documents: pl.DataFrame,
    codebook: Codebook | None = None,
    population: pl.DataFrame | None = None,
) -> Panel:
    """The panel of ``facts`` (see ``compare.pipeline``) placed and dated by their ``documents``.

    With a ``population`` frame (``compare.population.load_population``) flows and stocks also get
    a value per 10,000 residents; rates never do.
    """
    codebook = codebook or cached_codebook()
    require_columns(facts, _FACT_COLUMNS, "facts")
    require_columns(documents, _DOCUMENT_COLUMNS, "documents")
    repeated = documents.filter(pl.col("doc_id").is_duplicated())["doc_id"].unique().sort().to_list()
    if repeated:
        raise ValueError(f"documents: doc_id {', '.join(repeated)} appears more than once; a document is one row")

    joined = _join_documents(facts, documents, codebook)
    reason = _exclusion_reason(codebook)
    excluded = joined.filter(reason.is_not_null()).with_columns(reason.alias("reason"))
    candidates = _normalized(joined.filter(reason.is_null()))

    # rates are derived from the counts the rule chose, then compete with the rates reports give
    derived = _derive_rates(_choose(candidates).filter(pl.col("_chosen")), candidates, codebook)
    candidates = pl.concat([_without_repeats(candidates, derived), derived], how="diagonal_relaxed")
    ranked = _per_10k(_flagged(_with_conflicts(_choose(candidates))), population)

    values = ranked.filter(pl.col("_chosen")).sort(*KEY, nulls_last=True).select(VALUE_COLUMNS)
    alternatives = (
        ranked.filter(~pl.col("_chosen")).sort(*KEY, "_choice_order", nulls_last=True)
        .select(*VALUE_COLUMNS, "chosen_doc_id")
    )
    return Panel(values, alternatives, excluded.sort("doc_id", "start").select(EXCLUDED_COLUMNS))


def _place_names(documents: pl.DataFrame) -> pl.DataFrame:
    """One name per place code: the official one, else the first name a report uses."""
    official = load_divisions().select(pl.col("code").alias("adcode"), pl.col("name").alias("_official"))
    return (
        documents.filter(pl.col("adcode").is_not_null())
        .group_by("adcode").agg(pl.col("jurisdiction").sort_by("doc_id").first().alias("_named"))
        .join(official, on="adcode", how="left")
        .select("adcode", pl.coalesce("_official", "_named").alias("place"))
    )


def _join_documents(facts: pl.DataFrame, documents: pl.DataFrame, codebook: Codebook) -> pl.DataFrame:
    """Facts with their document's place, type, period and date, and their indicator's metadata."""
    indicators = pl.DataFrame(
        [(i.id, i.dimension, i.direction, i.measure) for i in codebook.indicators.values()],
        schema={"indicator_id": pl.String, "dimension": pl.String, "direction": pl.String, "_measure": pl.String},
        orient="row",
    )
    docs = documents.select(
        "doc_id", "jurisdiction", pl.col("adcode").cast(pl.String), "level", "province", "prefecture",
        "jurisdiction_status", "doc_type", pl.col("period_start").cast(pl.Int32).alias("_doc_start"),
        pl.col("period_end").cast(pl.Int32).alias("_doc_end"), pl.col("published").cast(pl.String),
        pl.lit(True).alias("_has_document"),
    )
    return (
        facts.select(_FACT_COLUMNS)
        .with_columns(pl.col("period_start").cast(pl.Int32), pl.col("period_end").cast(pl.Int32),
                      pl.col("start").cast(pl.Int64), pl.col("end").cast(pl.Int64), pl.col("value").cast(pl.Float64))
        .join(docs, on="doc_id", how="left")
        .join(_place_names(documents), on="adcode", how="left")
        .join(indicators, on="indicator_id", how="left")
    )


def _exclusion_reason(codebook: Codebook) -> pl.Expr:
    """Why a fact cannot enter the panel (null when it can), the first reason that applies."""
    return (
        pl.when(pl.col("_has_document").is_null())
        .then(pl.lit("document not in the documents table"))
        .when(pl.col("adcode").is_null() | (pl.col("adcode") == ""))
        .then(pl.format("no place code: jurisdiction {} is {}", pl.col("jurisdiction").fill_null("(none)"),
                        pl.col("jurisdiction_status").fill_null("unresolved")))
        .when(~pl.col("indicator_id").is_in(list(codebook.indicators)))
        .then(pl.format("indicator {} is not in the codebook", pl.col("indicator_id")))
        .when((pl.col("kind") == "actual") & pl.col("period_end").is_null())
        .then(pl.lit("actual value without a period"))
        .when(pl.col("period_note").fill_null("") != "")
        .then(pl.format("covers only part of its year ({}), not comparable with whole years", pl.col("period_note")))
        .otherwise(None)
    )


def _normalized(candidates: pl.DataFrame) -> pl.DataFrame:
    """Yearly values (a multi-year flow total ÷ its years), keeping the figure as stated and its rounding."""
    years = pl.col("period_end") - pl.col("period_start") + 1
    divided = (pl.col("_measure") == "flow") & (pl.col("period_start") < pl.col("period_end"))
    return candidates.with_columns(
        pl.col("period_end").alias("year"),
        pl.col("value").alias("value_as_stated"),
        pl.when(divided).then(pl.col("value") / years).otherwise(pl.col("value")).alias("value"),
        pl.when(divided)
        .then(pl.format("per year: {}–{} total ÷ {}", "period_start", "period_end", years))
        .otherwise(pl.lit("")).alias("normalization"),
        pl.Series("_half_unit", [written_half_unit(w or "") for w in candidates["as_written"]], dtype=pl.Float64),
    )


def _rank_of(column: str, order: tuple[str, ...], default: str | None = None) -> pl.Expr:
    ranks = {name: rank for rank, name in enumerate(order)}
    fallback = ranks[default] if default is not None else len(order)
    return pl.col(column).replace_strict(ranks, default=fallback, return_dtype=pl.Int32)


def _choose(candidates: pl.DataFrame) -> pl.DataFrame:
    """Every candidate with ``_chosen`` (first by ``CHOICE_RULE`` within its key) and ``chosen_doc_id``."""
    ordered = candidates.with_columns(
        (pl.col("period_end") - pl.col("period_start")).fill_null(0).alias("_span_years"),
        _rank_of("doc_type", DOC_TYPE_ORDER, OTHER_TYPES).alias("_doc_type_rank"),
        ~((pl.col("_doc_start") == pl.col("year")) & (pl.col("_doc_end") == pl.col("year"))).fill_null(False)
        .alias("_retrospective"),
        _rank_of("source", SOURCE_ORDER).alias("_source_rank"),
        (pl.col("qualifier") != "eq").alias("_inexact"),
        pl.col("published").fill_null("9999").alias("_published_or_last"),
    ).sort(*KEY, *(column for column, _ in CHOICE_RULE), nulls_last=True)
    return ordered.with_columns(
        pl.int_range(pl.len()).over(KEY).alias("_choice_order"),
    ).with_columns(
        (pl.col("_choice_order") == 0).alias("_chosen"),
        pl.col("doc_id").first().over(KEY).alias("chosen_doc_id"),
    )


def written_half_unit(as_written: str) -> float:
    """Half the last written digit's worth: 5.2万 → 500, 52,013 → 0.5, 一千二百 → 50; 0 when nothing is written.

    A figure stands for every number that rounds to it, so two reports agree when they are no
    further apart than this.
    """
    text = normalize_width(as_written)
    arabic = _ARABIC_FIGURE.search(text)
    if arabic:
        decimals = len(arabic.group("fraction") or "")
        return 0.5 * 10.0**-decimals * _SCALES.get(arabic.group("scale") or "", 1.0)
    chinese = _CHINESE_FIGURE.search(text)
    if not chinese:
        return 0.0
    figure, scale = chinese.group(), 1.0
    while figure and figure[-1] in _BIG_UNITS:
        scale *= _BIG_UNITS[figure[-1]]
        figure = figure[:-1]
    if "点" in figure:
        return 0.5 * 10.0 ** -len(figure.partition("点")[2]) * scale
    return 0.5 * _SMALL_UNITS.get(figure[-1:], 1.0) * scale


def _bounds(prefix: str) -> tuple[pl.Expr, pl.Expr]:
    """The range a figure allows: its value, open upwards for ge and downwards for le."""
    value, qualifier = pl.col(f"{prefix}value_as_stated"), pl.col(f"{prefix}qualifier")
    low = pl.when(qualifier == "le").then(float("-inf")).otherwise(value)
    high = pl.when(qualifier == "ge").then(float("inf")).otherwise(value)
    return low, high


def _with_conflicts(ranked: pl.DataFrame) -> pl.DataFrame:
    """``conflict`` on every alternative that disagrees with the chosen value, and on that value itself.

    Only values of the same period are compared. Percents disagree when more than 0.05 points
    apart; counts when further apart than the rounding of the coarser written figure.
    """
    reference = ranked.filter(pl.col("_chosen")).select(
        *KEY, *(pl.col(c).alias(f"_c_{c}") for c in ("period_start", "value_as_stated", "qualifier", "_half_unit")),
    )
    low, high = _bounds("")
    chosen_low, chosen_high = _bounds("_c_")
    gap = pl.max_horizontal(pl.max_horizontal(low, chosen_low) - pl.min_horizontal(high, chosen_high), pl.lit(0.0))
    tolerance = (
        pl.when(pl.col("unit") == "percent").then(pl.lit(PERCENT_TOLERANCE_POINTS))
        .otherwise(pl.max_horizontal("_half_unit", "_c__half_unit"))
    )
    same_period = pl.col("period_start").eq_missing(pl.col("_c_period_start"))
    compared = ranked.join(reference, on=list(KEY), how="left", nulls_equal=True).with_columns(
        (~pl.col("_chosen") & same_period & (gap > tolerance + 1e-9)).alias("conflict"),
    )
    return compared.with_columns(
        (pl.col("conflict") | (pl.col("_chosen") & pl.col("conflict").any().over(KEY))).alias("conflict"),
        (pl.len().over(KEY) - 1).cast(pl.UInt32).alias("n_alternatives"),
    ).drop(cs.starts_with("_c_"))


def _number(value: float) -> str:
    return f"{value:.10g}"


def _derive_rates(chosen: pl.DataFrame, candidates: pl.DataFrame, codebook: Codebook) -> pl.DataFrame:
    """Rates from the chosen counts of the same place and period, where no report states the rate.

    Every part must be an actual value of the same period; a zero denominator or a numerator above
    the denominator (parts that do not describe the same cases) gives nothing.
    """
    actual = chosen.filter(pl.col("kind") == "actual")
    by_key = {(row["adcode"], row["year"], row["indicator_id"]): row for row in actual.iter_rows(named=True)}
    stated = {
        (row["adcode"], row["year"], row["indicator_id"], row["period_start"])
        for row in candidates.filter((pl.col("kind") == "actual") & (pl.col("source") == "stated"))
        .select("adcode", "year", "indicator_id", "period_start").iter_rows(named=True)
    }
    rows = []
    for indicator in codebook.indicators.values():
        if indicator.derive is None:
            continue
        places = {(adcode, year) for adcode, year, iid in by_key if iid == indicator.derive.denominator}
        for adcode, year in sorted(places):
            parts = [by_key.get((adcode, year, part)) for part in indicator.derive.parts]
            if any(part is None for part in parts) or len({part["period_start"] for part in parts}) != 1:
                continue
            if (adcode, year, indicator.id, parts[0]["period_start"]) in stated:
                continue
            row = _rate_row(indicator, parts[:-1], parts[-1])
            if row is not None:
                rows.append({**{c: row.get(c) for c in candidates.columns}, "_part_docs": row["_part_docs"]})
    return pl.DataFrame(rows, schema={**candidates.schema, "_part_docs": pl.String}, orient="row") if rows else (
        candidates.clear().with_columns(pl.lit(None, pl.String).alias("_part_docs")))


def _rate_row(indicator: Indicator, numerators: list[dict], denominator: dict) -> dict | None:
    numerator_value = sum(part["value_as_stated"] for part in numerators)
    if denominator["value_as_stated"] <= 0 or numerator_value > denominator["value_as_stated"]:
        return None
    rate = round(100.0 * numerator_value / denominator["value_as_stated"], RATE_DECIMALS)
    terms = [f"{p['indicator_id']} {_number(p['value_as_stated'])} [{p['doc_id']}]" for p in numerators]
    numerator_text = " + ".join(terms) if len(terms) == 1 else f"({' + '.join(terms)})"
    derivation = (
        f"{numerator_text} / {denominator['indicator_id']} {_number(denominator['value_as_stated'])} "
        f"[{denominator['doc_id']}] × 100 = {_number(rate)}"
    )
    first = numerators[0]
    evidence = " + ".join(dict.fromkeys(p["evidence"] for p in numerators)) + " / " + denominator["evidence"]
    exact = all(p["qualifier"] == "eq" for p in [*numerators, denominator])
    return {
        **first,
        "indicator_id": indicator.id, "dimension": indicator.dimension, "direction": indicator.direction,
        "_measure": indicator.measure, "unit": indicator.unit, "kind": "actual",
        "qualifier": "eq" if exact else "approx", "value": rate, "value_as_stated": rate, "normalization": "",
        "source": "derived_in_panel", "derivation": derivation, "evidence": evidence, "as_written": "",
        "check": "", "_half_unit": 0.0, "_part_docs": ";".join(sorted({p["doc_id"] for p in [*numerators, denominator]})),
    }


def _without_repeats(candidates: pl.DataFrame, derived: pl.DataFrame) -> pl.DataFrame:
    """Candidates less the rates a report derived from the very counts the panel derived them from."""
    if derived.is_empty():
        return candidates
    same = derived.select(
        *KEY, "period_start", pl.col("_part_docs").alias("doc_id"), pl.col("value").alias("_panel_value"),
    )
    repeats = (
        candidates.filter(pl.col("source") == "derived")
        .join(same, on=[*KEY, "period_start", "doc_id"], how="inner", nulls_equal=True)
        .filter((pl.col("value") - pl.col("_panel_value")).abs() < 0.5 * 10**-RATE_DECIMALS)
        .select("doc_id", "indicator_id", "start", "end", "period_start", "period_end")
    )
    return candidates.join(repeats, on=["doc_id", "indicator_id", "start", "end", "period_start", "period_end"],
                           how="anti", nulls_equal=True)


def _flagged(ranked: pl.DataFrame) -> pl.DataFrame:
    """``flags``: what a reader must know before comparing the value, "; "-joined; panel sources made plain."""
    qualifier_flag = pl.col("qualifier").replace_strict(FLAGGED_QUALIFIERS, default=None, return_dtype=pl.String)
    flags = pl.concat_str(
        [
            pl.when(pl.col("period_start") < pl.col("period_end"))
            .then(pl.format("multi-year period {}–{}", "period_start", "period_end")),
            pl.when(pl.col("period_end").is_null()).then(pl.lit("no period")),
            pl.when(pl.col("source") == "derived_in_panel").then(pl.lit("derived from the panel's counts"))
            .when(pl.col("source") == "derived").then(pl.lit("derived within the report")),
            qualifier_flag,
            pl.when(pl.col("conflict") & pl.col("_chosen")).then(pl.lit("an alternative disagrees"))
            .when(pl.col("conflict")).then(pl.lit("disagrees with the chosen value")),
            pl.when(pl.col("check").fill_null("").str.starts_with("disagrees"))
            .then(pl.format("stated rate {} from the report's counts", "check")),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    return ranked.with_columns(
        flags.alias("flags"),
        pl.col("source").replace({"derived_in_panel": "derived"}).alias("source"),
    )


def _per_10k(ranked: pl.DataFrame, population: pl.DataFrame | None) -> pl.DataFrame:
    """Population and value per 10,000 residents for flows and stocks; null for rates or without a table."""
    counts = pl.col("_measure").is_in(["flow", "stock"])
    if population is None:
        return ranked.with_columns(
            pl.lit(None, pl.Float64).alias("population_persons"), pl.lit(None, pl.Int32).alias("population_year"),
            pl.lit(None, pl.String).alias("population_source"), pl.lit(None, pl.Float64).alias("value_per_10k_residents"),
        )
    with_population = per_10k_residents(ranked, population)
    added = ("population_persons", "population_year", "population_source", "value_per_10k_residents")
    return with_population.with_columns(pl.when(counts).then(pl.col(c)).otherwise(None).alias(c) for c in added)
