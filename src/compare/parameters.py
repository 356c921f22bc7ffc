"""Parameters of the annual comparison, read from ``parameters/`` and checked before any kernel starts.

A mistyped indicator or region found after five notebooks have run wastes the run and leaves a
half-made archive; every key is therefore validated here, and each error lists the valid choices.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from .codebook import Codebook, cached_codebook

DEFAULT_FILE = "default.yaml"
LEVELS = ("county", "prefecture")
NORMALIZATIONS = ("per_year", "per_10k_residents")
ROBUSTNESS_KEYS = ("draws", "seed")


class ParameterError(ValueError):
    """Parameters that cannot be used; the message names the file, the key and the valid choices."""


@dataclass(frozen=True)
class Parameters:
    """One year's comparison, fully resolved (paths absolute, lists explicit)."""

    year: int
    lookback_years: int
    level: str
    region: str | None
    reports: tuple[Path, ...]
    panel: Path | None
    population: Path | None
    indicators: tuple[str, ...]
    dimensions: tuple[str, ...]
    weights: dict[str, float]
    normalization: str
    targets: dict[str, float]
    map_indicators: tuple[str, ...]
    robustness_draws: int
    robustness_seed: int
    root: Path
    sources: tuple[Path, ...]

    @property
    def value_column(self) -> str:
        """The panel column compared under this normalization."""
        return "value_per_10k_residents" if self.normalization == "per_10k_residents" else "value"

    def to_record(self) -> dict[str, Any]:
        """Plain JSON-ready values, for the run manifest and notebook parameters."""
        record = asdict(self)
        for key, value in record.items():
            if isinstance(value, Path):
                record[key] = str(value)
            elif isinstance(value, tuple):
                record[key] = [str(v) if isinstance(v, Path) else v for v in value]
        return record


PARAMETER_KEYS = (
    "year", "lookback_years", "level", "region", "reports", "panel", "population", "indicators", "dimensions",
    "weights", "normalization", "targets", "map_indicators", "robustness",
)


def project_root(start: Path | None = None) -> Path:
    """The project folder: $COMPARE_ROOT, else the nearest folder at or above ``start`` holding parameters/."""
    if os.environ.get("COMPARE_ROOT"):
        root = Path(os.environ["COMPARE_ROOT"]).resolve()
        if not (root / "parameters" / DEFAULT_FILE).is_file():
            raise ParameterError(f"COMPARE_ROOT={root} has no parameters/{DEFAULT_FILE}")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "parameters" / DEFAULT_FILE).is_file():
            return folder
    raise ParameterError(
        f"no parameters/{DEFAULT_FILE} in {here} or above it: run from the project folder or set COMPARE_ROOT"
    )


def load_parameters(
    year: int | None = None,
    params_file: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    root: Path | None = None,
    codebook: Codebook | None = None,
) -> Parameters:
    """Merge ``default.yaml``, the year's file (or ``params_file``) and ``overrides``; validate all.

    ``overrides`` are what a notebook's parameters cell holds; a ``None`` there means "as in the
    files", so a notebook with untouched defaults runs on the bundled data.
    """
    root = root or project_root()
    default_path = root / "parameters" / DEFAULT_FILE
    merged = _read(default_path)
    sources = [default_path]
    explicit = {k: v for k, v in (overrides or {}).items() if v is not None}
    chosen_year = year if year is not None else explicit.get("year")
    extra: Path | None
    if params_file is not None:
        extra = Path(params_file) if Path(params_file).is_absolute() else (Path.cwd() / params_file)
        if not extra.is_file():
            raise ParameterError(f"parameters file {params_file} not found")
    else:
        year_of_file = chosen_year if chosen_year is not None else merged.get("year")
        candidate = root / "parameters" / f"{year_of_file}.yaml"
        extra = candidate if candidate.is_file() else None
    if extra is not None:
        merged.update(_read(extra))
        sources.append(extra)
    merged.update(explicit)
    if year is not None:
        merged["year"] = year
    where = " + ".join(str(s) for s in sources) + (" + notebook parameters" if explicit else "")
    return _validate(merged, where, root, codebook or cached_codebook(), tuple(sources))


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a mapping of parameter: value, got {type(data).__name__}")
    unknown = sorted(set(data) - set(PARAMETER_KEYS))
    if unknown:
        raise ParameterError(f"{path}: unknown key(s) {', '.join(map(str, unknown))}{_hint(unknown[0], PARAMETER_KEYS)}; "
                             f"valid keys: {', '.join(PARAMETER_KEYS)}")
    return data


def _hint(given: object, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(str(given), list(choices), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def _integer(data: dict, key: str, where: str, low: int, high: int, default: int | None = None) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ParameterError(f"{where}: {key} must be a whole number from {low} to {high}, got {value!r}")
    return value


def _choice(data: dict, key: str, where: str, choices: tuple[str, ...]) -> str:
    value = data.get(key)
    if value not in choices:
        raise ParameterError(f"{where}: {key} must be one of {', '.join(choices)}, got {value!r}{_hint(value, choices)}")
    return value


def _ids(data: dict, key: str, where: str, valid: list[str]) -> tuple[str, ...]:
    value = data.get(key, "all")
    if value == "all":
        return tuple(valid)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ParameterError(f"{where}: {key} must be `all` or a non-empty list of ids, got {value!r}")
    for item in value:
        if item not in valid:
            raise ParameterError(
                f"{where}: unknown {key[:-1] if key.endswith('s') else key} {item!r}{_hint(item, valid)}; "
                f"valid choices: {', '.join(valid)}"
            )
    return tuple(dict.fromkeys(value))


def _numbers(data: dict, key: str, where: str, valid: list[str], *, non_negative: bool) -> dict[str, float]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise ParameterError(f"{where}: {key} must be a mapping of id: number, got {value!r}")
    numbers: dict[str, float] = {}
    for item, number in value.items():
        if item not in valid:
            raise ParameterError(f"{where}: {key} names unknown id {item!r}{_hint(item, valid)}; "
                                 f"valid choices: {', '.join(valid)}")
        if isinstance(number, bool) or not isinstance(number, (int, float)) or (non_negative and number < 0):
            kind = "a non-negative number" if non_negative else "a number"
            raise ParameterError(f"{where}: {key}.{item} must be {kind}, got {number!r}")
        numbers[item] = float(number)
    return numbers


def _paths(data: dict, key: str, where: str, root: Path) -> tuple[Path, ...]:
    value = data.get(key)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ParameterError(f"{where}: {key} must be a path or a list of paths, got {value!r}")
    paths = tuple((root / p).resolve() if not Path(p).is_absolute() else Path(p) for p in map(str, value))
    for given, path in zip(value, paths):
        if not path.exists():
            raise ParameterError(f"{where}: {key} path {given} does not exist (looked for {path})")
    return paths


def _region(value: object, where: str) -> str | None:
    if value is None:
        return None
    from .geography import resolve_region  # loads boundaries: only when a region is asked for

    try:
        code, _, _ = resolve_region(value)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ParameterError(f"{where}: {exc}") from exc
    return code


def _validate(data: dict, where: str, root: Path, codebook: Codebook, sources: tuple[Path, ...]) -> Parameters:
    indicator_ids = sorted(codebook.indicators)
    dimension_ids = list(codebook.dimensions)
    dimensions = _ids(data, "dimensions", where, dimension_ids)
    indicators = tuple(i for i in _ids(data, "indicators", where, indicator_ids)
                       if codebook.indicators[i].dimension in dimensions)
    if not indicators:
        raise ParameterError(f"{where}: no indicator left: the indicators chosen lie outside dimensions {', '.join(dimensions)}")
    weights = _numbers(data, "weights", where, dimension_ids, non_negative=True)
    if weights and not any(weights.get(d, 0) > 0 for d in dimensions):
        raise ParameterError(f"{where}: weights give every chosen dimension ({', '.join(dimensions)}) weight 0")
    weights = weights or {d: 1.0 for d in dimensions}
    robustness = data.get("robustness") or {}
    if not isinstance(robustness, dict) or set(robustness) - set(ROBUSTNESS_KEYS):
        raise ParameterError(f"{where}: robustness takes the keys {', '.join(ROBUSTNESS_KEYS)}, got {robustness!r}")
    panel = _paths(data, "panel", where, root)[0] if data.get("panel") is not None else None
    if panel is not None and (panel.suffix != ".parquet" or not panel.is_file()):
        raise ParameterError(f"{where}: panel must be a Parquet file (a panel table as archived in tables/), got {panel}")
    population = data.get("population")
    population_path = None
    if population is not None:
        population_path = Path(population) if Path(str(population)).is_absolute() else root / str(population)
    normalization = _choice(data, "normalization", where, NORMALIZATIONS)
    if normalization == "per_10k_residents" and (population_path is None or not population_path.is_file()):
        raise ParameterError(f"{where}: normalization per_10k_residents needs a population table; "
                             f"{population_path or 'none'} is not a file")
    return Parameters(
        year=_integer(data, "year", where, 1990, 2100),
        lookback_years=_integer(data, "lookback_years", where, 0, 30),
        level=_choice(data, "level", where, LEVELS),
        region=_region(data.get("region"), where),
        reports=_paths(data, "reports", where, root),
        panel=panel,
        population=population_path,
        indicators=indicators,
        dimensions=dimensions,
        weights={d: w for d, w in weights.items() if d in dimensions},
        normalization=normalization,
        targets=_numbers(data, "targets", where, indicator_ids, non_negative=False),
        map_indicators=_ids(data, "map_indicators", where, indicator_ids) if data.get("map_indicators") else (),
        robustness_draws=_integer(robustness, "draws", f"{where}: robustness", 10, 100_000, default=1000),
        robustness_seed=_integer(robustness, "seed", f"{where}: robustness", 0, 2**32 - 1, default=0),
        root=root,
        sources=sources,
    )
