"""A synthetic national panel: every county × every codebook indicator × N years, for timing the annual run.

The bundled reports cover three counties; a national comparison covers about 2,800. This panel has
the columns and dtypes of an archived ``tables/panel.parquet`` (taken from ``compare.panel.build_panel``
itself) so that ``compare run`` with ``panel: <file>`` runs on it unchanged. Values are invented but
shaped like real ones, so that scores, maps and charts do the work they would do on real data:

- population per county (lognormal, median 450,000 residents, growing slowly) sets the size of
  the place; counts (flows and stocks) follow a lognormal around a median per indicator, scaled
  by size, with a propensity per place × indicator, a trend per indicator and noise per year;
- percents lie in 0–100 (a beta distribution around a mean per indicator); percents the codebook
  derives from counts (``derive``) are computed from the synthetic counts, whose numerators are
  drawn as shares of their denominators, so counts and rates agree;
- other rates (hours per person) lie around a median per indicator.

Provenance is marked synthetic: ``doc_id`` is ``synthetic-<code>-<year>``, ``evidence`` is
``synthetic``, ``population_source`` is ``synthetic``, and no character offsets are given. The
same seed gives the same panel.

    python benchmarks/national_panel.py [--out FILE] [--first-year 2017] [--years 5] [--seed 0]
"""

from __future__ import annotations

import argparse
import sys
import time
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import numpy as np
import polars as pl

from compare.codebook import Codebook, Indicator, Ratio, cached_codebook
from compare.divisions import load_divisions
from compare.panel import VALUE_COLUMNS, build_panel
from compare.pipeline import DOCUMENT_SCHEMA, FACT_SCHEMA

DEFAULT_PATH = Path(__file__).resolve().parent / "national_panel.parquet"  # git-ignored: benchmarks/*.parquet
FIRST_YEAR = 2017
YEARS = 5
SEED = 0
SYNTHETIC = "synthetic"

MEDIAN_RESIDENTS = 450_000.0
# Range of the national median of a count, per unit: each indicator draws its median log-uniformly within.
COUNT_MEDIAN_RANGE: dict[str, tuple[float, float]] = {
    "case": (20, 3_000), "item": (10, 2_000), "document": (5, 300), "session": (2, 40),
    "person_time": (500, 20_000), "person": (10, 1_500), "organization": (10, 400),
}
OTHER_RATE_MEDIAN_RANGE: dict[str, tuple[float, float]] = {"hour": (15, 80)}
DEFAULT_MEDIAN_RANGE = (10.0, 1_000.0)  # a unit added to the codebook later
PERCENT_MEAN_RANGE = (0.05, 0.95)  # national mean share of a percent indicator
PERCENT_CONCENTRATION = 20.0  # of the beta distribution of a place's share around that mean


def panel_schema(codebook: Codebook | None = None) -> pl.Schema:
    """The exact columns and dtypes of the panel's values, as ``build_panel`` makes them."""
    empty = build_panel(pl.DataFrame(schema=FACT_SCHEMA), pl.DataFrame(schema=DOCUMENT_SCHEMA), codebook)
    return empty.values.select(VALUE_COLUMNS).schema


def county_places() -> pl.DataFrame:
    """Every regular county-level division with its province and prefecture names, as the resolver gives them.

    The prefecture is null where a county has none (directly under its province) and is the
    municipality for the districts of Beijing, Tianjin, Shanghai and Chongqing.
    """
    divisions = load_divisions()
    names = divisions.select("code", "name")
    return (
        divisions.filter(pl.col("level") == "county", pl.col("kind") == "regular")
        .join(names.rename({"code": "province_code", "name": "province"}), on="province_code", how="left")
        .join(names.rename({"code": "prefecture_code", "name": "prefecture"}), on="prefecture_code", how="left")
        .select(pl.col("code").alias("adcode"), pl.col("name").alias("place"), "province", "prefecture")
        .sort("adcode")
    )


def _log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def _shares(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Shares in (0, 1) per place × year: a place's level from a beta around a national mean, jittered by year."""
    mean = rng.uniform(*PERCENT_MEAN_RANGE)
    level = rng.beta(mean * PERCENT_CONCENTRATION, (1 - mean) * PERCENT_CONCENTRATION, size=(shape[0], 1))
    logit = np.log(level / (1 - level)) + rng.normal(0, 0.2, size=shape)
    return 1 / (1 + np.exp(-logit))


def _counts(rng: np.random.Generator, indicator: Indicator, size: np.ndarray) -> np.ndarray:
    """Whole counts per place × year: median × size^0.8 × propensity × trend × noise."""
    median = _log_uniform(rng, *COUNT_MEDIAN_RANGE.get(indicator.unit, DEFAULT_MEDIAN_RANGE))
    places, years = size.shape
    propensity = rng.lognormal(0, 0.5, size=(places, 1))
    trend = (1 + rng.normal(0.03, 0.05)) ** np.arange(years)
    noise = rng.lognormal(0, 0.15, size=size.shape)
    return np.rint(median * size**0.8 * propensity * trend * noise)


def _ratio_order(ratios: dict[str, Ratio]) -> list[str]:
    """Derived percents in an order where a denominator set by another ratio's numerators comes first."""
    set_by: dict[str, str] = {}
    for rate_id, ratio in ratios.items():
        for numerator in ratio.numerators:
            if numerator in set_by:
                raise ValueError(f"codebook: {numerator} is a numerator of both {set_by[numerator]} and {rate_id}; "
                                 "a synthetic count cannot be a share of two denominators")
            set_by[numerator] = rate_id
    graph = {rate_id: {set_by[r.denominator]} if r.denominator in set_by else set() for rate_id, r in ratios.items()}
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise ValueError(f"codebook: derived percents depend on each other in a cycle: {error.args[1]}") from error


def _values(rng: np.random.Generator, codebook: Codebook, size: np.ndarray) -> dict[str, np.ndarray]:
    """Value per indicator (places × years); derived percents computed from their synthetic counts."""
    ratios = {i.id: i.derive for i in codebook.indicators.values() if i.derive is not None}
    numerators = {n for r in ratios.values() for n in r.numerators}
    values: dict[str, np.ndarray] = {}
    for indicator in sorted(codebook.indicators.values(), key=lambda i: i.id):
        if indicator.id in ratios or indicator.id in numerators:
            continue
        if indicator.measure in ("flow", "stock"):
            values[indicator.id] = _counts(rng, indicator, size)
        elif indicator.is_percent:
            values[indicator.id] = np.round(100 * _shares(rng, size.shape), 2)
        else:
            median = _log_uniform(rng, *OTHER_RATE_MEDIAN_RANGE.get(indicator.unit, DEFAULT_MEDIAN_RANGE))
            spread = rng.lognormal(0, 0.3, size=(size.shape[0], 1)) * rng.lognormal(0, 0.1, size=size.shape)
            values[indicator.id] = np.round(median * spread, 1)
    for rate_id in _ratio_order(ratios):
        ratio = ratios[rate_id]
        denominator = np.maximum(values[ratio.denominator], 1)  # a percent of nothing is no percent
        values[ratio.denominator] = denominator
        total = np.rint(denominator * _shares(rng, size.shape))
        split = rng.dirichlet(np.ones(len(ratio.numerators)), size=size.shape)
        parts = np.floor(total[..., None] * split)
        parts[..., 0] += total - parts.sum(axis=-1)  # whole counts that add up to the total
        for index, numerator in enumerate(ratio.numerators):
            values[numerator] = parts[..., index]
        values[rate_id] = np.round(100 * total / denominator, 2)
    return values


def _derivations(indicator: Indicator, values: dict[str, np.ndarray], doc_ids: list[str]) -> list[str]:
    """How each value of a derived percent was computed, written as ``compare.panel`` writes it."""
    ratio = indicator.derive
    numerators = [values[n].ravel() for n in ratio.numerators]
    denominator, rate = values[ratio.denominator].ravel(), values[indicator.id].ravel()
    texts = []
    for row, doc_id in enumerate(doc_ids):
        terms = [f"{name} {part[row]:.10g} [{doc_id}]" for name, part in zip(ratio.numerators, numerators)]
        numerator = terms[0] if len(terms) == 1 else f"({' + '.join(terms)})"
        texts.append(f"{numerator} / {ratio.denominator} {denominator[row]:.10g} [{doc_id}] × 100 = {rate[row]:.10g}")
    return texts


def national_panel(
    *, first_year: int = FIRST_YEAR, years: int = YEARS, seed: int = SEED, codebook: Codebook | None = None
) -> pl.DataFrame:
    """The synthetic panel: one actual value per county × indicator × year, columns and dtypes of the real one."""
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    codebook = codebook or cached_codebook()
    rng = np.random.default_rng(seed)
    places = county_places()
    n_places = places.height
    year_range = np.arange(first_year, first_year + years, dtype=np.int32)
    residents = rng.lognormal(np.log(MEDIAN_RESIDENTS), 0.7, size=(n_places, 1)).clip(20_000, 4_000_000)
    growth = rng.normal(0.003, 0.01, size=(n_places, 1))
    population = np.rint(residents * (1 + growth) ** np.arange(years))
    values = _values(rng, codebook, population / MEDIAN_RESIDENTS)

    long_places = places.select(pl.all().repeat_by(years).explode())
    base = long_places.with_columns(
        pl.Series("year", np.tile(year_range, n_places), dtype=pl.Int32),
        pl.Series("population_persons", population.ravel(), dtype=pl.Float64),
    )
    base = base.with_columns(pl.format("synthetic-{}-{}", "adcode", "year").alias("doc_id"))
    doc_ids = base["doc_id"].to_list()
    frames = []
    for indicator in sorted(codebook.indicators.values(), key=lambda i: i.id):
        frame = base.with_columns(
            pl.lit(indicator.id).alias("indicator_id"), pl.lit(indicator.dimension).alias("dimension"),
            pl.lit(indicator.direction).alias("direction"), pl.lit(indicator.unit).alias("unit"),
            pl.Series("value", values[indicator.id].ravel(), dtype=pl.Float64),
        )
        if indicator.derive is not None:
            frame = frame.with_columns(
                pl.lit("derived").alias("source"),
                pl.Series("derivation", _derivations(indicator, values, doc_ids), dtype=pl.String),
                pl.lit("derived from the panel's counts").alias("flags"),
            )
        else:
            frame = frame.with_columns(pl.lit("stated").alias("source"), pl.lit("").alias("derivation"),
                                       pl.lit("").alias("flags"))
        if indicator.measure in ("flow", "stock"):  # per 10,000 residents, as the panel gives counts only
            frame = frame.with_columns(
                pl.col("year").alias("population_year"), pl.lit(SYNTHETIC).alias("population_source"),
                (pl.col("value") / pl.col("population_persons") * 10_000).alias("value_per_10k_residents"),
            )
        else:
            frame = frame.with_columns(
                pl.lit(None, pl.Float64).alias("population_persons"), pl.lit(None, pl.Int32).alias("population_year"),
                pl.lit(None, pl.String).alias("population_source"),
                pl.lit(None, pl.Float64).alias("value_per_10k_residents"),
            )
        frames.append(frame)
    schema = panel_schema(codebook)
    return (
        pl.concat(frames)
        .with_columns(
            pl.lit("county").alias("level"), pl.col("year").alias("period_start"), pl.col("year").alias("period_end"),
            pl.lit("actual").alias("kind"), pl.lit("eq").alias("qualifier"), pl.col("value").alias("value_as_stated"),
            pl.lit("").alias("normalization"), pl.lit("annual_report").alias("doc_type"),
            pl.format("{}-03-31", pl.col("year") + 1).alias("published"), pl.lit(SYNTHETIC).alias("evidence"),
            pl.lit(None).alias("start"), pl.lit(None).alias("end"), pl.lit(0).alias("n_alternatives"),
            pl.lit(False).alias("conflict"),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in schema.items())
        .sort("adcode", "year", "indicator_id")
    )


def write_national_panel(path: Path = DEFAULT_PATH, **options: int) -> pl.DataFrame:
    """Build the panel (``national_panel`` options) and write it as Parquet to ``path``."""
    panel = national_panel(**options)
    path.parent.mkdir(parents=True, exist_ok=True)
    panel.write_parquet(path)
    return panel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH, help=f"Parquet file (default {DEFAULT_PATH})")
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    parser.add_argument("--years", type=int, default=YEARS)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    panel = write_national_panel(args.out, first_year=args.first_year, years=args.years, seed=args.seed)
    print(f"{panel.height:,} rows ({panel['adcode'].n_unique():,} counties × {panel['indicator_id'].n_unique()} "
          f"indicators × {panel['year'].n_unique()} years) → {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) "
          f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
