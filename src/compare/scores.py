"""Scores of places: the latest value of each indicator, its rank and scores, and the composite index.

Reports come out in different years, so a place is compared on the latest value within a
look-back window and that value's vintage is shown beside it. Scores are direction aware (1 = best
whether more or fewer is better); neutral indicators, where more is neither better nor worse, are
listed but never scored. The composite is a weighted mean of dimension scores, renormalized over
the dimensions a place has, with the coverage it rests on shown beside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import polars as pl

from .codebook import DIRECTIONS, cached_codebook
from .frames import require_columns

PLACE_COLUMNS = ("adcode", "place", "level", "province", "prefecture")
LATEST_COLUMNS = (
    *PLACE_COLUMNS, "indicator_id", "dimension", "direction", "unit", "value", "vintage_year", "age_years",
    "doc_id", "source", "flags",
)
# Columns of the panel that may be compared, with the words their unit takes on.
VALUE_COLUMNS = {"value": "", "value_per_10k_residents": " per 10k residents"}
# Composites closer than this count as tied: differences below it are floating-point summation noise.
RANK_DECIMALS = 12


def latest_values(
    values: pl.DataFrame,
    *,
    year: int,
    lookback_years: int,
    indicators: Sequence[str] | None = None,
    value_column: str = "value",
) -> pl.DataFrame:
    """Per adcode × indicator the actual value of the latest year in [year - lookback_years, year].

    Values after ``year`` are ignored (they were not known then), as are targets and missing values.
    ``vintage_year`` is the year the value covers and ``age_years`` how old it is. With
    ``value_column="value_per_10k_residents"`` counts are compared per 10,000 residents (their
    unit says so) while percent indicators keep their value: a share does not grow with population.
    """
    if value_column not in VALUE_COLUMNS:
        raise ValueError(f"value_column {value_column!r} is not one of {', '.join(VALUE_COLUMNS)}")
    if lookback_years < 0:
        raise ValueError(f"lookback_years must be 0 or more, got {lookback_years}")
    needed = (*PLACE_COLUMNS, "year", "indicator_id", "dimension", "direction", "unit", "kind", "value",
              value_column, "doc_id", "source", "flags")
    require_columns(values, tuple(dict.fromkeys(needed)), "panel values")
    rows = values.filter(pl.col("kind") == "actual", pl.col("year").is_between(year - lookback_years, year))
    if indicators is not None:
        known = cached_codebook().indicators
        unknown = [i for i in indicators if i not in known]
        if unknown:
            raise ValueError(f"indicators: unknown id(s) {', '.join(unknown)}; valid choices: {', '.join(sorted(known))}")
        rows = rows.filter(pl.col("indicator_id").is_in(list(indicators)))
    is_percent = pl.col("unit") == "percent"
    compared = pl.when(is_percent).then(pl.col("value")).otherwise(pl.col(value_column))
    unit = pl.when(is_percent).then(pl.col("unit")).otherwise(pl.col("unit") + VALUE_COLUMNS[value_column])
    return (
        rows.with_columns(compared.alias("value"), unit.alias("unit"))
        .filter(pl.col("value").is_not_null() & pl.col("value").is_not_nan())
        .sort("adcode", "indicator_id", "year", "doc_id", descending=[False, False, True, False])
        .unique(subset=["adcode", "indicator_id"], keep="first", maintain_order=True)
        .with_columns(
            pl.col("year").cast(pl.Int32).alias("vintage_year"),
            (pl.lit(year, dtype=pl.Int32) - pl.col("year").cast(pl.Int32)).alias("age_years"),
        )
        .select(LATEST_COLUMNS)
        .sort("indicator_id", "adcode")
    )


def indicator_scores(latest: pl.DataFrame) -> pl.DataFrame:
    """Rank, percentile, min-max and z score of each place within each indicator.

    All are direction aware: rank 1, percentile 100, score_minmax 1 and the highest score_z go to
    the best value, whether higher or lower is better. Ties share the average rank. Percentile is
    (n_places - rank) / (n_places - 1) × 100; z uses the standard deviation of the places compared
    (ddof=0). Where every place has the same value, or only one place has a value, nobody is
    better than anybody: rank (n_places + 1) / 2, percentile 50, score_minmax 0.5 and score_z 0,
    never NaN or infinity. Neutral indicators get null rank, percentile and scores.
    """
    require_columns(latest, ("adcode", "indicator_id", "direction", "value"), "latest values")
    bad_direction = latest.filter(~pl.col("direction").is_in(DIRECTIONS))
    if bad_direction.height:
        row = bad_direction.row(0, named=True)
        raise ValueError(f"latest values: {row['adcode']} {row['indicator_id']}: direction {row['direction']!r} "
                         f"is not one of {', '.join(DIRECTIONS)}")
    not_finite = latest.filter(pl.col("value").is_null() | ~pl.col("value").is_finite())
    if not_finite.height:
        row = not_finite.row(0, named=True)
        raise ValueError(f"latest values: {row['adcode']} {row['indicator_id']}: value {row['value']!r} is not a finite number")
    by_indicator = "indicator_id"
    oriented = pl.when(pl.col("direction") == "lower").then(-pl.col("value")).otherwise(pl.col("value"))
    low, high = oriented.min().over(by_indicator), oriented.max().over(by_indicator)
    spread = high - low
    n_places = pl.len().over(by_indicator)
    rank = oriented.rank(method="average", descending=True).over(by_indicator)
    scored = pl.col("direction") != "neutral"
    return (
        latest.with_columns(
            n_places.alias("n_places"),
            pl.when(scored).then(rank).alias("rank"),
            pl.when(scored & (spread > 0)).then((oriented - low) / spread)
            .when(scored).then(0.5).alias("score_minmax"),
            pl.when(scored & (spread > 0))
            .then((oriented - oriented.mean().over(by_indicator)) / oriented.std(ddof=0).over(by_indicator))
            .when(scored).then(0.0).alias("score_z"),
        )
        .with_columns(
            pl.when(pl.col("n_places") > 1)
            .then((pl.col("n_places") - pl.col("rank")) / (pl.col("n_places") - 1) * 100)
            .when(scored).then(50.0).alias("percentile")
        )
        .select(*latest.columns, "rank", "n_places", "percentile", "score_minmax", "score_z")
        .sort("indicator_id", "rank", "adcode", nulls_last=True)
    )


def checked_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Dimension weights as floats, or a ValueError naming the bad key and the valid choices."""
    valid = list(cached_codebook().dimensions)
    if not isinstance(weights, Mapping):
        raise ValueError(f"weights must map dimension ids ({', '.join(valid)}) to numbers, got {weights!r}")
    checked: dict[str, float] = {}
    for dimension, weight in weights.items():
        if dimension not in valid:
            raise ValueError(f"weights: unknown dimension {dimension!r}; valid choices: {', '.join(valid)}")
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight) or weight < 0:
            raise ValueError(f"weights.{dimension} must be a non-negative number, got {weight!r}")
        checked[dimension] = float(weight)
    if not any(w > 0 for w in checked.values()):
        raise ValueError(f"weights: no dimension has a positive weight (given {checked}); "
                         f"give at least one of {', '.join(valid)} a weight above 0")
    return checked


def dimension_scores(scores: pl.DataFrame, weights: Mapping[str, float] | None = None) -> pl.DataFrame:
    """Per place × dimension the mean score_minmax of its scored indicators, with its rank and weight.

    Columns adcode, place, dimension, dimension_score (0–1), dimension_rank (1 = best, ties
    averaged), n_indicators and weight (as given, 0 for a dimension the weights leave out; 1 for
    every dimension when no weights are given).
    """
    require_columns(scores, ("adcode", "place", "dimension", "score_minmax"), "indicator scores")
    checked = checked_weights(weights) if weights is not None else None
    weight = (pl.col("dimension").replace_strict(checked, default=0.0, return_dtype=pl.Float64)
              if checked is not None else pl.lit(1.0))
    return (
        scores.filter(pl.col("score_minmax").is_not_null())
        .group_by("adcode", "place", "dimension")
        .agg(pl.col("score_minmax").mean().alias("dimension_score"), pl.len().cast(pl.UInt32).alias("n_indicators"))
        .with_columns(
            pl.col("dimension_score").round(RANK_DECIMALS).rank(method="average", descending=True)
            .over("dimension").alias("dimension_rank"),
            weight.alias("weight"),
        )
        .select("adcode", "place", "dimension", "dimension_score", "dimension_rank", "n_indicators", "weight")
        .sort("dimension", "dimension_rank", "adcode")
    )


def composite(scores: pl.DataFrame, weights: Mapping[str, float]) -> pl.DataFrame:
    """Weighted mean of each place's dimension scores, over the weighted dimensions it has.

    A place missing a dimension is not scored 0 there: the weights of the dimensions it has are
    renormalized to sum to 1. Because such a composite rests on less, coverage is shown:
    n_indicators and n_dimensions counted in it, and weight_covered, the share of the total weight
    its dimensions carry (1 = every weighted dimension present). A place with no scored indicator in
    any weighted dimension is listed with a null composite and rank.
    """
    checked = checked_weights(weights)
    total_weight = sum(checked.values())
    dimensions = dimension_scores(scores, checked).filter(pl.col("weight") > 0)
    per_place = dimensions.group_by("adcode").agg(
        ((pl.col("dimension_score") * pl.col("weight")).sum() / pl.col("weight").sum()).alias("composite"),
        pl.col("n_indicators").sum().cast(pl.UInt32).alias("n_indicators"),
        pl.len().cast(pl.UInt32).alias("n_dimensions"),
        (pl.col("weight").sum() / total_weight).alias("weight_covered"),
    )
    return (
        scores.select("adcode", "place").unique(subset="adcode", keep="first")
        .join(per_place, on="adcode", how="left")
        .with_columns(
            pl.col("composite").round(RANK_DECIMALS).rank(method="average", descending=True).alias("composite_rank"),
            pl.col("n_indicators", "n_dimensions").fill_null(0),
            pl.col("weight_covered").fill_null(0.0),
        )
        .select("adcode", "place", "composite", "composite_rank", "n_indicators", "n_dimensions", "weight_covered")
        .sort("composite_rank", "adcode", nulls_last=True)
    )
