"""How far the comparison can be trusted: rank intervals, indicator correlations, distances to targets.

A composite rank depends on choices — the weights of the dimensions and which indicators happen
to be counted. ``rank_intervals`` redoes the composite under many other plausible choices and
reports where each place's rank falls; two places whose intervals overlap are not meaningfully
ordered. Draws are vectorised with numpy so that a country's counties take seconds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.stats import rankdata, spearmanr

from .codebook import cached_codebook
from .frames import require_columns
from .scores import RANK_DECIMALS, checked_weights, composite

INTERVAL_PERCENTILES = (5.0, 95.0)
MIN_COMMON_PLACES = 3


@dataclass(frozen=True)
class _ScoreMatrix:
    """score_minmax of places (rows) × scored indicators of weighted dimensions (columns), NaN where missing."""

    adcodes: np.ndarray
    scores: np.ndarray
    indicator_dimension: np.ndarray  # column → index into weights
    weights: np.ndarray  # positive weights of the dimensions

    @classmethod
    def from_scores(cls, scores: pl.DataFrame, weights: dict[str, float]) -> _ScoreMatrix:
        positive = {d: w for d, w in weights.items() if w > 0}
        rows = scores.filter(pl.col("score_minmax").is_not_null(), pl.col("dimension").is_in(list(positive)))
        adcodes, row = np.unique(rows["adcode"].to_numpy().astype(str), return_inverse=True)
        indicators, column = np.unique(rows["indicator_id"].to_numpy().astype(str), return_inverse=True)
        matrix = np.full((len(adcodes), len(indicators)), np.nan)
        matrix[row, column] = rows["score_minmax"].to_numpy()
        dimension_of = dict(zip(rows["indicator_id"], rows["dimension"]))
        dimension_ids = list(positive)
        indicator_dimension = np.array([dimension_ids.index(dimension_of[i]) for i in indicators], dtype=int)
        return cls(adcodes, matrix, indicator_dimension, np.array([positive[d] for d in dimension_ids]))

    def composites(self, indicator_counts: np.ndarray, weight_draws: np.ndarray) -> np.ndarray:
        """Composite of every place (rows) in every draw (columns), NaN where a place has nothing counted.

        ``indicator_counts`` (draws × indicators) says how often each indicator is counted in a
        draw; ``weight_draws`` (draws × dimensions) the weights of that draw.
        """
        present = ~np.isnan(self.scores)
        filled = np.where(present, self.scores, 0.0)
        weighted_sum = np.zeros((len(self.adcodes), len(indicator_counts)))
        weight_present = np.zeros_like(weighted_sum)
        for dimension in range(len(self.weights)):
            counts = indicator_counts * (self.indicator_dimension == dimension)
            total = filled @ counts.T
            counted = present.astype(float) @ counts.T
            has_dimension = counted > 0
            mean = np.divide(total, counted, out=np.zeros_like(total), where=has_dimension)
            weighted_sum += weight_draws[:, dimension] * mean
            weight_present += weight_draws[:, dimension] * has_dimension
        return np.divide(weighted_sum, weight_present, out=np.full_like(weighted_sum, np.nan), where=weight_present > 0)


def _ranks(composites: np.ndarray) -> np.ndarray:
    """Rank of each place within each draw (1 = best, ties averaged); NaN for places without a composite."""
    return rankdata(-np.round(composites, RANK_DECIMALS), axis=0, method="average", nan_policy="omit")


def _percentile_rows(ranks: np.ndarray, percentile: float, *, upper: bool) -> np.ndarray:
    """Per row the observed rank at ``percentile`` of its non-NaN draws (nearest below, or above when ``upper``)."""
    ordered = np.sort(ranks, axis=1)  # NaN sorts last
    available = (~np.isnan(ranks)).sum(axis=1)
    position = percentile / 100 * np.maximum(available - 1, 0)
    index = np.ceil(position) if upper else np.floor(position)
    picked = np.take_along_axis(ordered, index.astype(int)[:, None], axis=1)[:, 0]
    return np.where(available > 0, picked, np.nan)


def rank_intervals(
    scores: pl.DataFrame,
    weights: Mapping[str, float],
    *,
    n_draws: int = 1000,
    seed: int = 0,
    concentration: float | None = None,
) -> pl.DataFrame:
    """Composite rank of each place and its 5–95 % interval under other weights and other indicators.

    Weights: each draw takes dimension weights from a Dirichlet distribution whose mean is the
    given weights (normalized) and whose concentration is ``concentration`` (default: the number
    of weighted dimensions, which for equal weights is uniform over all weightings). Bootstrap:
    each draw resamples the indicators with replacement and recomputes dimension scores and the
    composite; a place none of whose indicators is drawn sits that draw out. Interval ends are
    observed ranks (5th percentile rounded down, 95th rounded up). The point rank can fall outside
    its weights interval: a place middling in every dimension ranks well under balanced weights
    and worse under almost any other — which is worth knowing. The same ``seed`` gives the same
    intervals. Columns adcode, place, rank, rank_low_weights, rank_high_weights,
    rank_low_bootstrap, rank_high_bootstrap.
    """
    if isinstance(n_draws, bool) or not isinstance(n_draws, int) or n_draws < 1:
        raise ValueError(f"n_draws must be a whole number of at least 1, got {n_draws!r}")
    if concentration is not None and not (math.isfinite(concentration) and concentration > 0):
        raise ValueError(f"concentration must be a positive number, got {concentration!r}")
    checked = checked_weights(weights)
    point = composite(scores, checked).select("adcode", "place", pl.col("composite_rank").alias("rank"))
    matrix = _ScoreMatrix.from_scores(scores, checked)
    n_places, n_indicators = matrix.scores.shape
    columns = ("rank_low_weights", "rank_high_weights", "rank_low_bootstrap", "rank_high_bootstrap")
    if n_places == 0:
        return point.with_columns([pl.lit(None, dtype=pl.Float64).alias(c) for c in columns])
    rng = np.random.default_rng(seed)
    mean_weights = matrix.weights / matrix.weights.sum()
    alpha = mean_weights * (concentration if concentration is not None else len(mean_weights))
    weight_draws = rng.dirichlet(alpha, size=n_draws)
    every_indicator_once = np.ones((n_draws, n_indicators))
    by_weights = _ranks(matrix.composites(every_indicator_once, weight_draws))
    picks = rng.integers(0, n_indicators, size=(n_draws, n_indicators))
    offsets = np.arange(n_draws)[:, None] * n_indicators
    counts = np.bincount((picks + offsets).ravel(), minlength=n_draws * n_indicators).reshape(n_draws, n_indicators)
    given_weights = np.broadcast_to(matrix.weights, (n_draws, len(matrix.weights)))
    by_bootstrap = _ranks(matrix.composites(counts.astype(float), given_weights))
    low, high = INTERVAL_PERCENTILES
    intervals = pl.DataFrame({
        "adcode": matrix.adcodes.tolist(),
        "rank_low_weights": _percentile_rows(by_weights, low, upper=False),
        "rank_high_weights": _percentile_rows(by_weights, high, upper=True),
        "rank_low_bootstrap": _percentile_rows(by_bootstrap, low, upper=False),
        "rank_high_bootstrap": _percentile_rows(by_bootstrap, high, upper=True),
    }, schema_overrides={c: pl.Float64 for c in columns})
    return point.join(intervals, on="adcode", how="left").select("adcode", "place", "rank", *columns)


def indicator_correlations(latest: pl.DataFrame) -> pl.DataFrame:
    """Spearman correlation of every pair of indicators over the places that have both.

    Raw values are correlated (not direction-flipped scores), so the sign reads as in the data.
    Pairs with fewer than three common places are omitted; where one of the two is constant over
    the common places the correlation is undefined and rho and p_value are null.
    Columns indicator_a, indicator_b, n_places, rho, p_value.
    """
    require_columns(latest, ("adcode", "indicator_id", "value"), "latest values")
    adcodes, row = np.unique(latest["adcode"].to_numpy().astype(str), return_inverse=True)
    indicators, column = np.unique(latest["indicator_id"].to_numpy().astype(str), return_inverse=True)
    matrix = np.full((len(adcodes), len(indicators)), np.nan)
    matrix[row, column] = latest["value"].to_numpy()
    present = ~np.isnan(matrix)
    common = present.T.astype(int) @ present.astype(int)
    pairs = []
    for a in range(len(indicators)):
        for b in range(a + 1, len(indicators)):
            if common[a, b] < MIN_COMMON_PLACES:
                continue
            both = present[:, a] & present[:, b]
            x, y = matrix[both, a], matrix[both, b]
            rho = p_value = None
            if np.ptp(x) > 0 and np.ptp(y) > 0:
                result = spearmanr(x, y)
                rho, p_value = float(result.statistic), float(result.pvalue)
            pairs.append((indicators[a], indicators[b], int(common[a, b]), rho, p_value))
    schema = {"indicator_a": pl.String, "indicator_b": pl.String, "n_places": pl.UInt32,
              "rho": pl.Float64, "p_value": pl.Float64}
    return pl.DataFrame(pairs, schema=schema, orient="row")


def target_distances(latest: pl.DataFrame, targets: Mapping[str, float]) -> pl.DataFrame:
    """For each place and targeted indicator, how far its latest value is from the target.

    ``gap`` is in the indicator's unit and positive when short of the target: target − value when
    higher is better (a head-appearance rate of 85 against 100 is 15 short), value − target when
    lower is better; negative when beyond the target. ``met`` is gap ≤ 0. For a neutral indicator
    neither side is better: gap is the absolute distance and met is null.
    Columns adcode, place, indicator_id, direction, unit, value, target, gap, met, vintage_year, doc_id.
    """
    require_columns(latest, ("adcode", "place", "indicator_id", "direction", "unit", "value", "vintage_year", "doc_id"),
                    "latest values")
    known = cached_codebook().indicators
    if not isinstance(targets, Mapping):
        raise ValueError(f"targets must map indicator ids to numbers, got {targets!r}")
    for indicator_id, target in targets.items():
        if indicator_id not in known:
            raise ValueError(f"targets: unknown indicator {indicator_id!r}; valid choices: {', '.join(sorted(known))}")
        if isinstance(target, bool) or not isinstance(target, (int, float)) or not math.isfinite(target):
            raise ValueError(f"targets.{indicator_id} must be a finite number, got {target!r}")
    target = pl.col("indicator_id").replace_strict(
        {k: float(v) for k, v in targets.items()}, default=None, return_dtype=pl.Float64)
    direction = pl.col("direction")
    gap = (pl.when(direction == "higher").then(pl.col("target") - pl.col("value"))
           .when(direction == "lower").then(pl.col("value") - pl.col("target"))
           .otherwise((pl.col("value") - pl.col("target")).abs()))
    return (
        latest.filter(pl.col("indicator_id").is_in(list(targets)))
        .with_columns(target.alias("target"))
        .with_columns(gap.alias("gap"))
        .with_columns(pl.when(direction != "neutral").then(pl.col("gap") <= 0).alias("met"))
        .select("adcode", "place", "indicator_id", "direction", "unit", "value", "target", "gap", "met",
                "vintage_year", "doc_id")
        .sort("indicator_id", "gap", "adcode", descending=[False, True, False])
    )
