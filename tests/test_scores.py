"""Latest values, indicator scores, dimension scores and the composite, checked against hand computation."""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest

from compare.codebook import Codebook
from compare.scores import LATEST_COLUMNS, composite, dimension_scores, indicator_scores, latest_values

# Districts and counties of Hangzhou (杭州市, 浙江省).
COUNTIES = {
    "330102": "上城区", "330105": "拱墅区", "330106": "西湖区", "330108": "滨江区",
    "330109": "萧山区", "330110": "余杭区", "330122": "桐庐县", "330127": "淳安县",
}
HEAD_RATE = "disputes.head_appearance_rate"  # higher is better, percent
LOST = "disputes.litigation_lost"  # lower is better, case
PETITIONS = "disputes.petitions"  # neutral, case
PASS_RATE = "enforcement.exam_pass_rate"  # higher, percent
FILES_REVIEWED = "enforcement.case_files_reviewed"  # higher, document
FILING_RATE = "rules.normative_docs_filing_rate"  # higher, percent


def panel_frame(codebook: Codebook, rows: list[dict]) -> pl.DataFrame:
    """Panel ``values`` rows (the columns build_panel gives) from adcode, year, indicator_id, value and optional kind/per-10k."""
    records = []
    for row in rows:
        indicator = codebook.indicators[row["indicator_id"]]
        year = row["year"]
        value = row["value"]
        records.append({
            "adcode": row["adcode"], "place": COUNTIES[row["adcode"]], "level": "county", "province": "浙江省",
            "prefecture": "杭州市", "year": year, "period_start": year, "period_end": year,
            "indicator_id": indicator.id, "dimension": indicator.dimension, "direction": indicator.direction,
            "unit": indicator.unit, "kind": row.get("kind", "actual"), "qualifier": "eq", "value": value,
            "value_as_stated": value, "normalization": "", "population_persons": row.get("population"),
            "population_year": year if row.get("population") else None,
            "population_source": "统计年鉴" if row.get("population") else None,
            "value_per_10k_residents": value / row["population"] * 10_000 if row.get("population") and value is not None else None,
            "source": "stated", "derivation": "", "doc_id": f"{row['adcode']}_{year}_法治政府建设年度报告",
            "doc_type": "annual_report", "published": date(year + 1, 3, 20), "evidence": "…", "start": 0, "end": 1,
            "n_alternatives": 0, "conflict": False, "flags": "",
        })
    schema = {"adcode": pl.String, "place": pl.String, "level": pl.String, "province": pl.String, "prefecture": pl.String,
              "year": pl.Int32, "period_start": pl.Int32, "period_end": pl.Int32, "indicator_id": pl.String,
              "dimension": pl.String, "direction": pl.String, "unit": pl.String, "kind": pl.String,
              "qualifier": pl.String, "value": pl.Float64, "value_as_stated": pl.Float64, "normalization": pl.String,
              "population_persons": pl.Float64, "population_year": pl.Int32, "population_source": pl.String,
              "value_per_10k_residents": pl.Float64, "source": pl.String, "derivation": pl.String, "doc_id": pl.String,
              "doc_type": pl.String, "published": pl.Date, "evidence": pl.String, "start": pl.Int64, "end": pl.Int64,
              "n_alternatives": pl.UInt32, "conflict": pl.Boolean, "flags": pl.String}
    return pl.DataFrame(records, schema=schema)


def latest_frame(codebook: Codebook, values: dict[str, dict[str, float]], year: int = 2021) -> pl.DataFrame:
    """Latest values of one year: {indicator_id: {adcode: value}}."""
    rows = [{"adcode": code, "year": year, "indicator_id": iid, "value": v}
            for iid, by_place in values.items() for code, v in by_place.items()]
    return latest_values(panel_frame(codebook, rows), year=year, lookback_years=0)


def by_place(frame: pl.DataFrame, column: str, indicator_id: str | None = None) -> dict[str, object]:
    if indicator_id is not None:
        frame = frame.filter(pl.col("indicator_id") == indicator_id)
    return dict(zip(frame["adcode"], frame[column]))


# --- latest values ---------------------------------------------------------------------------

def test_latest_value_is_the_newest_within_the_window_and_never_after_the_year(codebook: Codebook) -> None:
    a, b = "330102", "330105"
    panel = panel_frame(codebook, [
        {"adcode": a, "year": 2015, "indicator_id": HEAD_RATE, "value": 40.0},
        {"adcode": a, "year": 2018, "indicator_id": HEAD_RATE, "value": 60.0},
        {"adcode": a, "year": 2020, "indicator_id": HEAD_RATE, "value": 80.0},
        {"adcode": a, "year": 2021, "indicator_id": HEAD_RATE, "value": None},  # no number: ignored
        {"adcode": a, "year": 2021, "indicator_id": HEAD_RATE, "value": 100.0, "kind": "target"},
        {"adcode": a, "year": 2022, "indicator_id": HEAD_RATE, "value": 95.0},  # after the year compared
        {"adcode": b, "year": 2017, "indicator_id": HEAD_RATE, "value": 70.0},
    ])
    latest = latest_values(panel, year=2021, lookback_years=3)
    assert latest.columns == list(LATEST_COLUMNS)
    assert latest.select("adcode", "value", "vintage_year", "age_years", "doc_id").rows() == [
        (a, 80.0, 2020, 1, "330102_2020_法治政府建设年度报告")]
    wider = latest_values(panel, year=2021, lookback_years=4)
    assert wider.select("adcode", "value", "vintage_year", "age_years").rows() == [(a, 80.0, 2020, 1), (b, 70.0, 2017, 4)]
    assert latest_values(panel, year=2021, lookback_years=0).height == 0
    assert latest_values(panel, year=2018, lookback_years=0)["value"].to_list() == [60.0]


def test_latest_values_keep_the_chosen_indicators_and_refuse_unknown_ones(codebook: Codebook) -> None:
    panel = panel_frame(codebook, [
        {"adcode": "330102", "year": 2021, "indicator_id": HEAD_RATE, "value": 90.0},
        {"adcode": "330102", "year": 2021, "indicator_id": LOST, "value": 3.0},
    ])
    chosen = latest_values(panel, year=2021, lookback_years=2, indicators=[LOST])
    assert chosen.select("indicator_id", "dimension", "direction", "unit").rows() == [(LOST, "disputes", "lower", "case")]
    with pytest.raises(ValueError, match=r"unknown id\(s\) disputes\.head_rate; valid choices: .*disputes\.head_appearance_rate"):
        latest_values(panel, year=2021, lookback_years=2, indicators=["disputes.head_rate"])
    with pytest.raises(ValueError, match="lookback_years must be 0 or more"):
        latest_values(panel, year=2021, lookback_years=-1)
    with pytest.raises(ValueError, match="panel values: missing column.* kind"):
        latest_values(panel.drop("kind"), year=2021, lookback_years=2)


def test_per_10k_residents_scales_counts_and_keeps_rates(codebook: Codebook) -> None:
    panel = panel_frame(codebook, [
        {"adcode": "330109", "year": 2021, "indicator_id": LOST, "value": 12.0, "population": 2_000_000.0},
        {"adcode": "330109", "year": 2021, "indicator_id": HEAD_RATE, "value": 96.0, "population": 2_000_000.0},
    ])
    latest = latest_values(panel, year=2021, lookback_years=0, value_column="value_per_10k_residents")
    assert latest.select("indicator_id", "value", "unit").rows() == [
        (HEAD_RATE, 96.0, "percent"), (LOST, pytest.approx(0.06), "case per 10k residents")]
    with pytest.raises(ValueError, match="value_column 'value_per_capita' is not one of value, value_per_10k_residents"):
        latest_values(panel, year=2021, lookback_years=0, value_column="value_per_capita")


# --- indicator scores ------------------------------------------------------------------------

def test_higher_is_better_ranks_with_ties_percentiles_minmax_and_z(codebook: Codebook) -> None:
    scores = indicator_scores(latest_frame(codebook, {HEAD_RATE: {"330102": 90.0, "330105": 80.0, "330106": 80.0, "330108": 70.0}}))
    assert by_place(scores, "rank") == {"330102": 1.0, "330105": 2.5, "330106": 2.5, "330108": 4.0}
    assert set(scores["n_places"]) == {4}
    assert by_place(scores, "percentile") == {"330102": 100.0, "330105": 50.0, "330106": 50.0, "330108": 0.0}
    assert by_place(scores, "score_minmax") == {"330102": 1.0, "330105": 0.5, "330106": 0.5, "330108": 0.0}
    # mean 80, population standard deviation sqrt((100 + 0 + 0 + 100) / 4) = sqrt(50)
    z = by_place(scores, "score_z")
    assert z == pytest.approx({"330102": 10 / math.sqrt(50), "330105": 0.0, "330106": 0.0, "330108": -10 / math.sqrt(50)})


def test_lower_is_better_flips_rank_minmax_and_z(codebook: Codebook) -> None:
    scores = indicator_scores(latest_frame(codebook, {LOST: {"330102": 0.0, "330105": 2.0, "330106": 5.0}}))
    assert by_place(scores, "rank") == {"330102": 1.0, "330105": 2.0, "330106": 3.0}
    assert by_place(scores, "percentile") == {"330102": 100.0, "330105": 50.0, "330106": 0.0}
    assert by_place(scores, "score_minmax") == pytest.approx({"330102": 1.0, "330105": 0.6, "330106": 0.0})
    # mean 7/3, population variance 38/9: z of 0 lost cases is +(7/3)/(sqrt(38)/3)
    assert by_place(scores, "score_z") == pytest.approx(
        {"330102": 7 / math.sqrt(38), "330105": 1 / math.sqrt(38), "330106": -8 / math.sqrt(38)})


def test_neutral_indicators_are_listed_but_not_scored(codebook: Codebook) -> None:
    scores = indicator_scores(latest_frame(codebook, {PETITIONS: {"330102": 120.0, "330105": 80.0}}))
    assert scores.select("value", "n_places", "rank", "percentile", "score_minmax", "score_z").rows() == [
        (120.0, 2, None, None, None, None), (80.0, 2, None, None, None, None)]


def test_a_single_place_or_equal_values_score_in_the_middle_without_nan(codebook: Codebook) -> None:
    scores = indicator_scores(latest_frame(codebook, {
        FILING_RATE: {"330102": 100.0, "330105": 100.0, "330106": 100.0},
        PASS_RATE: {"330110": 88.0},
    }))
    equal = scores.filter(pl.col("indicator_id") == FILING_RATE)
    assert equal.select("rank", "percentile", "score_minmax", "score_z").unique().rows() == [(2.0, 50.0, 0.5, 0.0)]
    single = scores.filter(pl.col("indicator_id") == PASS_RATE)
    assert single.select("rank", "n_places", "percentile", "score_minmax", "score_z").rows() == [(1.0, 1, 50.0, 0.5, 0.0)]


def test_indicator_scores_refuse_a_bad_direction_or_value(codebook: Codebook) -> None:
    latest = latest_frame(codebook, {HEAD_RATE: {"330102": 90.0, "330105": 80.0}})
    with pytest.raises(ValueError, match="330105 disputes.head_appearance_rate: direction 'up' is not one of higher, lower, neutral"):
        indicator_scores(latest.with_columns(pl.when(pl.col("adcode") == "330105").then(pl.lit("up"))
                                             .otherwise(pl.col("direction")).alias("direction")))
    with pytest.raises(ValueError, match="330102 disputes.head_appearance_rate: value inf is not a finite number"):
        indicator_scores(latest.with_columns(pl.when(pl.col("adcode") == "330102").then(float("inf"))
                                             .otherwise(pl.col("value")).alias("value")))


# --- dimension scores and the composite -----------------------------------------------------

@pytest.fixture()
def three_dimensions(codebook: Codebook) -> pl.DataFrame:
    """Scores where 上城区 has every dimension, 拱墅区 lacks rules, 西湖区 lacks enforcement, 滨江区 has only a neutral indicator.

    score_minmax by hand — disputes: head rate 上城 1, 拱墅 0, 西湖 0.5; cases lost (1, 0, 4; lower is
    better) 上城 0.75, 拱墅 1, 西湖 0; enforcement pass rate 上城 1, 拱墅 0; rules filing rate 上城 1, 西湖 0.
    """
    return indicator_scores(latest_frame(codebook, {
        HEAD_RATE: {"330102": 100.0, "330105": 50.0, "330106": 75.0},
        LOST: {"330102": 1.0, "330105": 0.0, "330106": 4.0},
        PASS_RATE: {"330102": 90.0, "330105": 80.0},
        FILING_RATE: {"330102": 100.0, "330106": 60.0},
        PETITIONS: {"330102": 10.0, "330105": 30.0, "330106": 20.0, "330108": 15.0},
    }))


def test_dimension_scores_are_means_of_indicator_scores(three_dimensions: pl.DataFrame) -> None:
    dimensions = dimension_scores(three_dimensions)
    disputes = dimensions.filter(pl.col("dimension") == "disputes")
    assert disputes.select("adcode", "dimension_score", "dimension_rank", "n_indicators", "weight").rows() == [
        ("330102", 0.875, 1.0, 2, 1.0), ("330105", 0.5, 2.0, 2, 1.0), ("330106", 0.25, 3.0, 2, 1.0)]
    assert dimensions.filter(pl.col("adcode") == "330108").height == 0  # only a neutral indicator
    weighted = dimension_scores(three_dimensions, {"disputes": 2, "rules": 1})
    assert dict(zip(weighted["dimension"], weighted["weight"])) == {"disputes": 2.0, "enforcement": 0.0, "rules": 1.0}


def test_composite_renormalizes_weights_over_the_dimensions_a_place_has(three_dimensions: pl.DataFrame) -> None:
    index = composite(three_dimensions, {"disputes": 2, "enforcement": 1, "rules": 1})
    assert index.columns == ["adcode", "place", "composite", "composite_rank", "n_indicators", "n_dimensions", "weight_covered"]
    rows = {r[0]: r[1:] for r in index.rows()}
    assert rows["330102"] == ("上城区", pytest.approx((2 * 0.875 + 1 + 1) / 4), 1.0, 4, 3, 1.0)
    assert rows["330105"] == ("拱墅区", pytest.approx((2 * 0.5 + 0) / 3), 2.0, 3, 2, 0.75)
    assert rows["330106"] == ("西湖区", pytest.approx((2 * 0.25 + 0) / 3), 3.0, 3, 2, 0.75)
    assert rows["330108"] == ("滨江区", None, None, 0, 0, 0.0)
    assert index["adcode"].to_list() == ["330102", "330105", "330106", "330108"]


def test_dimensions_left_out_of_the_weights_weigh_nothing(three_dimensions: pl.DataFrame) -> None:
    index = composite(three_dimensions, {"enforcement": 1})
    assert index.select("adcode", "composite", "composite_rank", "n_indicators", "n_dimensions").rows() == [
        ("330102", 1.0, 1.0, 1, 1), ("330105", 0.0, 2.0, 1, 1), ("330106", None, None, 0, 0), ("330108", None, None, 0, 0)]


def test_equal_composites_share_the_average_rank(codebook: Codebook) -> None:
    scores = indicator_scores(latest_frame(codebook, {
        HEAD_RATE: {"330102": 100.0, "330105": 50.0, "330106": 100.0},
        PASS_RATE: {"330102": 70.0, "330105": 60.0, "330106": 70.0},
    }))
    index = composite(scores, {"disputes": 1, "enforcement": 1})
    assert by_place(index, "composite_rank") == {"330102": 1.5, "330106": 1.5, "330105": 3.0}


@pytest.mark.parametrize("weights, message", [
    ({"disputes": 1, "justice": 1}, r"weights: unknown dimension 'justice'; valid choices: leadership, functions, rules, "
                                    r"decisions, enforcement, disputes, oversight"),
    ({"disputes": 1, "rules": -0.5}, r"weights\.rules must be a non-negative number, got -0\.5"),
    ({"disputes": "1"}, r"weights\.disputes must be a non-negative number, got '1'"),
    ({"disputes": float("nan")}, r"weights\.disputes must be a non-negative number, got nan"),
    ({"disputes": 0, "rules": 0}, r"weights: no dimension has a positive weight .*give at least one of leadership, functions"),
    ({}, r"weights: no dimension has a positive weight"),
])
def test_bad_weights_name_the_key_and_the_valid_choices(three_dimensions: pl.DataFrame, weights: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        composite(three_dimensions, weights)
    with pytest.raises(ValueError, match=message):
        dimension_scores(three_dimensions, weights)


def test_panel_of_eight_counties_through_to_the_composite(codebook: Codebook) -> None:
    """Eight counties over three years: 上城区 is best on every scored indicator; 淳安县 reports only older years."""
    quality = {code: rank for rank, code in enumerate(COUNTIES)}  # 0 = best
    rows = []
    for code, q in quality.items():
        years = (2017, 2018) if code == "330127" else (2019, 2020, 2021)
        for year in years:
            drift = year - 2019  # every place improves a little each year
            rows += [
                {"adcode": code, "year": year, "indicator_id": HEAD_RATE, "value": 100.0 - 5 * q + drift},
                {"adcode": code, "year": year, "indicator_id": LOST, "value": float(q + 1)},
                {"adcode": code, "year": year, "indicator_id": PETITIONS, "value": 100.0 + 7 * ((q * 3) % 8)},
                {"adcode": code, "year": year, "indicator_id": PASS_RATE, "value": 95.0 - 2 * q},
                {"adcode": code, "year": year, "indicator_id": FILES_REVIEWED, "value": 400.0 - 30 * q + drift},
                {"adcode": code, "year": year, "indicator_id": FILING_RATE, "value": 100.0 - q},
            ]
    panel = panel_frame(codebook, rows)
    latest = latest_values(panel, year=2021, lookback_years=3)
    assert latest.height == 7 * 6 + 6  # 淳安县's 2018 values are within three years of 2021, its 2017 ones are not
    assert set(latest.filter(pl.col("adcode") == "330127")["vintage_year"]) == {2018}
    scores = indicator_scores(latest)
    assert scores.filter(pl.col("indicator_id") == PETITIONS)["score_minmax"].null_count() == 8
    best = scores.filter(pl.col("adcode") == "330102", pl.col("direction") != "neutral")
    assert set(best["rank"]) == {1.0} and set(best["score_minmax"]) == {1.0}
    index = composite(scores, {d: 1.0 for d in ("disputes", "enforcement", "rules")})
    assert index["adcode"].to_list() == list(COUNTIES)  # quality order holds through the composite
    assert index.row(0, named=True) == {
        "adcode": "330102", "place": "上城区", "composite": pytest.approx(1.0), "composite_rank": 1.0,
        "n_indicators": 5, "n_dimensions": 3, "weight_covered": 1.0}
    assert index["composite"][-1] == pytest.approx(0.0)
