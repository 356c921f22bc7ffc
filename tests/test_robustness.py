"""Rank intervals, indicator correlations and distances to targets, on small cases worked by hand."""

from __future__ import annotations

import time

import numpy as np
import polars as pl
import pytest
from scipy.stats import spearmanr

from compare.codebook import Codebook
from compare.robustness import _percentile_rows, indicator_correlations, rank_intervals, target_distances
from compare.scores import composite, indicator_scores

INTERVAL_COLUMNS = ["adcode", "place", "rank", "rank_low_weights", "rank_high_weights",
                    "rank_low_bootstrap", "rank_high_bootstrap"]


def latest_frame(codebook: Codebook, values: dict[str, dict[str, float]], vintage_year: int = 2021) -> pl.DataFrame:
    """A ``latest_values`` frame from {indicator_id: {adcode: value}}, dimension and direction from the codebook."""
    rows = []
    for indicator_id, by_place in values.items():
        indicator = codebook.indicators[indicator_id]
        for adcode, value in by_place.items():
            rows.append({
                "adcode": adcode, "place": f"县{adcode}", "level": "county", "province": "四川省", "prefecture": "成都市",
                "indicator_id": indicator_id, "dimension": indicator.dimension, "direction": indicator.direction,
                "unit": indicator.unit, "value": float(value), "vintage_year": vintage_year, "age_years": 2021 - vintage_year,
                "doc_id": f"{adcode}_{vintage_year}", "source": "stated", "flags": "",
            })
    return pl.DataFrame(rows, schema_overrides={"vintage_year": pl.Int32, "age_years": pl.Int32})


def scored_ids(codebook: Codebook, n_indicators: int) -> list[str]:
    return [i.id for i in codebook.indicators.values() if i.direction != "neutral"][:n_indicators]


def random_scores(codebook: Codebook, n_places: int, indicator_ids: list[str], seed: int, coverage: float = 0.7) -> pl.DataFrame:
    """Scores of ``n_places`` places on the given indicators, each value present with probability ``coverage``."""
    rng = np.random.default_rng(seed)
    codes = [f"{510104 + i:06d}" for i in range(n_places)]
    values = {iid: {c: v for c, v, keep in zip(codes, rng.gamma(2.0, 10.0, n_places), rng.random(n_places) < coverage) if keep}
              for iid in indicator_ids}
    return indicator_scores(latest_frame(codebook, values))


def intervals_of(frame: pl.DataFrame) -> dict[str, tuple]:
    return {row[0]: row[2:] for row in frame.rows()}


# --- rank intervals --------------------------------------------------------------------------

def test_same_seed_same_intervals_other_seed_other_draws(codebook: Codebook) -> None:
    scores = random_scores(codebook, 40, scored_ids(codebook, 15), seed=3)
    weights = {"leadership": 1, "functions": 1, "rules": 2, "decisions": 1}
    first = rank_intervals(scores, weights, n_draws=300, seed=7)
    assert first.columns == INTERVAL_COLUMNS
    assert first.equals(rank_intervals(scores, weights, n_draws=300, seed=7))
    assert not first.equals(rank_intervals(scores, weights, n_draws=300, seed=8))
    point = composite(scores, weights)
    assert dict(zip(first["adcode"], first["rank"])) == dict(zip(point["adcode"], point["composite_rank"]))


def test_intervals_are_observed_ranks_around_the_point_rank(codebook: Codebook) -> None:
    """Places whose quality differs by a steady step with some noise: each interval holds its own rank."""
    rng = np.random.default_rng(11)
    indicators = ["disputes.head_appearance_rate", "disputes.litigation_lost", "enforcement.exam_pass_rate",
                  "enforcement.case_files_reviewed", "rules.normative_docs_filing_rate", "rules.normative_docs_filed"]
    codes = [f"{510104 + i:06d}" for i in range(12)]
    values = {}
    for iid in indicators:
        sign = -1 if codebook.indicators[iid].direction == "lower" else 1
        values[iid] = {c: 50 + sign * (12 - q) * 3 + rng.normal(0, 4) for q, c in enumerate(codes)}
    scores = indicator_scores(latest_frame(codebook, values))
    intervals = rank_intervals(scores, {"disputes": 1, "enforcement": 1, "rules": 1}, n_draws=500, seed=1)
    for kind in ("weights", "bootstrap"):
        low, high = intervals[f"rank_low_{kind}"], intervals[f"rank_high_{kind}"]
        assert ((low <= intervals["rank"]) & (intervals["rank"] <= high)).all()
        assert ((low * 2) % 1 == 0).all() and ((high * 2) % 1 == 0).all()  # whole or average ranks, never interpolated
        assert low.min() >= 1 and high.max() <= 12


def test_a_place_best_on_every_indicator_is_first_in_every_draw(codebook: Codebook) -> None:
    scores = random_scores(codebook, 25, scored_ids(codebook, 20), seed=5)
    best = "510103"
    top = scores.group_by("indicator_id").agg(pl.col("value").max().alias("best_value"), pl.col("direction").first())
    dominant = top.select(
        pl.lit(best).alias("adcode"), "indicator_id",
        (pl.when(pl.col("direction") == "lower").then(0.0).otherwise(pl.col("best_value") + 1)).alias("value"))
    latest = pl.concat([
        scores.select(*scores.columns[:scores.columns.index("rank")]),
        latest_frame(codebook, {r["indicator_id"]: {best: r["value"]} for r in dominant.to_dicts()}),
    ])
    intervals = rank_intervals(indicator_scores(latest), {"leadership": 1, "functions": 3, "rules": 1, "decisions": 1},
                               n_draws=400, seed=2)
    assert intervals_of(intervals)[best] == (1.0, 1.0, 1.0, 1.0, 1.0)


def test_weights_matter_only_where_places_trade_dimensions_off(codebook: Codebook) -> None:
    """甲 leads everything; 乙, 丙 and 丁 each lead a different dimension and tie under equal weights."""
    a, b, c, d = "510101", "510102", "510103", "510104"
    values = {
        "disputes.head_appearance_rate": {a: 100, b: 90, c: 0, d: 0},
        "enforcement.exam_pass_rate": {a: 100, b: 0, c: 90, d: 0},
        "rules.normative_docs_filing_rate": {a: 100, b: 0, c: 0, d: 90},
    }
    scores = indicator_scores(latest_frame(codebook, values))
    intervals = intervals_of(rank_intervals(scores, {"disputes": 1, "enforcement": 1, "rules": 1}, n_draws=500, seed=4))
    assert intervals[a] == (1.0, 1.0, 1.0, 1.0, 1.0)
    for code in (b, c, d):
        rank, low_w, high_w, _, _ = intervals[code]
        assert rank == 3.0 and low_w == 2.0 and high_w == 4.0
    # draws centre on the given weights: with disputes weighing most, 乙 (its leader) is never last
    leaning = intervals_of(rank_intervals(scores, {"disputes": 8, "enforcement": 1, "rules": 1}, n_draws=500, seed=4))
    assert leaning[b][:3] == (2.0, 2.0, 3.0)
    concentrated = intervals_of(rank_intervals(scores, {"disputes": 8, "enforcement": 1, "rules": 1}, n_draws=500,
                                               seed=4, concentration=1_000))
    assert concentrated[b][:3] == (2.0, 2.0, 2.0) and concentrated[c][:3] == (3.5, 3.0, 4.0)
    # with one weighted dimension there is nothing to perturb: the interval is the point rank
    alone = intervals_of(rank_intervals(scores, {"disputes": 1}, n_draws=200, seed=4))
    assert {code: row[:3] for code, row in alone.items()} == {a: (1.0, 1.0, 1.0), b: (2.0, 2.0, 2.0),
                                                              c: (3.5, 3.5, 3.5), d: (3.5, 3.5, 3.5)}


def test_bootstrap_of_two_opposed_indicators(codebook: Codebook) -> None:
    """Drawn with replacement, two indicators give (1,1), (2,2) once each in four and (1,2) twice: ranks 1, 1.5 or 2."""
    a, b = "510101", "510102"
    scores = indicator_scores(latest_frame(codebook, {
        "enforcement.exam_pass_rate": {a: 95, b: 80},
        "enforcement.satisfaction_rate": {a: 85, b: 99},
    }))
    intervals = intervals_of(rank_intervals(scores, {"enforcement": 1}, n_draws=400, seed=9))
    assert intervals == {a: (1.5, 1.5, 1.5, 1.0, 2.0), b: (1.5, 1.5, 1.5, 1.0, 2.0)}


def test_interval_ends_are_observed_ranks_below_and_above_the_percentile() -> None:
    """Ten draws: the 5th percentile sits at position 0.45 (rounded down), the 95th at 8.55 (rounded up)."""
    ranks = np.array([
        [3.0, 1.0, 2.0, 5.0, 4.0, 6.0, 8.0, 7.0, 10.0, 9.0],
        [1.5, 2.0, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan],  # ranked in two draws only
        [np.nan] * 10,  # never ranked
    ])
    assert _percentile_rows(ranks, 5.0, upper=False).tolist()[:2] == [1.0, 1.5]
    assert _percentile_rows(ranks, 95.0, upper=True).tolist()[:2] == [10.0, 2.0]
    assert np.isnan(_percentile_rows(ranks, 5.0, upper=False)[2])


def test_places_without_a_composite_have_no_interval_and_bad_input_is_refused(codebook: Codebook) -> None:
    scores = indicator_scores(latest_frame(codebook, {
        "disputes.head_appearance_rate": {"510101": 100, "510102": 80},
        "disputes.petitions": {"510101": 10, "510102": 12, "510103": 40},  # neutral: 510103 has nothing scored
    }))
    intervals = intervals_of(rank_intervals(scores, {"disputes": 1}, n_draws=50, seed=0))
    assert intervals["510103"] == (None, None, None, None, None)
    assert intervals["510101"] == (1.0, 1.0, 1.0, 1.0, 1.0)
    assert rank_intervals(scores.clear(), {"disputes": 1}).columns == INTERVAL_COLUMNS
    with pytest.raises(ValueError, match="n_draws must be a whole number of at least 1, got 0"):
        rank_intervals(scores, {"disputes": 1}, n_draws=0)
    with pytest.raises(ValueError, match="weights: unknown dimension 'dispute'; valid choices: leadership"):
        rank_intervals(scores, {"dispute": 1})
    with pytest.raises(ValueError, match="concentration must be a positive number, got -1"):
        rank_intervals(scores, {"disputes": 1}, concentration=-1)


@pytest.mark.slow
def test_a_thousand_draws_over_the_counties_of_china_take_seconds(codebook: Codebook) -> None:
    scores = random_scores(codebook, 2_900, list(codebook.indicators), seed=0, coverage=0.6)
    weights = {d: 1.0 for d in codebook.dimensions}
    started = time.perf_counter()
    intervals = rank_intervals(scores, weights, n_draws=1_000, seed=0)
    assert time.perf_counter() - started < 30
    assert intervals.height == 2_900 and intervals["rank_low_bootstrap"].null_count() == 0


# --- correlations ----------------------------------------------------------------------------

def test_spearman_correlations_by_hand_and_against_scipy(codebook: Codebook) -> None:
    places = [f"51010{i}" for i in range(1, 7)]
    head = dict(zip(places, [60, 70, 80, 90, 95, 99]))
    lost = dict(zip(places[:4], [1, 3, 2, 4]))  # ranks 1 3 2 4 against 1 2 3 4: rho = 1 - 6·2 / (4·15) = 0.8
    cases = dict(zip(places, [40, 10, 30, 30, 5, 20]))
    filed = dict(zip(places[4:], [12, 18]))  # two places in common with anything: omitted
    equal = dict(zip(places[:3], [100, 100, 100]))  # constant: rho undefined
    latest = latest_frame(codebook, {"disputes.head_appearance_rate": head, "disputes.litigation_lost": lost,
                                     "disputes.litigation_cases": cases, "rules.normative_docs_filed": filed,
                                     "rules.normative_docs_filing_rate": equal})
    table = indicator_correlations(latest)
    assert table.columns == ["indicator_a", "indicator_b", "n_places", "rho", "p_value"]
    pairs = {(r["indicator_a"], r["indicator_b"]): r for r in table.to_dicts()}
    assert not any("rules.normative_docs_filed" in pair for pair in pairs)
    by_hand = pairs[("disputes.head_appearance_rate", "disputes.litigation_lost")]
    assert by_hand["n_places"] == 4 and by_hand["rho"] == pytest.approx(0.8)
    expected = spearmanr(list(head.values()), list(cases.values()))
    row = pairs[("disputes.head_appearance_rate", "disputes.litigation_cases")]
    assert (row["n_places"], row["rho"], row["p_value"]) == (6, pytest.approx(expected.statistic), pytest.approx(expected.pvalue))
    constant = pairs[("disputes.head_appearance_rate", "rules.normative_docs_filing_rate")]
    assert (constant["n_places"], constant["rho"], constant["p_value"]) == (3, None, None)
    assert len(pairs) == 6  # every pair of head, lost, cases and equal


# --- distances to targets --------------------------------------------------------------------

def test_target_distances_are_direction_aware(codebook: Codebook) -> None:
    latest = latest_frame(codebook, {
        "disputes.head_appearance_rate": {"510101": 85, "510102": 100},
        "disputes.litigation_loss_rate": {"510101": 3, "510102": 7},  # lower is better
        "disputes.reconsideration_correction_rate": {"510101": 10},  # neutral
        "enforcement.exam_pass_rate": {"510101": 90},  # no target
    })
    targets = {"disputes.head_appearance_rate": 100, "disputes.litigation_loss_rate": 5.0,
               "disputes.reconsideration_correction_rate": 12, "rules.normative_docs_filing_rate": 100}
    table = target_distances(latest, targets)
    assert table.columns == ["adcode", "place", "indicator_id", "direction", "unit", "value", "target", "gap", "met",
                             "vintage_year", "doc_id"]
    assert table.select("indicator_id", "adcode", "value", "target", "gap", "met").rows() == [
        ("disputes.head_appearance_rate", "510101", 85.0, 100.0, 15.0, False),
        ("disputes.head_appearance_rate", "510102", 100.0, 100.0, 0.0, True),
        ("disputes.litigation_loss_rate", "510102", 7.0, 5.0, 2.0, False),
        ("disputes.litigation_loss_rate", "510101", 3.0, 5.0, -2.0, True),
        ("disputes.reconsideration_correction_rate", "510101", 10.0, 12.0, 2.0, None),
    ]


def test_targets_for_unknown_indicators_or_without_a_number_are_refused(codebook: Codebook) -> None:
    latest = latest_frame(codebook, {"disputes.head_appearance_rate": {"510101": 85}})
    with pytest.raises(ValueError, match="targets: unknown indicator 'disputes.head_rate'; valid choices: .*disputes.head_appearance_rate"):
        target_distances(latest, {"disputes.head_rate": 100})
    with pytest.raises(ValueError, match="targets.disputes.head_appearance_rate must be a finite number, got '100%'"):
        target_distances(latest, {"disputes.head_appearance_rate": "100%"})
    assert target_distances(latest, {}).height == 0
