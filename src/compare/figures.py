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


def coverage_heatmap(panel: pl.DataFrame, codebook: Codebook | None = None) -> alt.Chart:
    """Place × indicator: which indicators each place's reports give (latest year shown)."""
    names = indicator_names(codebook)
    cells = (
        panel.filter(pl.col("kind") == "actual")
        .group_by("place", "indicator_id")
        .agg(pl.col("year").max().alias("latest_year"), pl.len().alias("values"), pl.col("source").first())
        .with_columns(pl.col("indicator_id").replace_strict(names, default=pl.col("indicator_id")).alias("indicator"))
    )
    chart = alt.Chart(alt.Data(values=cells.to_dicts())).mark_rect().encode(
        x=alt.X("indicator:N", title="指标", sort=sorted(names.values()), axis=alt.Axis(labelAngle=-60)),
        y=alt.Y("place:N", title="地区"),
        color=alt.Color("latest_year:O", title="最新年份"),
        tooltip=["place:N", "indicator:N", "latest_year:O", "values:Q", "source:N"],
    ).properties(title="Coverage: indicators found per place", width=alt.Step(14), height=alt.Step(18))
    return _themed(chart)


MAX_LABELLED_PLACES = 40


def dot_plots(latest: pl.DataFrame, targets: dict[str, float], codebook: Codebook | None = None) -> alt.FacetChart:
    """One row per indicator: the places' values as dots, the target (if any) as a dashed rule.

    Each row has its own scale. With many places (a national comparison) the place axis is
    dropped and the dots form a strip; the tooltip still names each place and its source.
    """
    names = indicator_names(codebook)
    rows = latest.select(
        "indicator_id", "place", "value", "unit", "vintage_year", "doc_id", "source",
        pl.col("indicator_id").replace_strict(names, default=pl.col("indicator_id")).alias("indicator"),
        pl.col("indicator_id").replace_strict(targets, default=None, return_dtype=pl.Float64).alias("target"),
    ).sort("indicator_id", "place")
    labelled = rows["place"].n_unique() <= MAX_LABELLED_PLACES
    base = alt.Chart(alt.Data(values=rows.to_dicts()))
    dots = base.mark_circle(size=70, opacity=0.8).encode(
        x=alt.X("value:Q", title=None, scale=alt.Scale(zero=False)),
        y=alt.Y("place:N", title=None) if labelled else alt.Y("source:N", title=None, axis=None),
        color=alt.Color("source:N", title="stated/derived"),
        tooltip=["indicator:N", "place:N", "value:Q", "unit:N", "vintage_year:O", "doc_id:N", "source:N"],
    )
    rule = base.transform_filter("isValid(datum.target)").transform_aggregate(
        target="max(target)", groupby=["indicator"]).mark_rule(color="#b42318", strokeDash=[4, 3]).encode(
        x="target:Q", tooltip=[alt.Tooltip("target:Q", title="target")])
    chart = alt.layer(dots, rule).properties(width=420).facet(
        row=alt.Row("indicator:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left", labelFont=_FONT)),
    ).resolve_scale(x="independent", y="independent")
    return _themed(chart.properties(title="Values of the year (dashed: target)"))


def rank_interval_chart(intervals: pl.DataFrame) -> alt.LayerChart:
    """Composite rank of each place with its intervals under weight and indicator resampling."""
    rows = intervals.to_dicts()
    base = alt.Chart(alt.Data(values=rows))
    y = alt.Y("place:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None)
    weights = base.mark_rule(strokeWidth=6, opacity=0.35, color="#1f77b4").encode(
        x=alt.X("rank_low_weights:Q", title="composite rank (1 = best)", scale=alt.Scale(zero=False)),
        x2="rank_high_weights:Q", y=y)
    bootstrap = base.mark_rule(strokeWidth=2, color="#ff7f0e").encode(
        x="rank_low_bootstrap:Q", x2="rank_high_bootstrap:Q", y=y)
    point = base.mark_point(filled=True, color="black", size=60).encode(
        x="rank:Q", y=y, tooltip=["place:N", "rank:Q", "rank_low_weights:Q", "rank_high_weights:Q",
                                   "rank_low_bootstrap:Q", "rank_high_bootstrap:Q"])
    return _themed(alt.layer(weights, bootstrap, point).properties(
        title="Composite rank with 5–95 % intervals (blue: weights perturbed; orange: indicators resampled)",
        width=420, height=alt.Step(24)))


def trend_chart(trends: pl.DataFrame, indicator_id: str, codebook: Codebook | None = None) -> alt.LayerChart:
    """One indicator over the years per place; a dashed rule where the definition changed."""
    names = indicator_names(codebook)
    rows = trends.filter(pl.col("indicator_id") == indicator_id)
    lines = alt.Chart(alt.Data(values=rows.to_dicts())).mark_line(point=True).encode(
        x=alt.X("year:O", title="year"), y=alt.Y("value:Q", title=names.get(indicator_id, indicator_id)),
        color=alt.Color("place:N", title="地区"),
        tooltip=["place:N", "year:O", "value:Q", "doc_id:N", "from_archive:N"])
    breaks = rows.filter(pl.col("definition_break")).select("year").unique()
    rule = alt.Chart(alt.Data(values=breaks.to_dicts() or [{"year": None}])).mark_rule(
        color="#b42318", strokeDash=[4, 3]).encode(x="year:O")
    return _themed(alt.layer(lines, rule).properties(
        title=f"{names.get(indicator_id, indicator_id)}: year over year (dashed: definition changed)", width=420))


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
