"""Boundary layers against the division table, both ways, and the boundaries() lookup.

Every regular division of the table has a polygon on its layer, or is listed (with the reason) in
data/reference/boundary_exceptions.csv; every polygon is a division of the table at the level it
says, or is listed there too. The exceptions file must not go stale either way.
"""

from __future__ import annotations

import csv
import importlib.util

import polars as pl
import pyarrow.parquet as pq
import pytest
import shapely
from repo_paths import REPO

from compare import geography
from compare.divisions import current_code, load_changes, load_divisions

REFERENCE = REPO / "data" / "reference"
LAYERS = ("province", "prefecture", "county")
NO_COUNTIES = {"441900", "442000", "460400", "620200"}  # 东莞, 中山, 儋州, 嘉峪关


@pytest.fixture(scope="module")
def divisions() -> pl.DataFrame:
    return load_divisions()


@pytest.fixture(scope="module")
def layers() -> dict:
    return {level: geography.boundaries(level) for level in LAYERS}


@pytest.fixture(scope="module")
def exceptions() -> list[dict]:
    with (REFERENCE / "boundary_exceptions.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _excepted(exceptions, issue: str, level: str) -> set[str]:
    return {e["code"] for e in exceptions if e["issue"] == issue and e["level"] == level}


def test_exceptions_file_is_well_formed(exceptions):
    assert exceptions, "no exceptions at all would be surprising: the source predates some recodes"
    for e in exceptions:
        assert e["code"].isdigit() and len(e["code"]) == 6, e
        assert e["level"] in LAYERS, e
        assert e["issue"] in ("no_polygon", "not_in_divisions"), e
        assert e["name"].strip() and len(e["reason"]) > 20, e
    keys = [(e["code"], e["level"], e["issue"]) for e in exceptions]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("level", LAYERS)
def test_layer_files(level, layers):
    path = REFERENCE / "boundaries" / f"{level}.parquet"
    frame = layers[level]
    assert list(frame.columns) == ["code", "name", "level", "province_code", "prefecture_code", "geometry"]
    assert frame.crs.to_epsg() == 4326
    assert frame["code"].str.fullmatch(r"\d{6}").all()
    assert frame["code"].is_unique
    assert set(frame["level"]) <= set(LAYERS)
    assert frame.geometry.is_valid.all() and not frame.geometry.is_empty.any()
    assert set(frame.geom_type) == {"MultiPolygon"}
    # coordinates snapped to 0.001°
    coords = shapely.get_coordinates(frame.geometry.values)
    assert abs(coords * 1000 - (coords * 1000).round()).max() < 1e-6
    # inside China's box
    minx, miny, maxx, maxy = frame.total_bounds
    assert 73 < minx and maxx < 136 and 3 < miny and maxy < 54
    metadata = pq.read_schema(path).metadata
    assert b"GCJ-02" in metadata[b"compare:coordinates"]
    assert b"geo" in metadata  # GeoParquet
    assert path.stat().st_size < {"province": 300_000, "prefecture": 500_000, "county": 1_200_000}[level]


@pytest.mark.parametrize("level", LAYERS)
def test_every_regular_division_has_a_polygon_or_an_exception(level, divisions, layers, exceptions):
    regular = set(divisions.filter((pl.col("level") == level) & (pl.col("kind") == "regular"))["code"])
    frame = layers[level]
    drawn = set(frame.loc[frame["level"] == level, "code"])
    missing = regular - drawn - _excepted(exceptions, "no_polygon", level)
    assert not missing, f"{level} codes with neither polygon nor exception: {sorted(missing)}"
    assert len(regular & drawn) >= 0.99 * len(regular)


@pytest.mark.parametrize("level", LAYERS)
def test_every_polygon_is_a_division_or_an_exception(level, divisions, layers, exceptions):
    table = set(zip(divisions["code"], divisions["level"]))
    frame = layers[level]
    unknown = {code for code, true_level in zip(frame["code"], frame["level"]) if (code, true_level) not in table}
    unexplained = unknown - _excepted(exceptions, "not_in_divisions", level)
    assert not unexplained, f"{level} polygons not in the division table: {sorted(unexplained)}"


@pytest.mark.parametrize("level", LAYERS)
def test_exceptions_are_not_stale(level, divisions, layers, exceptions):
    drawn = set(layers[level]["code"])
    in_table = set(divisions["code"])
    for code in _excepted(exceptions, "no_polygon", level):
        assert code not in drawn, f"{code} has a polygon now: drop its exception"
        assert code in in_table, f"{code} is no longer in the division table: drop its exception"
    for code in _excepted(exceptions, "not_in_divisions", level):
        assert code in drawn, f"{code} is not on the {level} layer: drop its exception"
        assert code not in in_table, f"{code} is in the division table now: drop its exception"


def test_prefectures_without_counties_stand_in_on_the_county_layer(divisions, layers):
    prefectures = set(divisions.filter((pl.col("level") == "prefecture") & (pl.col("kind") == "regular"))["code"])
    with_counties = set(divisions.filter(pl.col("level") == "county")["prefecture_code"].drop_nulls())
    childless = prefectures - with_counties
    assert childless == NO_COUNTIES
    county = layers["county"].set_index("code")
    for code in childless:
        assert county.loc[code, "level"] == "prefecture"
        assert county.loc[code, "prefecture_code"] == code


def test_county_level_units_under_a_province_stand_in_on_the_prefecture_layer(divisions, layers):
    direct = set(divisions.filter((pl.col("level") == "county") & pl.col("prefecture_code").is_null()
                                  & (pl.col("kind") == "regular"))["code"])
    prefecture = layers["prefecture"]
    shown = set(prefecture.loc[prefecture["level"] == "county", "code"])
    assert {"419001", "429004", "469001", "659001"} <= direct
    assert direct - shown <= {"659011", "659012"}  # the 兵团 cities newer than the source
    municipalities = set(prefecture.loc[prefecture["level"] == "province", "code"])
    assert {"110000", "120000", "310000", "500000"} <= municipalities


def test_layers_cover_the_same_land(layers):
    """Each layer covers China once: areas agree, so no layer has holes or double cover."""
    area = {level: shapely.area(layers[level].geometry.values).sum() for level in LAYERS}  # deg², as a ratio
    assert area["prefecture"] == pytest.approx(area["province"], rel=0.005)
    assert area["county"] == pytest.approx(area["province"], rel=0.005)


@pytest.mark.parametrize("spelling", ["江苏省", "江苏", "320000", "32"])
def test_region_by_name_short_name_or_code(spelling, divisions):
    counties = geography.boundaries("county", spelling)
    expected = set(divisions.filter((pl.col("province_code") == "320000") & (pl.col("level") == "county")
                                    & (pl.col("kind") == "regular"))["code"])
    assert set(counties["code"]) == expected
    assert len(counties) == 95
    assert (counties["province_code"] == "320000").all()


def test_prefecture_region(divisions):
    for spelling in ("苏州市", "苏州", "320500"):
        frame = geography.boundaries("county", spelling)
        expected = divisions.filter((pl.col("prefecture_code") == "320500") & (pl.col("kind") == "regular"))
        assert set(frame["code"]) == set(expected["code"])
        assert "常熟市" in set(frame["name"])
    assert list(geography.boundaries("prefecture", "苏州")["code"]) == ["320500"]
    # a prefecture without counties is its own county layer
    assert list(geography.boundaries("county", "东莞")["code"]) == ["441900"]


def test_short_names_shared_by_a_province_and_a_prefecture():
    assert geography.resolve_region("吉林")[:2] == ("220000", "province")
    assert geography.resolve_region("吉林市")[:2] == ("220200", "prefecture")
    assert geography.resolve_region("海南")[:2] == ("460000", "province")


def test_municipalities_and_province_level_counties(divisions):
    beijing = geography.boundaries("county", "北京")
    assert len(beijing) == 16 and (beijing["prefecture_code"] == "110000").all()
    henan = geography.boundaries("prefecture", "河南")
    jiyuan = henan.set_index("code").loc["419001"]
    assert jiyuan["level"] == "county" and jiyuan["name"] == "济源市"
    assert len(henan) == 18  # 17 prefectures and 济源


def test_bad_level_lists_the_levels():
    with pytest.raises(ValueError, match="valid levels: province, prefecture, county"):
        geography.boundaries("township")


def test_bad_region_lists_the_choices():
    with pytest.raises(ValueError) as error:
        geography.boundaries("county", "江蘇")
    message = str(error.value)
    assert "320000 江苏省" in message and "440000 广东省" in message and "650000 新疆维吾尔自治区" in message
    assert "region_choices" in message
    assert len(geography.region_choices()) == 31 + 333 + 3 + 4 - 4  # + 香港 澳门 台湾, municipalities once
    with pytest.raises(ValueError, match="is a county"):
        geography.boundaries("county", "常熟市")
    with pytest.raises(ValueError, match="is a prefecture"):
        geography.boundaries("province", "苏州")


def test_result_is_a_copy():
    first = geography.boundaries("province")
    first.loc[0, "name"] = "changed"
    assert geography.boundaries("province").loc[0, "name"] != "changed"


def test_recodes_of_the_build_agree_with_the_crosswalk(divisions):
    """The build writes a few old source codes under today's code; the crosswalk must agree."""
    spec = importlib.util.spec_from_file_location("build_boundaries", REFERENCE / "build_boundaries.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    known = set(load_changes()["old_code"])
    current = dict(zip(divisions["code"], divisions["name"]))
    checked = 0
    for old, (new, name) in build.RECODES.items():
        assert current[new] == name, (old, new)
        if old in known:
            assert current_code(old) == new, (old, new)
            checked += 1
        else:  # Amap's own codes, never in the statistical table
            assert old in {"232718", "632825"}, old
    assert checked == len(build.RECODES) - 2
