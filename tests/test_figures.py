"""The charts of the notebooks: what they encode, and SVG/PNG files with Chinese text."""

from pathlib import Path

import polars as pl

from compare import figures

LATEST = pl.DataFrame({
    "indicator_id": ["disputes.head_appearance_rate"] * 2 + ["disputes.litigation_cases"] * 2,
    "place": ["盐津县", "常熟市"] * 2,
    "value": [92.0, 100.0, 129.0, 60.0],
    "unit": ["percent", "percent", "case", "case"],
    "vintage_year": [2021, 2020, 2021, 2020],
    "doc_id": ["002", "004", "002", "004"],
    "source": ["stated", "derived", "stated", "stated"],
})


def _layers(spec: dict) -> list[dict]:
    return spec["spec"]["layer"]


def test_dot_plots_draw_one_row_per_indicator_and_the_target_only_where_set():
    spec = figures.dot_plots(LATEST, {"disputes.head_appearance_rate": 100.0}).to_dict()
    rows = spec["data"]["values"] if "values" in spec.get("data", {}) else next(iter(spec["datasets"].values()))
    assert {r["indicator"] for r in rows} == {"行政机关负责人出庭应诉率", "行政诉讼一审案件数"}
    targets = {r["indicator_id"]: r["target"] for r in rows}
    assert targets == {"disputes.head_appearance_rate": 100.0, "disputes.litigation_cases": None}
    dots, rule = _layers(spec)
    assert dots["encoding"]["y"]["field"] == "place"  # few places: named on the axis
    assert rule["encoding"]["x"]["field"] == "target"
    assert spec["resolve"]["scale"]["x"] == "independent"


def _rows(spec: dict) -> list[dict]:
    return spec["data"]["values"] if "values" in spec.get("data", {}) else next(iter(spec["datasets"].values()))


def test_many_places_are_summarised_by_quantiles():
    many = pl.DataFrame({
        "indicator_id": ["disputes.litigation_cases"] * 101, "place": [f"县{i}" for i in range(101)],
        "value": [float(i) for i in range(101)], "unit": ["case"] * 101, "vintage_year": [2021] * 101,
        "doc_id": ["d"] * 101, "source": ["stated"] * 101,
    })
    spec = figures.dot_plots(many, {"disputes.litigation_cases": 80.0}).to_dict()
    (row,) = _rows(spec)
    assert (row["places"], row["p05"], row["q1"], row["median"], row["q3"], row["p95"], row["target"]) == \
        (101, 5.0, 25.0, 50.0, 75.0, 95.0, 80.0)
    assert [layer["mark"]["type"] for layer in _layers(spec)] == ["rule", "bar", "tick", "rule"]


def test_coverage_by_province_counts_places_without_reports():
    counties = [f"3205{i:02d}" for i in range(1, 50)]  # more places than are drawn one by one
    panel = pl.DataFrame({
        "adcode": counties, "place": counties, "level": ["county"] * 49, "province": ["江苏省"] * 49,
        "indicator_id": ["disputes.litigation_cases"] * 49, "year": [2021] * 49, "kind": ["actual"] * 49,
        "source": ["stated"] * 49,
    })
    spec = figures.coverage_heatmap(panel).to_dict()
    (row,) = _rows(spec)
    from compare.divisions import load_divisions

    jiangsu = load_divisions().filter(pl.col("level") == "county", pl.col("kind") == "regular",
                                      pl.col("province_code") == "320000").height
    assert (row["province"], row["places_reporting"], row["places"]) == ("江苏省", 49, jiangsu)
    assert row["share"] == 49 / jiangsu


def test_many_ranks_show_the_best_and_the_worst():
    n = 50
    intervals = pl.DataFrame({"adcode": [str(i) for i in range(n)], "place": [f"县{i}" for i in range(n)],
                              "rank": [float(i + 1) for i in range(n)]}).with_columns(
        [pl.col("rank").alias(c) for c in ("rank_low_weights", "rank_high_weights", "rank_low_bootstrap", "rank_high_bootstrap")])
    spec = figures.rank_interval_chart(intervals).to_dict()
    ranks = sorted(r["rank"] for r in _rows(spec))
    assert ranks == [float(r) for r in [*range(1, 21), *range(31, 51)]]
    assert "best and worst 20 of 50" in spec["title"]


def test_trend_charts_need_two_years_and_mark_breaks():
    one_year = pl.DataFrame({"adcode": ["1"], "place": ["盐津县"], "indicator_id": ["disputes.litigation_cases"],
                             "year": [2021], "value": [1.0], "doc_id": ["d"], "from_archive": ["this run"],
                             "definition_break": [False]})
    assert figures.trend_charts(one_year) is None
    two_years = pl.concat([one_year, one_year.with_columns(year=pl.lit(2022, pl.Int64), definition_break=pl.lit(True))])
    spec = figures.trend_charts(two_years).to_dict()
    rows = _rows(spec)
    assert [(r["year"], r["definition_break"]) for r in rows] == [(2021, None), (2022, True)]


def test_saved_figures_are_svg_and_png_with_chinese_text(tmp_path: Path):
    written = figures.save(figures.dot_plots(LATEST, {}), tmp_path, "dots")
    assert [p.name for p in written] == ["dots.svg", "dots.png"]
    svg = (tmp_path / "dots.svg").read_text(encoding="utf-8")
    assert "行政诉讼一审案件数" in svg and "盐津县" in svg
    assert (tmp_path / "dots.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert figures.save(figures.dot_plots(LATEST, {}), None, "dots") == []


def test_rank_interval_chart_shows_both_intervals():
    intervals = pl.DataFrame({"adcode": ["530623"], "place": ["盐津县"], "rank": [1.0],
                              "rank_low_weights": [1.0], "rank_high_weights": [2.0],
                              "rank_low_bootstrap": [1.0], "rank_high_bootstrap": [2.0]})
    layers = figures.rank_interval_chart(intervals).to_dict()["layer"]
    assert [layer["encoding"]["x"]["field"] for layer in layers] == ["rank_low_weights", "rank_low_bootstrap", "rank"]


def test_static_figures_are_saved_as_png_and_svg_in_the_cjk_font(tmp_path: Path):
    import warnings

    from matplotlib.figure import Figure

    figure = Figure()
    figure.add_subplot().set_title("行政诉讼")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph warns; it must not happen
        written = figures.save_figure(figure, tmp_path, "map")
    assert [p.name for p in written] == ["map.png", "map.svg"] and all(p.stat().st_size > 0 for p in written)
    assert figures.save_figure(figure, None, "map") == []
