"""China's administrative divisions (province, prefecture, county) and a crosswalk of their changes.

Reports name places loosely and over many years; boundaries come from other years again. To
join them, every place needs one stable key: the 6-digit division code of the National Bureau of
Statistics (统计用区划代码), as committed in ``data/reference/divisions.csv``. Codes change when a
county becomes a city or a district, or is merged, so ``data/reference/division_changes.csv``
records the old codes with their successors and :func:`current_code` follows them.

Both files are built by ``data/reference/build_divisions.py`` (see ``data/reference/README.md``);
this module only reads them, checks them and answers questions about them. The reference folder is
``<repo>/data/reference`` unless the environment variable ``COMPARE_REFERENCE`` names another one,
so that an installed package or a test can point at its own copy.

The module uses nothing beyond polars and the standard library, so that the build script can load it
by path (for :func:`short_name`) without installing the package.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import polars as pl

ENV_VAR = "COMPARE_REFERENCE"
DIVISIONS_FILE = "divisions.csv"
CHANGES_FILE = "division_changes.csv"

DIVISION_COLUMNS = (
    "code", "name", "short_name", "level", "province_code", "prefecture_code", "kind", "vintage",
)
CHANGE_COLUMNS = ("old_code", "old_name", "new_code", "new_name", "change", "effective", "source")
LEVELS = ("province", "prefecture", "county")
# regular: a legal administrative division. development_zone: a county-level statistical code for an
# economic zone (fifth digit 7), not a division in law. statistical_unit: any other county-level unit
# that has a statistics code but is not counted as an administrative division by the Ministry of Civil
# Affairs (the South China Sea island groups, 大柴旦行政委员会, the districts of 大兴安岭地区).
KINDS = ("regular", "development_zone", "statistical_unit")
CHANGES = ("rename", "recode", "merge", "split", "upgrade")
# Changes after which the old code has one successor; a split is followed only when the old code
# itself is gone (then to its first listed successor, the one that took most of it).
_SUCCESSION = ("rename", "recode", "upgrade", "merge")
_CODE = re.compile(r"^\d{6}$")
MUNICIPALITIES = ("110000", "120000", "310000", "500000")


class ReferenceError(ValueError):
    """A reference file that cannot be used; the message names the file and the problem."""


# --- names --------------------------------------------------------------------------------------

# The 56 recognised ethnic groups, as they appear in the names of autonomous areas (族 is added when
# the name has it; multi-character names also appear without it: 伊犁哈萨克自治州). 各 is for 龙胜各族自治县.
_ETHNIC_GROUPS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 "
    "纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 "
    "德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
_ETHNIC_SUFFIX = re.compile(
    "(?:" + "|".join(sorted({f"{g}族" for g in _ETHNIC_GROUPS} | {g for g in _ETHNIC_GROUPS if len(g) > 1},
                            key=len, reverse=True)) + ")$"
)
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
# Longest first, so 自治县 wins over 县 and 地区 over 区. Two omissions on purpose: 林区, because 万柏林区 and
# 碑林区 are districts named …林 (the one forestry district, 神农架林区, is an exception below); and 矿区,
# because 井陉矿区 would become 井陉 and collide with 井陉县 of the same prefecture (it becomes 井陉矿).
_SUFFIXES = (
    "特别行政区", "行政委员会", "自治区", "自治州", "自治县", "自治旗", "地区", "新区", "特区",
    "省", "市", "区", "县", "盟", "旗",
)
_EXCEPTIONS = {"神农架林区": "神农架"}
_MIN_CHARS = 2


def short_name(name: str) -> str:
    """The name without its administrative suffix: 常熟市→常熟, 恩施土家族苗族自治州→恩施, 内蒙古自治区→内蒙古.

    Reports say 常熟 and 恩施 far more often than the official names, so matching needs this form.
    The ethnic groups of an autonomous area are dropped with its suffix. A name is kept whole when
    stripping would leave a single character (城区, 郊区, 矿区, 和县), because one character is not a
    name anyone uses. 浦东新区 gives 浦东; 井陉矿区 gives 井陉矿, not 井陉, which is 井陉县. Names of development zones and other non-divisions carry no administrative
    suffix and should be passed as they are (the caller decides; this function only strips).
    """
    name = name.strip()
    if name in _EXCEPTIONS:
        return _EXCEPTIONS[name]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= _MIN_CHARS:
            stem = name[: -len(suffix)]
            if suffix in _AUTONOMOUS:
                stem = _strip_ethnic(stem)
            return stem
    return name


def _strip_ethnic(stem: str) -> str:
    """Drop the ethnic groups at the end of an autonomous area's name, keeping at least two characters.

    东乡族 (东乡族自治县) and 鄂温克族 (鄂温克族自治旗) are named after the group itself: there only 族 goes.
    """
    while True:
        match = _ETHNIC_SUFFIX.search(stem)
        if not match:
            return stem
        if match.start() < _MIN_CHARS:
            return stem[:-1] if stem.endswith("族") and len(stem) > _MIN_CHARS else stem
        stem = stem[: match.start()]


# --- files --------------------------------------------------------------------------------------

def reference_dir() -> Path:
    """The folder of the reference tables: ``$COMPARE_REFERENCE`` if set, else ``<repo>/data/reference``."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser().resolve()
    return Path(__file__).resolve().parents[2] / "data" / "reference"


def load_divisions(path: str | Path | None = None) -> pl.DataFrame:
    """The divisions table, checked: unique 6-digit codes, valid levels and kinds, parents that exist.

    Every join in the project keys on these codes, so a damaged file must fail here, naming the file
    and the problem, rather than silently drop places later. The table is cached per file (and
    reloaded when the file changes); polars frames are immutable, so sharing one is safe.
    """
    file = _resolve(path, DIVISIONS_FILE)
    return _load_divisions_cached(str(file), *_stamp(file))


def division_names(path: str | Path | None = None) -> frozenset[str]:
    """Every division's official name in the table (赣州市, 夷陵区, 宁夏回族自治区), for telling a
    place named in a text from words that merely end like one (向市政府和区)."""
    return frozenset(load_divisions(path)["name"].to_list())


@lru_cache(maxsize=1)
def names_then_and_now() -> frozenset[str]:
    """Today's official names and former ones (海门市 before it became 海门区): a text keeps the names of
    its year, so telling a place from other words needs both."""
    return division_names() | frozenset(load_changes()["old_name"].to_list())


def province_of(name: str, path: str | Path | None = None) -> str:
    """The official name of the province a division lies in, found by its official or short name
    (榆林 → 陕西省); "" when no single division has that name."""
    table = load_divisions(path)
    rows = table.filter((pl.col("name") == name) | (pl.col("short_name") == name))
    if rows.height != 1:
        return ""
    code = rows["province_code"][0] or rows["code"][0]
    names = table.filter(pl.col("code") == code)["name"]
    return names[0] if names.len() else ""


def load_changes(path: str | Path | None = None) -> pl.DataFrame:
    """The crosswalk of changed codes (``old_code → new_code``), checked and cached like the divisions.

    Rows of one ``old_code`` are listed main successor first; see ``data/reference/README.md`` for how
    the crosswalk was derived and what it cannot know.
    """
    file = _resolve(path, CHANGES_FILE)
    return _load_changes_cached(str(file), *_stamp(file))


def current_code(code: str, *, divisions: str | Path | None = None, changes: str | Path | None = None) -> str:
    """The code a division has in the current table, following renames, recodes, upgrades and merges.

    Older reports and older boundary files use the codes of their year (祁阳县 431121 became 祁阳市
    431181 in 2021); joining them to current data needs today's code. Chains are followed
    (A→B→C gives C). A code that is in the current table, or that no change applies to, comes back
    unchanged; a code that was split and no longer exists goes to the successor that took most of it.
    A code that was retired and later reused for another place cannot be told apart from the current
    place (the crosswalk has no dates per code use), so it comes back unchanged.
    """
    code = str(code).strip()
    if not _CODE.match(code):
        raise ValueError(f"a division code has 6 digits, got {code!r}")
    div_file = _resolve(divisions, DIVISIONS_FILE)
    chg_file = _resolve(changes, CHANGES_FILE)
    current = _current_codes(str(div_file), *_stamp(div_file))
    successor = _successors(str(chg_file), *_stamp(chg_file))
    seen = {code}
    while code not in current and code in successor:
        code = successor[code]
        if code in seen:  # a cycle would be a broken crosswalk; stop rather than loop
            raise ReferenceError(f"{chg_file}: the changes of {code} form a cycle")
        seen.add(code)
    return code


def _resolve(path: str | Path | None, default_name: str) -> Path:
    if path is None:
        return reference_dir() / default_name
    path = Path(path).expanduser()
    return path / default_name if path.is_dir() else path


def _stamp(file: Path) -> tuple[int, int]:
    try:
        stat = file.stat()
    except FileNotFoundError:
        raise ReferenceError(
            f"{file}: file not found (set {ENV_VAR} to the folder holding {file.name}, "
            "or rebuild it with data/reference/build_divisions.py)"
        ) from None
    return stat.st_mtime_ns, stat.st_size


def read_strings(file: str, columns: tuple[str, ...]) -> pl.DataFrame:
    """A reference CSV read as text (codes keep their zeros), checked for the columns it must have."""
    try:
        frame = pl.read_csv(file, infer_schema=False)
    except Exception as error:  # polars raises several types for unreadable CSV
        raise ReferenceError(f"{file}: not a readable CSV file ({error})") from error
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ReferenceError(f"{file}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)}")
    frame = frame.select(columns)
    # Empty cells mean "none" (a county without a prefecture); make them null whatever the reader did.
    return frame.with_columns(pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c)
                              for c in columns)


def _fail(file: str, problem: str, values: pl.Series | list[str]) -> None:
    values = list(values)
    if values:
        shown = ", ".join(str(v) for v in values[:5]) + (f" … ({len(values)} in all)" if len(values) > 5 else "")
        raise ReferenceError(f"{file}: {problem}: {shown}")


@lru_cache(maxsize=8)
def _load_divisions_cached(file: str, _mtime: int, _size: int) -> pl.DataFrame:
    frame = read_strings(file, DIVISION_COLUMNS)
    if frame.height == 0:
        raise ReferenceError(f"{file}: no rows")
    for column in ("code", "name", "short_name", "level", "province_code", "kind", "vintage"):
        _fail(file, f"empty {column} in row(s) with code", frame.filter(pl.col(column).is_null())["code"].fill_null("?"))
    for column in ("code", "province_code", "prefecture_code"):
        bad = frame.filter(pl.col(column).is_not_null() & ~pl.col(column).str.contains(r"^\d{6}$"))
        _fail(file, f"{column} is not 6 digits in row(s) with code", bad["code"])
    _fail(file, "duplicate code(s)", frame.filter(pl.col("code").is_duplicated())["code"].unique().sort())
    _fail(file, "unknown level(s) (expected province, prefecture or county)",
          frame.filter(~pl.col("level").is_in(LEVELS))["level"].unique())
    _fail(file, f"unknown kind(s) (expected {', '.join(KINDS)})", frame.filter(~pl.col("kind").is_in(KINDS))["kind"].unique())

    provinces = frame.filter(pl.col("level") == "province")
    prefectures = frame.filter(pl.col("level") == "prefecture")["code"]
    _fail(file, "province row(s) whose province_code is not their own code",
          provinces.filter(pl.col("province_code") != pl.col("code"))["code"])
    _fail(file, "province/prefecture row(s) with a prefecture_code (only counties have one)",
          frame.filter((pl.col("level") != "county") & pl.col("prefecture_code").is_not_null())["code"])
    _fail(file, "row(s) whose province_code is not a province in the table",
          frame.filter(~pl.col("province_code").is_in(provinces["code"].implode()))["code"])
    _fail(file, "row(s) whose first two digits differ from their province_code",
          frame.filter(pl.col("code").str.slice(0, 2) != pl.col("province_code").str.slice(0, 2))["code"])
    counties = frame.filter((pl.col("level") == "county") & pl.col("prefecture_code").is_not_null())
    parent_ok = pl.col("prefecture_code").is_in(prefectures.implode()) | (
        pl.col("prefecture_code").is_in(MUNICIPALITIES) & pl.col("prefecture_code").is_in(provinces["code"].implode()))
    _fail(file, "county row(s) whose prefecture_code is not a prefecture (or municipality) in the table",
          counties.filter(~parent_ok)["code"])
    _fail(file, "county row(s) whose first four digits differ from their prefecture_code",
          counties.filter(~pl.col("prefecture_code").is_in(MUNICIPALITIES)
                          & (pl.col("code").str.slice(0, 4) != pl.col("prefecture_code").str.slice(0, 4)))["code"])
    _fail(file, "municipality county row(s) with a prefecture_code other than the municipality",
          frame.filter((pl.col("level") == "county") & pl.col("province_code").is_in(MUNICIPALITIES)
                       & (pl.col("prefecture_code").is_null() | (pl.col("prefecture_code") != pl.col("province_code"))))["code"])
    return frame.sort("code")


@lru_cache(maxsize=8)
def _load_changes_cached(file: str, _mtime: int, _size: int) -> pl.DataFrame:
    frame = read_strings(file, CHANGE_COLUMNS)
    for column in CHANGE_COLUMNS:
        _fail(file, f"empty {column} in row(s) with old_code",
              frame.filter(pl.col(column).is_null())["old_code"].fill_null("?"))
    for column in ("old_code", "new_code"):
        _fail(file, f"{column} is not 6 digits", frame.filter(~pl.col(column).str.contains(r"^\d{6}$"))[column])
    _fail(file, f"unknown change(s) (expected {', '.join(CHANGES)})",
          frame.filter(~pl.col("change").is_in(CHANGES))["change"].unique())
    _fail(file, "effective is not a year", frame.filter(~pl.col("effective").str.contains(r"^\d{4}$"))["effective"])
    return frame


@lru_cache(maxsize=8)
def _current_codes(file: str, mtime: int, size: int) -> frozenset[str]:
    return frozenset(_load_divisions_cached(file, mtime, size)["code"])


@lru_cache(maxsize=8)
def _successors(file: str, mtime: int, size: int) -> dict[str, str]:
    """old_code → its one successor: the first succession row, else (old code gone) the first split row.

    Whether a split's old code is gone is decided by the walk in :func:`current_code` (it never asks
    for the successor of a current code), so split rows can be included here unconditionally.
    """
    successor: dict[str, str] = {}
    fallback: dict[str, str] = {}
    for old, new, change in _load_changes_cached(file, mtime, size).select("old_code", "new_code", "change").iter_rows():
        if old == new:
            continue
        if change in _SUCCESSION:
            successor.setdefault(old, new)
        else:
            fallback.setdefault(old, new)
    return {**fallback, **successor}
