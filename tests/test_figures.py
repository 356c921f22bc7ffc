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


def test_many_places_drop_the_place_axis():
    many = pl.concat([LATEST.with_columns(pl.lit(f"县{i}").alias("place")) for i in range(figures.MAX_LABELLED_PLACES + 1)])
    dots, _ = _layers(figures.dot_plots(many, {}).to_dict())
    assert dots["encoding"]["y"]["field"] != "place"


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
