"""Maps of indicator values by province, prefecture or county.

Functions for notebooks, all taking a polars DataFrame with a 6-digit code column and a value
column, a level (province, prefecture, county) and optionally a region (a province or prefecture by
code, name or short name; see :func:`compare.geography.boundaries`):

    >>> from compare.maps import choropleth, choropleths, static_map
    >>> choropleth(df, "county", "江苏", title="…")            # altair.Chart, interactive
    >>> choropleths(long_df, "county", "江苏")                  # a map per indicator_id, boundaries shared
    >>> static_map(df, "county", "江苏", title="…").savefig("jiangsu.png", dpi=200)

Places without a value are drawn grey and labelled "no report" (legend and tooltip). Values whose
code has no polygon on the layer (a development zone, a county code on a prefecture map) are left
out with a warning; values for places outside the region are left out silently.

The altair chart carries its boundaries inline as TopoJSON (shared borders stored once, coordinates
as integers on the layers' 0.001° grid), so a saved HTML page needs no data file: the national county
map is about 1.6 MB, and :func:`choropleths` stores it once for all its maps. Coordinates are GCJ-02
as in the boundary source: right for choropleths. Maps published in China need map review (审图号);
these are for research use.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import altair as alt
import geopandas as gpd
import matplotlib
import numpy as np
import polars as pl
import shapely
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from . import geography
from .fonts import cjk_rc

NO_REPORT = "no report"
NO_REPORT_COLOR = "#d9d9d9"
REPORTED = "reported"
GRID = 1000  # the boundary layers are snapped to 0.001°

# Albers equal-area for China (as in most national atlases): standard parallels 25°N and 47°N.
_PARALLELS = (25, 47)
_CENTRAL_MERIDIAN = 105
_ALTAIR_TITLE = "{value_title} by {level}, {where}"


# ---------------------------------------------------------------------------------------------
# values


def _normalise_code(code: object) -> str | None:
    if code is None:
        return None
    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if len(text) == 12 and text.isdigit() and text.endswith("000000"):
        text = text[:6]  # 12-digit statistical code of a county or above
    return text


def _require_columns(frame: pl.DataFrame, columns: Sequence[str], name: str) -> None:
    """Fail early, naming the table and what it does have, rather than deep inside polars."""
    if not isinstance(frame, pl.DataFrame):
        raise TypeError(f"{name} must be a polars DataFrame, not {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{name} has no column {', '.join(map(repr, missing))}; its columns: {', '.join(frame.columns)}"
        )


def _value_table(
    values: pl.DataFrame, code_column: str, value_column: str, name: str
) -> tuple[dict[str, object], bool]:
    """code -> value, and whether the values are numeric; ``name`` says in messages whose values."""
    _require_columns(values, (code_column, value_column), name)
    numeric = values.schema[value_column].is_numeric()
    table: dict[str, object] = {}
    duplicated: set[str] = set()
    malformed: list[str] = []
    for code, value in values.select(code_column, value_column).iter_rows():
        key = _normalise_code(code)
        if key is None:
            continue
        if not (len(key) == 6 and key.isdigit()):
            malformed.append(str(code))
            continue
        if value is None or (numeric and isinstance(value, float) and math.isnan(value)):
            continue
        if key in table:
            duplicated.add(key)
        table[key] = float(value) if numeric else str(value)
    if malformed:
        raise ValueError(f"{name}: codes must be 6-digit division codes; not: {', '.join(malformed[:10])}")
    if duplicated:
        raise ValueError(
            f"{name}: one value per place: codes repeated in {code_column!r}: {', '.join(sorted(duplicated)[:10])}"
            " (filter to one indicator and one period first)"
        )
    return table, numeric


class _Values(NamedTuple):
    """One map's values as given, and the titles asked for it."""

    table: pl.DataFrame
    name: str  # how messages name these values
    title: str | None
    value_title: str | None


@dataclass(frozen=True)
class _Shown:
    """One map drawn from the shared places: its two columns there, its scale and its titles."""

    value: str  # column of the places holding the value, None where there is none
    status: str  # column of the places holding REPORTED or NO_REPORT
    numeric: bool  # numbers get a sequential scale, anything else a categorical one
    value_title: str
    title: str


@dataclass(frozen=True)
class _MapLayers:
    """What the renderers draw, worked out once from their shared parameters."""

    places: gpd.GeoDataFrame  # the layer's polygons with a value and a status column per map
    shown: tuple[_Shown, ...]
    borders: gpd.GeoDataFrame | None  # the level above, drawn as outlines


def _map_layers(
    value_sets: Sequence[_Values], level: str, region, value_column: str, code_column: str, *,
    outline: bool, title_format: str, country: str,
) -> _MapLayers:
    """The places of ``level`` in ``region`` joined to each map's values, with titles and borders.

    One map's columns are ``value`` and ``status``; several maps' are ``value_<n>`` and ``status_<n>``
    (n from 0, in the order given). ``title_format`` (fields ``where``, ``value_title``, ``level``)
    makes a title where none is given; ``where`` is the region's name, or ``country`` for a national map.
    """
    places = geography.boundaries(level, region)
    everywhere = set(geography.boundaries(level)["code"])
    where = geography.resolve_region(region)[2] if region is not None else country
    shown = []
    for n, values in enumerate(value_sets):
        table, numeric = _value_table(values.table, code_column, value_column, values.name)
        unplaced = sorted(set(table) - everywhere)
        if unplaced:
            warnings.warn(
                f"{values.name}: {len(unplaced)} value(s) have no polygon on the {level} layer and are not drawn: "
                f"{', '.join(unplaced[:10])}{' …' if len(unplaced) > 10 else ''}",
                stacklevel=3,
            )
        suffix = "" if len(value_sets) == 1 else f"_{n}"
        places[f"value{suffix}"] = [table.get(code) for code in places["code"]]
        places[f"status{suffix}"] = [REPORTED if code in table else NO_REPORT for code in places["code"]]
        value_title = values.value_title or value_column
        title = values.title if values.title is not None else title_format.format(
            where=where, value_title=value_title, level=level)
        shown.append(_Shown(f"value{suffix}", f"status{suffix}", numeric, value_title, title))
    outline_level = _outline_level(level, region) if outline else None
    borders = geography.boundaries(outline_level, region) if outline_level is not None else None
    return _MapLayers(places=places, shown=tuple(shown), borders=borders)


def _outline_level(level: str, region) -> str | None:
    if region is None:
        return "province" if level != "province" else None
    _, region_level, _ = geography.resolve_region(region)
    if region_level == "province" and level == "county":
        return "prefecture"
    return None


# ---------------------------------------------------------------------------------------------
# TopoJSON


def _ring_points(ring) -> list[tuple[int, int]]:
    coords = np.rint(np.asarray(ring.coords) * GRID).astype(np.int64)
    points: list[tuple[int, int]] = []
    for x, y in coords.tolist():
        if not points or points[-1] != (x, y):
            points.append((x, y))
    if points and points[0] != points[-1]:
        points.append(points[0])
    return points


def topology(frame: gpd.GeoDataFrame, properties: Sequence[str], name: str = "places") -> dict:
    """A TopoJSON topology of the frame's polygons, quantised to the layers' 0.001° grid.

    Borders shared by two places become one arc, used forwards by one and backwards by the other.
    Exterior rings are made clockwise, as d3-geo (and so Vega) expects.
    """
    geoms = shapely.orient_polygons(np.asarray(frame.geometry.values, dtype=object), exterior_cw=True)
    polygons: list[list[list[list[tuple[int, int]]]]] = []  # feature -> polygon -> ring -> points
    for geom in geoms:
        feature_polys = []
        for poly in shapely.get_parts(geom):
            rings = [_ring_points(poly.exterior)] + [_ring_points(r) for r in poly.interiors]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                feature_polys.append(rings)
        polygons.append(feature_polys)

    # Junctions: points met with more than one pair of neighbours.
    neighbours: dict[tuple[int, int], frozenset] = {}
    junctions: set[tuple[int, int]] = set()
    for feature_polys in polygons:
        for rings in feature_polys:
            for ring in rings:
                n = len(ring) - 1
                for i in range(n):
                    point = ring[i]
                    pair = frozenset((ring[i - 1], ring[i + 1]))
                    seen = neighbours.get(point)
                    if seen is None:
                        neighbours[point] = pair
                    elif seen != pair:
                        junctions.add(point)

    arcs: list[list[tuple[int, int]]] = []
    arc_index: dict[tuple, int] = {}

    def add_arc(points: list[tuple[int, int]]) -> int:
        key = tuple(points)
        if key in arc_index:
            return arc_index[key]
        reverse = key[::-1]
        if reverse in arc_index:
            return ~arc_index[reverse]
        arc_index[key] = len(arcs)
        arcs.append(points)
        return len(arcs) - 1

    def ring_arcs(ring: list[tuple[int, int]]) -> list[int]:
        body = ring[:-1]
        cuts = [i for i, p in enumerate(body) if p in junctions]
        if not cuts:
            # a ring that meets no other (an island, or an enclave's edge): one closed arc,
            # starting at its smallest point so that the enclave's two rings share it
            start = body.index(min(body))
            rotated = body[start:] + body[:start]
            forward = rotated + [rotated[0]]
            return [add_arc(forward)]
        rotated = body[cuts[0]:] + body[:cuts[0]] + [body[cuts[0]]]
        indices = [i for i, p in enumerate(rotated) if p in junctions]
        if indices[-1] != len(rotated) - 1:
            indices.append(len(rotated) - 1)
        return [add_arc(rotated[a:b + 1]) for a, b in zip(indices, indices[1:])]

    geometries = []
    for feature_polys, props in zip(polygons, frame[list(properties)].to_dict("records")):
        clean = {k: (None if v is None or (isinstance(v, float) and math.isnan(v)) else
                     v.item() if isinstance(v, np.generic) else v) for k, v in props.items()}
        geometries.append({
            "type": "MultiPolygon",
            "arcs": [[ring_arcs(ring) for ring in rings] for rings in feature_polys],
            "properties": clean,
        })

    all_points = np.array([p for arc in arcs for p in arc], dtype=np.int64).reshape(-1, 2)
    x0, y0 = (all_points.min(axis=0).tolist() if len(all_points) else (0, 0))
    encoded = []
    for arc in arcs:
        a = np.asarray(arc, dtype=np.int64) - (x0, y0)
        delta = np.vstack([a[:1], np.diff(a, axis=0)])
        encoded.append(delta.tolist())
    return {
        "type": "Topology",
        "transform": {"scale": [1 / GRID, 1 / GRID], "translate": [x0 / GRID, y0 / GRID]},
        "objects": {name: {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": encoded,
    }


def _topo_data(frame: gpd.GeoDataFrame, properties: Sequence[str], name: str) -> alt.InlineData:
    """Inline data holding the topology as one JSON string, which Vega parses by the format.

    A string, not nested lists: altair copies and walks nested data at every step of building a
    chart (seconds for a national county map), while a string is passed along as it is.
    """
    text = json.dumps(topology(frame, properties, name), ensure_ascii=False, separators=(",", ":"))
    return alt.InlineData(values=text, format=alt.DataFormat(type="topojson", feature=name))


def _size(frame: gpd.GeoDataFrame, width: int) -> int:
    minx, miny, maxx, maxy = frame.total_bounds
    mid = math.radians((miny + maxy) / 2)
    aspect = (maxy - miny) / max((maxx - minx) * math.cos(mid), 1e-6)
    return int(round(width * min(max(aspect, 0.45), 1.6)))


def _projection() -> alt.Projection:
    return alt.Projection(type="conicEqualArea", parallels=list(_PARALLELS), rotate=[-_CENTRAL_MERIDIAN, 0, 0])


# ---------------------------------------------------------------------------------------------
# altair


def _altair_map(
    shown: _Shown, places: alt.InlineData, outline: alt.InlineData | None, *,
    scheme: str | None, width: int, height: int,
) -> alt.LayerChart:
    """One map: grey "no report" places, the others coloured by value, the outline on top."""
    tooltip_common = [
        alt.Tooltip("properties.name:N", title="name"),
        alt.Tooltip("properties.code:N", title="code"),
    ]
    no_report = (
        alt.Chart()
        .mark_geoshape(stroke="white", strokeWidth=0.2)
        .transform_filter(f"datum.properties.{shown.status} === '{NO_REPORT}'")
        .encode(
            color=alt.Color(
                f"properties.{shown.status}:N",
                scale=alt.Scale(domain=[NO_REPORT], range=[NO_REPORT_COLOR]),
                legend=alt.Legend(title=None, orient="right"),
            ),
            tooltip=[*tooltip_common, alt.Tooltip(f"properties.{shown.status}:N", title=shown.value_title)],
        )
    )
    value_type = "quantitative" if shown.numeric else "nominal"
    color_scale = alt.Scale(scheme=scheme or ("yelloworangered" if shown.numeric else "tableau10"))
    reported = (
        alt.Chart()
        .mark_geoshape(stroke="white", strokeWidth=0.2)
        .transform_filter(f"datum.properties.{shown.status} === '{REPORTED}'")
        .encode(
            color=alt.Color(f"properties.{shown.value}", type=value_type, scale=color_scale, title=shown.value_title),
            tooltip=[*tooltip_common,
                     alt.Tooltip(f"properties.{shown.value}", type=value_type, title=shown.value_title)],
        )
    )
    chart = alt.layer(no_report, reported, data=places)
    if outline is not None:
        chart = alt.layer(chart, alt.Chart(outline).mark_geoshape(filled=False, stroke="#4d4d4d", strokeWidth=0.6))
    return (
        chart.resolve_scale(color="independent")
        .project(**_projection().to_dict())
        .properties(title=shown.title, width=width, height=height)
    )


def _altair_maps(layers: _MapLayers, *, scheme: str | None, width: int, height: int | None) -> list[alt.LayerChart]:
    """A map per shown indicator, all referring to the same two inline topologies.

    Altair stores inline data once under a name made from its content, so the places and the
    outline are written once into the chart's ``datasets`` however many maps draw them.
    """
    height = height or _size(layers.places, width)
    columns = ["code", "name", "level", *(column for shown in layers.shown for column in (shown.value, shown.status))]
    places = _topo_data(layers.places, columns, "places")
    outline = _topo_data(layers.borders, ["code", "name"], "outline") if layers.borders is not None else None
    return [_altair_map(shown, places, outline, scheme=scheme, width=width, height=height) for shown in layers.shown]


def choropleth(
    values: pl.DataFrame,
    level: str,
    region: str | int | None = None,
    value_column: str = "value",
    code_column: str = "code",
    title: str | None = None,
    *,
    value_title: str | None = None,
    scheme: str | None = None,
    width: int = 640,
    height: int | None = None,
    outline: bool = True,
) -> alt.LayerChart:
    """An interactive choropleth (altair) of ``values`` on the ``level`` layer of ``region``.

    ``values``: a polars DataFrame with a 6-digit division code in ``code_column`` and the value in
    ``value_column`` (numbers get a sequential scale, anything else a categorical one). Places with
    no value are grey, labelled "no report" in the legend and the tooltip; the tooltip gives name,
    code and value. ``outline`` draws the borders of the level above (provinces on a national map,
    prefectures on a province's county map). The boundaries are inline TopoJSON, so
    ``chart.save("map.html")`` writes a self-contained page (Vega itself still loads from a CDN).
    """
    layers = _map_layers([_Values(values, "values", title, value_title)], level, region, value_column, code_column,
                         outline=outline, title_format=_ALTAIR_TITLE, country="China")
    (chart,) = _altair_maps(layers, scheme=scheme, width=width, height=height)
    return chart.configure_view(stroke=None)


def choropleths(
    values: pl.DataFrame,
    level: str,
    region: str | int | None = None,
    *,
    indicator_column: str = "indicator_id",
    value_column: str = "value",
    code_column: str = "code",
    titles: Mapping[str, str] | None = None,
    columns: int = 1,
    width: int = 480,
    outline: bool = True,
) -> alt.VConcatChart | alt.ConcatChart:
    """One choropleth per indicator in one chart, the boundaries stored once for all of them.

    ``values``: a long polars DataFrame, one row per indicator and place (``indicator_column``,
    ``code_column``, ``value_column``). The maps follow the order in which the indicators first
    appear in ``values`` (sort the frame to order them otherwise); ``columns`` maps a row. Each map
    has its own colour scale and legend, titled ``titles[indicator]`` (default: the indicator id),
    and the rules of :func:`choropleth`: a place with no value for an indicator is "no report" on that
    map. An indicator without a row in ``values`` gets no map, whatever ``titles`` says.

    Drawn as separate charts each map would carry its own copy of the TopoJSON (about 1.6 MB for the
    national county layer); here every indicator's value and status are properties (``value_<n>``,
    ``status_<n>``, n from 0 in map order; ``value`` and ``status`` for one indicator, as in
    :func:`choropleth`) of one topology, and the outline is one more, shared too.
    """
    if columns < 1:
        raise ValueError(f"columns must be 1 or more, not {columns}")
    _require_columns(values, (indicator_column, code_column, value_column), "values")
    if values.is_empty():
        raise ValueError("values is empty: no indicator to map")
    if values[indicator_column].null_count():
        raise ValueError(f"values has rows without an indicator in {indicator_column!r}")
    titles = titles or {}
    value_sets = [
        _Values(table, f"values of {indicator!r}", None, titles.get(indicator, str(indicator)))
        for (indicator,), table in values.partition_by(indicator_column, maintain_order=True, as_dict=True).items()
    ]
    layers = _map_layers(value_sets, level, region, value_column, code_column,
                         outline=outline, title_format=_ALTAIR_TITLE, country="China")
    charts = _altair_maps(layers, scheme=None, width=width, height=None)
    chart = alt.vconcat(*charts) if columns == 1 else alt.concat(*charts, columns=columns)
    return chart.resolve_scale(color="independent").configure_view(stroke=None)


# ---------------------------------------------------------------------------------------------
# matplotlib


def static_map(
    values: pl.DataFrame,
    level: str,
    region: str | int | None = None,
    value_column: str = "value",
    code_column: str = "code",
    title: str | None = None,
    *,
    value_title: str | None = None,
    cmap: str = "YlOrRd",
    labels: bool | None = None,
    outline: bool = True,
    no_report_label: str = NO_REPORT,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """A static choropleth (matplotlib Figure) with Chinese labels in the project's CJK font.

    Same data rules as :func:`choropleth`. ``labels`` writes place names on the map (default: when
    there are at most 60 places). Save with ``fig.savefig("map.png", dpi=200)`` (or .pdf/.svg).
    """
    layers = _map_layers([_Values(values, "values", title, value_title)], level, region, value_column, code_column,
                         outline=outline, title_format="{where} · {value_title} ({level})", country="全国")
    (shown,) = layers.shown
    value_title, numeric = shown.value_title, shown.numeric
    center = layers.places.union_all().centroid.x if region is not None else _CENTRAL_MERIDIAN
    crs = (f"+proj=aea +lat_1={_PARALLELS[0]} +lat_2={_PARALLELS[1]} +lat_0=0 +lon_0={center:.3f} "
           "+ellps=WGS84 +units=m +no_defs")
    projected = layers.places.to_crs(crs)
    minx, miny, maxx, maxy = projected.total_bounds
    if figsize is None:
        aspect = (maxy - miny) / max(maxx - minx, 1.0)
        figsize = (9.0, max(4.0, min(9.0 * aspect + 0.8, 12.0)))
    show_labels = len(projected) <= 60 if labels is None else labels

    with matplotlib.rc_context(cjk_rc()):
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_aspect("equal")
        missing = projected[projected["status"] == NO_REPORT]
        present = projected[projected["status"] == REPORTED].copy()
        if len(missing):
            missing.plot(ax=ax, color=NO_REPORT_COLOR, edgecolor="white", linewidth=0.2)
        handles = [Patch(facecolor=NO_REPORT_COLOR, edgecolor="#999999", label=no_report_label)] if len(missing) else []
        if len(present):
            if numeric:
                present["value"] = present["value"].astype(float)
                present.plot(ax=ax, column="value", cmap=cmap, edgecolor="white", linewidth=0.2, legend=True,
                             legend_kwds={"label": value_title, "shrink": 0.6})
            else:
                present["value"] = present["value"].astype(str)
                categories = sorted(present["value"].unique())
                palette = matplotlib.colormaps["tab10"]
                for i, category in enumerate(categories):
                    colour = palette(i % 10)
                    present[present["value"] == category].plot(ax=ax, color=colour, edgecolor="white", linewidth=0.2)
                    handles.append(Patch(facecolor=colour, label=category))
        if layers.borders is not None:
            layers.borders.to_crs(crs).boundary.plot(ax=ax, color="#4d4d4d", linewidth=0.5)
        if show_labels:
            points = projected.geometry.representative_point()
            for name, point in zip(projected["name"], points):
                ax.annotate(name, (point.x, point.y), ha="center", va="center", fontsize=7, color="#222222",
                            path_effects=[patheffects.withStroke(linewidth=2, foreground="white")])
        if handles:
            ax.legend(handles=handles, loc="lower left", frameon=False, fontsize=8,
                      title=None if numeric else value_title)
        ax.set_title(shown.title, fontsize=12)
        # draw once inside the font settings so every text (ticks, legend) is laid out in the CJK font
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig).draw()
    return fig
