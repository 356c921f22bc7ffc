"""Maps: the altair choropleth (inline TopoJSON, grey "no report" places, size of the national page),
several indicators' maps sharing one topology, and the matplotlib map (Chinese labels in the
project's own CJK font, no missing glyphs)."""

from __future__ import annotations

import json
import warnings

import matplotlib
import numpy as np
import polars as pl
import pytest
import shapely
import vl_convert
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from compare import fonts, geography, maps

MAX_HTML_BYTES = 3_000_000
MAX_THREE_MAPS_JSON_BYTES = 2_500_000


def _values(level: str, region=None, every: int = 2) -> pl.DataFrame:
    codes = list(geography.boundaries(level, region)["code"])[::every]
    return pl.DataFrame({"code": codes, "value": [float(i % 97) for i in range(len(codes))]})


def _datasets(chart) -> dict[str, dict]:
    """Inline datasets of a chart's spec, the TopoJSON strings parsed, keyed by their object name."""
    spec = chart.to_dict()
    out = {}
    for values in spec["datasets"].values():
        topology = json.loads(values)
        (name,) = topology["objects"]
        out[name] = topology
    return out


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _decode(topology: dict, name: str) -> list[shapely.MultiPolygon]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = [np.cumsum(np.asarray(arc, dtype=float), axis=0) * (sx, sy) + (tx, ty) for arc in topology["arcs"]]

    def ring(indices):
        points = []
        for i in indices:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    return [
        shapely.MultiPolygon([shapely.Polygon(ring(p[0]), [ring(h) for h in p[1:]]) for p in g["arcs"]])
        for g in topology["objects"][name]["geometries"]
    ]


# --- TopoJSON ---------------------------------------------------------------------------------


def test_topology_round_trips_and_shares_borders():
    frame = geography.boundaries("county", "江苏")
    topology = maps.topology(frame, ["code", "name"], "places")
    decoded = _decode(topology, "places")
    assert len(decoded) == len(frame) == 95
    for original, back, code in zip(frame.geometry, decoded, frame["code"]):
        assert back.symmetric_difference(original).area < 1e-9, code
        # exterior rings clockwise, as d3-geo wants
        assert all(not p.exterior.is_ccw for p in back.geoms), code
    used = [abs(i if i >= 0 else ~i) for g in topology["objects"]["places"]["geometries"]
            for p in g["arcs"] for r in p for i in r]
    shared = sum(1 for count in np.bincount(used) if count == 2)
    assert shared > 200  # neighbours' borders are stored once and used twice
    points = sum(len(a) for a in topology["arcs"])
    assert points < 0.7 * shapely.get_num_coordinates(frame.geometry.values).sum()


# --- altair -----------------------------------------------------------------------------------


def test_province_county_choropleth():
    values = _values("county", "江苏")
    chart = maps.choropleth(values, "county", "江苏", title="江苏 县级 示例")
    topologies = _datasets(chart)
    places = topologies["places"]["objects"]["places"]["geometries"]
    assert len(places) == 95
    by_code = {g["properties"]["code"]: g["properties"] for g in places}
    for code, value in values.iter_rows():
        assert by_code[code]["value"] == value and by_code[code]["status"] == "reported"
    grey = [p for p in by_code.values() if p["status"] == "no report"]
    assert len(grey) == 95 - values.height and all(p["value"] is None for p in grey)
    assert by_code["320505"]["name"] == "虎丘区"
    # prefecture borders drawn over the counties
    assert len(topologies["outline"]["objects"]["outline"]["geometries"]) == 13

    spec = chart.to_dict()
    assert not any("url" in node for node in _walk(spec)), "boundaries must be inline"
    scales = [node["scale"] for node in _walk(spec) if isinstance(node.get("scale"), dict) and "range" in node["scale"]]
    assert {"domain": ["no report"], "range": [maps.NO_REPORT_COLOR]} in scales
    filters = [node["filter"] for node in _walk(spec) if "filter" in node]
    assert "datum.properties.status === 'no report'" in filters
    tooltips = {t["field"] for node in _walk(spec) if "tooltip" in node for t in node["tooltip"]}
    assert {"properties.name", "properties.value", "properties.status"} <= tooltips
    assert spec["title"] == "江苏 县级 示例"


def test_categorical_values_and_unplaced_codes():
    values = pl.DataFrame({"code": ["320100", "320200", "130171"], "value": ["已发布", "未发布", "已发布"]})
    with pytest.warns(UserWarning, match="130171"):  # a development zone: no polygon
        chart = maps.choropleth(values, "prefecture", "江苏")
    spec = chart.to_dict()
    types = {node.get("type") for node in _walk(spec) if node.get("field") == "properties.value"}
    assert types == {"nominal"}
    places = _datasets(chart)["places"]["objects"]["places"]["geometries"]
    assert sum(g["properties"]["status"] == "reported" for g in places) == 2


def test_value_errors():
    with pytest.raises(ValueError, match="320100"):
        maps.choropleth(pl.DataFrame({"code": ["320100", "320100"], "value": [1, 2]}), "prefecture")
    with pytest.raises(ValueError, match="no column 'rate'"):
        maps.choropleth(pl.DataFrame({"code": ["320100"], "value": [1]}), "prefecture", value_column="rate")
    with pytest.raises(ValueError, match="valid levels"):
        maps.choropleth(pl.DataFrame({"code": ["320100"], "value": [1]}), "city")
    with pytest.raises(ValueError, match="Provinces: 110000 北京市"):
        maps.static_map(pl.DataFrame({"code": ["320100"], "value": [1]}), "county", "Jiangsu")
    # integer and 12-digit codes are accepted
    chart = maps.choropleth(pl.DataFrame({"code": [320100, 320200000000], "value": [1, 2]}), "prefecture", "江苏")
    places = _datasets(chart)["places"]["objects"]["places"]["geometries"]
    assert {g["properties"]["code"] for g in places if g["properties"]["status"] == "reported"} == {"320100", "320200"}


@pytest.mark.slow
def test_national_county_choropleth_fits_in_a_standalone_page(tmp_path):
    values = _values("county")
    chart = maps.choropleth(values, "county", title="全国 县级")
    path = tmp_path / "national.html"
    chart.save(path)
    html = path.read_text(encoding="utf-8")
    assert path.stat().st_size <= MAX_HTML_BYTES
    places = _datasets(chart)["places"]["objects"]["places"]["geometries"]
    assert len(places) == len(geography.boundaries("county"))
    assert sum(g["properties"]["status"] == "no report" for g in places) == len(places) - values.height
    assert '"type": "topojson"' in html and "vega-lite" in html
    assert not any("url" in node for node in _walk(chart.to_dict()))


def _indicator_values(level: str, region=None) -> pl.DataFrame:
    """Three indicators in long form, each on its own share of the places, in the order c, a, b."""
    codes = list(geography.boundaries(level, region)["code"])
    shares = {"c_published": codes[::3], "a_rate": codes[::2], "b_count": codes[1::2]}
    return pl.DataFrame(
        [(indicator, code, float(i % 11)) for indicator, share in shares.items() for i, code in enumerate(share)],
        schema=["indicator_id", "code", "value"], orient="row",
    )


def _map_views(spec: dict) -> list[dict]:
    return spec.get("vconcat") or spec["concat"]


def test_choropleths_share_one_topology_in_a_province():
    values = _indicator_values("county", "江苏")
    chart = maps.choropleths(values, "county", "江苏", titles={"a_rate": "办结率（%）"}, columns=2, width=300)
    spec = chart.to_dict()
    assert spec["columns"] == 2 and len(spec["concat"]) == 3
    # two datasets however many maps: the counties with every indicator, and the prefecture outline
    topologies = _datasets(chart)
    assert set(topologies) == {"places", "outline"}
    assert len(topologies["outline"]["objects"]["outline"]["geometries"]) == 13
    places = {g["properties"]["code"]: g["properties"] for g in topologies["places"]["objects"]["places"]["geometries"]}
    assert len(places) == 95
    # maps in the order the indicators first appear; each status is per indicator
    for n, indicator in enumerate(["c_published", "a_rate", "b_count"]):
        given = dict(values.filter(indicator_id=indicator).select("code", "value").iter_rows())
        for code, properties in places.items():
            assert properties[f"value_{n}"] == given.get(code)
            assert properties[f"status_{n}"] == ("reported" if code in given else "no report")
    first = next(iter(places))  # on the a_rate and c_published maps, not on the b_count map
    assert [places[first][f"status_{n}"] for n in range(3)] == ["reported", "reported", "no report"]

    views = _map_views(spec)
    assert [view["title"] for view in views] == [
        "c_published by county, 江苏省", "办结率（%） by county, 江苏省", "b_count by county, 江苏省"]
    for n, view in enumerate(views):
        filters = {node["filter"] for node in _walk(view) if "filter" in node}
        assert filters == {f"datum.properties.status_{n} === '{status}'" for status in ("no report", "reported")}
        tooltips = {t["field"] for node in _walk(view) if "tooltip" in node for t in node["tooltip"]}
        assert tooltips == {"properties.name", "properties.code", f"properties.value_{n}", f"properties.status_{n}"}
        outlines = [node for node in _walk(view) if node.get("data", {}).get("format", {}).get("feature") == "outline"]
        assert len(outlines) == 1
    # compiled, each map has its own colour scale with its own legend, and the grey "no report" one
    vega = vl_convert.vegalite_to_vega(spec)
    legends = [legend for node in _walk(vega) for legend in node.get("legends", [])]
    titles = [legend.get("title") for legend in legends]
    assert titles == [None, "c_published", None, "办结率（%）", None, "b_count"]
    assert len({legend["fill"] for legend in legends}) == 6
    assert sum(isinstance(d.get("values"), str) for d in vega["data"]) == 2


def test_choropleths_errors_name_the_indicator():
    values = pl.DataFrame({"indicator_id": ["a", "b", "b"], "code": ["320100", "320200", "320200"], "value": [1, 2, 3]})
    with pytest.raises(ValueError, match="values of 'b': one value per place: codes repeated in 'code': 320200"):
        maps.choropleths(values, "prefecture", "江苏")
    with pytest.warns(UserWarning, match="values of 'b': 1 value.*130171"):
        maps.choropleths(pl.DataFrame({"indicator_id": ["a", "b"], "code": ["320100", "130171"], "value": [1, 2]}),
                         "prefecture", "江苏")
    with pytest.raises(ValueError, match="no column 'indicator_id'"):
        maps.choropleths(values.drop("indicator_id"), "prefecture")
    with pytest.raises(ValueError, match="rows without an indicator"):
        maps.choropleths(values.with_columns(indicator_id=pl.lit(None, pl.String)), "prefecture")
    with pytest.raises(ValueError, match="no indicator to map"):
        maps.choropleths(values.clear(), "prefecture")


@pytest.mark.slow
def test_national_county_choropleths_store_the_topology_once(tmp_path):
    values = _indicator_values("county")
    chart = maps.choropleths(values, "county")
    text = chart.to_json()
    assert len(text.encode()) < MAX_THREE_MAPS_JSON_BYTES
    topologies = _datasets(chart)
    assert set(topologies) == {"places", "outline"}
    for name, topology in topologies.items():
        # a stretch of each topology's arcs (digits, commas, brackets: the same escaped or not)
        arcs = json.dumps(topology["arcs"][100:120], separators=(",", ":"))[1:-1]
        assert text.count(arcs) == 1, name
    places = topologies["places"]["objects"]["places"]["geometries"]
    assert len(places) == len(geography.boundaries("county"))
    for n, indicator in enumerate(["c_published", "a_rate", "b_count"]):
        reported = values.filter(indicator_id=indicator).height
        assert sum(g["properties"][f"status_{n}"] == "reported" for g in places) == reported
    views = _map_views(chart.to_dict())
    assert [[node["title"] for node in _walk(view) if node.get("field") == f"properties.value_{n}" and "scale" in node]
            for n, view in enumerate(views)] == [["c_published"], ["a_rate"], ["b_count"]]
    path = tmp_path / "three.html"
    chart.save(path)
    assert path.stat().st_size < MAX_THREE_MAPS_JSON_BYTES


# --- matplotlib -------------------------------------------------------------------------------


def test_cjk_font_is_registered_from_the_installed_package():
    assert fonts.CJK_FAMILY == "Noto Sans SC"
    path = fonts.cjk_font_path()
    assert path.name == "NotoSansSC-Regular.otf" and path.stat().st_size > 5_000_000
    found = font_manager.findfont(font_manager.FontProperties(family=fonts.CJK_FAMILY), fallback_to_default=False)
    assert found == str(path)


def _missing_glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_missing_glyphs_are_detected_without_the_cjk_font(tmp_path):
    """The check below would catch empty boxes: DejaVu Sans alone warns about Chinese glyphs."""
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        warnings.simplefilter("always")
        fig = Figure()
        fig.add_subplot().set_title("江苏省")
        fig.savefig(tmp_path / "boxes.png")
    assert _missing_glyph_warnings(caught)


def test_static_map_renders_chinese_labels(tmp_path):
    values = _values("prefecture", "江苏", every=3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = maps.static_map(values, "prefecture", "江苏", title="江苏省 法治政府建设 示例", value_title="办结率（%）")
        fig.savefig(tmp_path / "jiangsu.png", dpi=80)
        fig.savefig(tmp_path / "jiangsu.pdf")
    assert not _missing_glyph_warnings(caught)
    assert (tmp_path / "jiangsu.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    labels = {t.get_text() for t in texts}
    assert {"南京市", "苏州市", "连云港市", "江苏省 法治政府建设 示例", "no report"} <= labels
    chinese = [t for t in texts if any("\u4e00" <= c <= "\u9fff" for c in t.get_text())]
    assert len(chinese) >= 14 and all(t.get_fontfamily()[0] == fonts.CJK_FAMILY for t in chinese)
    # every place is drawn: 13 prefectures, grey where there is no value
    ax = fig.axes[0]
    assert sum(len(c.get_paths()) for c in ax.collections[:2]) == 13


@pytest.mark.slow
def test_national_static_map(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = maps.static_map(_values("county"), "county", title="全国县级示例")
        fig.savefig(tmp_path / "china.png", dpi=80)
    assert not _missing_glyph_warnings(caught)
    assert (tmp_path / "china.png").stat().st_size > 50_000
