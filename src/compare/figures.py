"""The charts of the annual notebooks, as altair specifications, and saving them as SVG and PNG.

Charts live here rather than in notebooks so that they are tested and every notebook draws the
same way. Labels show the place's name and the indicator's Chinese name; tooltips carry the
provenance (document and vintage) of each value.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import altair as alt
import matplotlib
import polars as pl

from .codebook import Codebook, cached_codebook
from .fonts import cjk_font_path, cjk_rc

_FONT = "Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"


def indicator_names(codebook: Codebook | None = None) -> dict[str, str]:
    """Indicator id → Chinese name, for titles and axis labels."""
    codebook = codebook or cached_codebook()
    return {i.id: i.zh_name for i in codebook.indicators.values()}


def _themed(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure_axis(labelFont=_FONT, titleFont=_FONT).configure_title(font=_FONT).configure_legend(
        labelFont=_FONT, titleFont=_FONT)


# Beyond this many places a chart summarises them (by province, by quantiles, top and bottom)
# instead of drawing each: a national county comparison has ~2,850 places, and a chart of every
# one is unreadable and makes pages of tens of megabytes.
MAX_LABELLED_PLACES = 40
SHOWN_AT_EACH_END = 20


def _indicator_label(names: dict[str, str]) -> pl.Expr:
    return pl.col("indicator_id").replace_strict(names, default=pl.col("indicator_id")).alias("indicator")


def _data(frame: pl.DataFrame) -> alt.Data:
    return alt.Data(values=frame.to_dicts())


def coverage_heatmap(panel: pl.DataFrame, codebook: Codebook | None = None) -> alt.Chart:
    """Which indicators the reports give: place × indicator, or province × indicator when there are many places.

    Summarised by province, a cell is the share of the province's divisions of the panel's level
    (from the division table, so places without any report count as missing) with a value.
    """
    names = indicator_names(codebook)
    actual = panel.filter(pl.col("kind") == "actual")
    if actual["adcode"].n_unique() <= MAX_LABELLED_PLACES:
        cells = actual.group_by("place", "indicator_id").agg(
            pl.col("year").max().alias("latest_year"), pl.len().alias("values"), pl.col("source").first(),
        ).with_columns(_indicator_label(names))
        y, color = alt.Y("place:N", title="地区"), alt.Color("latest_year:O", title="最新年份")
        tooltip = ["place:N", "indicator:N", "latest_year:O", "values:Q", "source:N"]
        title = "Coverage: indicators found per place"
    else:
        cells = _coverage_by_province(actual).with_columns(_indicator_label(names))
        y, color = alt.Y("province:N", title="省份"), alt.Color("share:Q", title="share of places", legend=alt.Legend(format=".0%"))
        tooltip = ["province:N", "indicator:N", "places_reporting:Q", "places:Q", alt.Tooltip("share:Q", format=".1%")]
        title = "Coverage: share of places with a value, by province"
    chart = alt.Chart(_data(cells)).mark_rect().encode(
        x=alt.X("indicator:N", title="指标", sort=sorted(names.values()), axis=alt.Axis(labelAngle=-60)),
        y=y, color=color, tooltip=tooltip,
    ).properties(title=title, width=alt.Step(14), height=alt.Step(18))
    return _themed(chart)


def _coverage_by_province(actual: pl.DataFrame) -> pl.DataFrame:
    from .divisions import load_divisions

    levels = actual["level"].unique().to_list()
    divisions = load_divisions().filter(pl.col("level").is_in(levels), pl.col("kind") == "regular")
    places = divisions.group_by("province_code").agg(pl.len().alias("places"))
    reporting = actual.group_by("province", "indicator_id").agg(
        pl.col("adcode").n_unique().alias("places_reporting"),
        (pl.col("adcode").first().str.slice(0, 2) + "0000").alias("province_code"),
    )
    return reporting.join(places, on="province_code", how="left").with_columns(
        (pl.col("places_reporting") / pl.col("places")).alias("share"))


def dot_plots(latest: pl.DataFrame, targets: dict[str, float], codebook: Codebook | None = None) -> alt.FacetChart:
    """One row per indicator: each place's value as a dot, the target (if any) as a dashed rule.

    Each row has its own scale. With many places each row is a box instead (5th–95th percentile
    line, quartile box, median tick) computed here, so the page carries a few numbers per indicator.
    """
    names = indicator_names(codebook)
    target = pl.col("indicator_id").replace_strict(targets, default=None, return_dtype=pl.Float64).alias("target")
    labelled = latest["place"].n_unique() <= MAX_LABELLED_PLACES
    row = alt.Row("indicator:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left", labelFont=_FONT))
    if labelled:
        rows = latest.select("indicator_id", "place", "value", "unit", "vintage_year", "doc_id", "source",
                             _indicator_label(names), target).sort("indicator_id", "place")
        base = alt.Chart(_data(rows))
        marks = [base.mark_circle(size=70, opacity=0.8).encode(
            x=alt.X("value:Q", title=None, scale=alt.Scale(zero=False)), y=alt.Y("place:N", title=None),
            color=alt.Color("source:N", title="stated/derived"),
            tooltip=["indicator:N", "place:N", "value:Q", "unit:N", "vintage_year:O", "doc_id:N", "source:N"])]
        title = "Values of the year (dashed: target)"
    else:
        value = pl.col("value")
        rows = latest.group_by("indicator_id").agg(
            pl.len().alias("places"), value.quantile(0.05).alias("p05"), value.quantile(0.25).alias("q1"),
            value.median().alias("median"), value.quantile(0.75).alias("q3"), value.quantile(0.95).alias("p95"),
            pl.col("unit").first(),
        ).with_columns(_indicator_label(names), target).sort("indicator_id")
        base = alt.Chart(_data(rows))
        tooltip = ["indicator:N", "places:Q", "p05:Q", "q1:Q", "median:Q", "q3:Q", "p95:Q", "unit:N"]
        marks = [
            base.mark_rule(color="#5b7bb2").encode(x=alt.X("p05:Q", title=None, scale=alt.Scale(zero=False)),
                                                   x2="p95:Q", tooltip=tooltip),
            base.mark_bar(size=12, color="#9ab3d9").encode(x="q1:Q", x2="q3:Q", tooltip=tooltip),
            base.mark_tick(color="black", thickness=2, size=14).encode(x="median:Q", tooltip=tooltip),
        ]
        title = "Values of the year across places: 5–95 % line, quartile box, median (dashed: target)"
    rule = base.transform_filter("isValid(datum.target)").transform_aggregate(
        target="max(target)", groupby=["indicator"]).mark_rule(color="#b42318", strokeDash=[4, 3]).encode(
        x="target:Q", tooltip=[alt.Tooltip("target:Q", title="target")])
    chart = alt.layer(*marks, rule).properties(width=420).facet(row=row).resolve_scale(x="independent", y="independent")
    return _themed(chart.properties(title=title))


def rank_interval_chart(intervals: pl.DataFrame) -> alt.LayerChart:
    """Composite rank of each place with its intervals under weight and indicator resampling.

    With many places only the best and the worst ``SHOWN_AT_EACH_END`` are drawn (the table has all).
    """
    ranked = intervals.filter(pl.col("rank").is_not_null()).sort("rank")
    title = "Composite rank with 5–95 % intervals (blue: weights perturbed; orange: indicators resampled)"
    if ranked.height > MAX_LABELLED_PLACES:
        ranked = pl.concat([ranked.head(SHOWN_AT_EACH_END), ranked.tail(SHOWN_AT_EACH_END)])
        title += f"; best and worst {SHOWN_AT_EACH_END} of {intervals.height}"
    base = alt.Chart(_data(ranked))
    y = alt.Y("place:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None)
    weights = base.mark_rule(strokeWidth=6, opacity=0.35, color="#1f77b4").encode(
        x=alt.X("rank_low_weights:Q", title="composite rank (1 = best)", scale=alt.Scale(zero=False)),
        x2="rank_high_weights:Q", y=y)
    bootstrap = base.mark_rule(strokeWidth=2, color="#ff7f0e").encode(
        x="rank_low_bootstrap:Q", x2="rank_high_bootstrap:Q", y=y)
    point = base.mark_point(filled=True, color="black", size=60).encode(
        x="rank:Q", y=y, tooltip=["place:N", "rank:Q", "rank_low_weights:Q", "rank_high_weights:Q",
                                   "rank_low_bootstrap:Q", "rank_high_bootstrap:Q"])
    return _themed(alt.layer(weights, bootstrap, point).properties(title=title, width=420, height=alt.Step(24)))


def trend_charts(trends: pl.DataFrame, codebook: Codebook | None = None) -> alt.FacetChart | None:
    """Indicators with more than one year, year over year; a dashed rule where a definition changed.

    One line per place; with many places the median across places with its interquartile band.
    None when no indicator has two years yet.
    """
    names = indicator_names(codebook)
    years = trends.group_by("indicator_id").agg(pl.col("year").n_unique().alias("years"))
    series = trends.join(years.filter(pl.col("years") > 1), on="indicator_id", how="semi")
    if series.is_empty():
        return None
    breaks = series.filter(pl.col("definition_break")).group_by("indicator_id", "year").len()
    if series["adcode"].n_unique() <= MAX_LABELLED_PLACES:
        rows = series.select("indicator_id", "place", "year", "value", "doc_id", "from_archive")
        line = alt.Chart().mark_line(point=True).encode(
            x=alt.X("year:O", title="year"), y=alt.Y("value:Q", title=None), color=alt.Color("place:N", title="地区"),
            tooltip=["place:N", "year:O", "value:Q", "doc_id:N", "from_archive:N"])
        marks = [line]
    else:
        rows = series.group_by("indicator_id", "year").agg(
            pl.len().alias("places"), pl.col("value").quantile(0.25).alias("q1"),
            pl.col("value").median().alias("median"), pl.col("value").quantile(0.75).alias("q3"))
        band = alt.Chart().mark_area(opacity=0.3).encode(x=alt.X("year:O", title="year"), y=alt.Y("q1:Q", title=None), y2="q3:Q")
        median = alt.Chart().mark_line(point=True).encode(
            x="year:O", y="median:Q", tooltip=["year:O", "places:Q", "q1:Q", "median:Q", "q3:Q"])
        marks = [band, median]
    rows = rows.join(breaks.select("indicator_id", "year", pl.lit(True).alias("definition_break")),
                     on=["indicator_id", "year"], how="left").with_columns(_indicator_label(names))
    rule = alt.Chart().transform_filter("datum.definition_break === true").mark_rule(
        color="#b42318", strokeDash=[4, 3]).encode(x="year:O")
    chart = alt.layer(*marks, rule, data=_data(rows)).properties(width=360, height=160).facet(
        facet=alt.Facet("indicator:N", title=None, header=alt.Header(labelFont=_FONT)), columns=2,
    ).resolve_scale(y="independent")
    return _themed(chart.properties(title="Year over year (dashed: definition changed)"))


def quality_chart(quality: pl.DataFrame) -> alt.Chart:
    """Required contents present in each annual report, and whether it was published on time."""
    rows = quality.select("place", "year", "contents_present", "on_time").with_columns(
        pl.col("on_time").cast(pl.String).fill_null("date unknown"))
    chart = alt.Chart(alt.Data(values=rows.to_dicts())).mark_bar().encode(
        x=alt.X("contents_present:Q", title="required contents present (of 4)", scale=alt.Scale(domain=[0, 4])),
        y=alt.Y("place:N", title=None), color=alt.Color("on_time:N", title="published by 1 April"),
        tooltip=["place:N", "year:O", "contents_present:Q", "on_time:N"])
    return _themed(chart.properties(title="Annual report quality", width=360, height=alt.Step(24)))


@lru_cache(maxsize=1)
def _register_cjk_font_for_vl_convert() -> None:
    """vl-convert draws with its own font list: without the bundled CJK face, Chinese is boxes."""
    import vl_convert

    vl_convert.register_font_directory(str(cjk_font_path().parent))


def save(chart: alt.TopLevelMixin, folder: str | Path | None, name: str) -> list[Path]:
    """Write ``name.svg`` and ``name.png`` into ``folder`` (nothing when no folder is given)."""
    if folder is None:
        return []
    _register_cjk_font_for_vl_convert()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix in ("svg", "png"):
        target = folder / f"{name}.{suffix}"
        chart.save(str(target))
        written.append(target)
    return written


def save_figure(figure, folder: str | Path | None, name: str, dpi: int = 150) -> list[Path]:
    """Write a matplotlib figure (a static map) as ``name.png`` and ``name.svg`` into ``folder``."""
    if folder is None:
        return []
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with matplotlib.rc_context(cjk_rc()):  # saving lays text out again: in the CJK face, not DejaVu
        for suffix in ("png", "svg"):
            target = folder / f"{name}.{suffix}"
            figure.savefig(target, dpi=dpi)
            written.append(target)
    return written
