"""The indicator codebook: what each indicator counts and how reports phrase it.

It is data (``data/codebook/``) so that researchers extend it without touching code; this
module loads it once, validates every entry and compiles its patterns, so that a typo fails
at load time with the file and entry named, never as a silent miss during extraction.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

CLAUSE_CHAR = r"[^。，,；;：:！!？?\n]"
DIRECTIONS = ("higher", "lower", "neutral")
# What a number of the indicator is, which decides how a multi-year figure becomes a yearly one:
# a flow happens during the period (a five-year total ÷ 5 is its yearly mean), a stock exists at a
# moment (people, organizations, items in force: never divided), a rate is already a ratio.
MEASURES = ("flow", "stock", "rate")
# Units whose numbers are intensities rather than counts: their indicators must be rates.
RATE_UNITS = ("percent",)
DEFAULT_MAX_GAP = 12  # characters allowed between a cue and its number
_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_INDICATOR_KEYS = {
    "id", "zh_name", "unit", "direction", "definition", "aliases", "cues", "cues_after",
    "requires", "excludes", "excludes_in_sentence", "domain", "measure_words", "parts_add_up", "level_words", "kind_words", "derive",
    "max_gap", "measure",
}
_REQUIRED_KEYS = {"id", "zh_name", "unit", "direction", "definition", "cues"}
_TOP_KEYS = {"units", "dimensions", "domains", "domain_window_chars", "noise"}


class CodebookError(ValueError):
    """A codebook file that cannot be used; the message names the file, the entry and the problem."""


@dataclass(frozen=True)
class Unit:
    id: str
    zh: str
    measure_words: tuple[str, ...]


@dataclass(frozen=True)
class Domain:
    id: str
    zh: str
    cues: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Ratio:
    """A percent computed from counts: the numerators summed, over the denominator, × 100."""

    numerators: tuple[str, ...]
    denominator: str
    other_measures: tuple[re.Pattern[str], ...] = ()  # words of a stated rate that measures something else
    unread_parts: tuple[re.Pattern[str], ...] = ()  # a part of the numerator no indicator counts (变更3件)

    @property
    def parts(self) -> tuple[str, ...]:
        return (*self.numerators, self.denominator)


@dataclass(frozen=True)
class Indicator:
    id: str
    zh_name: str
    dimension: str
    unit: str
    direction: str
    definition: str
    measure_words: tuple[str, ...]
    cues: tuple[re.Pattern[str], ...]
    cues_after: tuple[re.Pattern[str], ...] = ()
    requires: tuple[re.Pattern[str], ...] = ()
    excludes: tuple[re.Pattern[str], ...] = ()  # searched in the number's clause, up to the number
    excludes_in_sentence: tuple[re.Pattern[str], ...] = ()  # searched in the sentence, to the clause's end
    domain: str | None = None
    aliases: tuple[str, ...] = ()
    parts_add_up: bool = False
    level_words: tuple[re.Pattern[str], ...] = ()  # mark, among values listed in a sentence, the one that is the level
    kind_words: tuple[re.Pattern[str], ...] = ()  # mark a count of one kind of the thing, a part of the paragraph's whole
    derive: Ratio | None = None
    max_gap: int = DEFAULT_MAX_GAP
    measure: str = "flow"
    source_file: str = ""

    @property
    def is_percent(self) -> bool:
        return self.unit == "percent"


@dataclass(frozen=True)
class Codebook:
    units: dict[str, Unit]
    dimensions: dict[str, dict[str, str]]
    domains: dict[str, Domain]
    domain_window_chars: int
    noise: tuple[re.Pattern[str], ...] = ()  # spam and debris taken out of the reading view
    indicators: dict[str, Indicator] = field(default_factory=dict)
    root: Path | None = None

    @cached_property
    def inner_characters(self) -> dict[tuple[str, str], str]:
        """The character between two others in the indicators' names and aliases, where only one
        fits (败?率 → 诉): what a lost character (败\ufffd率) inside such a term must have been."""
        found: dict[tuple[str, str], set[str]] = {}
        for indicator in self.indicators.values():
            for term in (indicator.zh_name, *indicator.aliases):
                for word in re.findall(r"[\u4e00-\u9fff]{3,}", term):
                    for i in range(1, len(word) - 1):
                        found.setdefault((word[i - 1], word[i + 1]), set()).add(word[i])
        return {pair: next(iter(chars)) for pair, chars in found.items() if len(chars) == 1}

    @property
    def all_measure_words(self) -> tuple[str, ...]:
        """Every measure word of every indicator, longest first so that 人次 wins over 人."""
        words = {w for ind in self.indicators.values() for w in ind.measure_words}
        return tuple(sorted(words, key=len, reverse=True))


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML loader that rejects duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    """A YAML file of the codebook; a duplicate key is an error, not a silent overwrite."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise CodebookError(f"{path}: not valid YAML: {exc}") from exc


def compile_pattern(pattern: str, where: str) -> re.Pattern[str]:
    """Compile a codebook pattern, expanding {c} to 'a character of the same clause'."""
    if not isinstance(pattern, str) or not pattern:
        raise CodebookError(f"{where}: a pattern must be a non-empty string, got {pattern!r}")
    try:
        return re.compile(pattern.replace("{c}", CLAUSE_CHAR))
    except re.error as exc:
        raise CodebookError(f"{where}: bad pattern {pattern!r}: {exc}") from exc


def string_list(value: Any, where: str) -> list[str]:
    """A string or a list of strings as a list; anything else is an error naming ``where``."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CodebookError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return value


def _parse_vocabulary(
    path: Path,
) -> tuple[dict[str, Unit], dict[str, dict[str, str]], dict[str, Domain], int, tuple[re.Pattern[str], ...]]:
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise CodebookError(f"{path}: expected a mapping with keys {sorted(_TOP_KEYS)}")
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise CodebookError(f"{path}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_TOP_KEYS)}")
    units = {}
    for uid, spec in (raw.get("units") or {}).items():
        where = f"{path}: unit {uid!r}"
        if not isinstance(spec, dict) or "measure_words" not in spec:
            raise CodebookError(f"{where}: needs 'measure_words'")
        units[uid] = Unit(uid, str(spec.get("zh", "")), tuple(string_list(spec["measure_words"], where)))
    dimensions = {}
    for did, spec in (raw.get("dimensions") or {}).items():
        if not isinstance(spec, dict) or not {"zh", "en"} <= set(spec):
            raise CodebookError(f"{path}: dimension {did!r}: needs 'zh' and 'en'")
        dimensions[did] = {"zh": str(spec["zh"]), "en": str(spec["en"])}
    domains = {}
    for did, spec in (raw.get("domains") or {}).items():
        where = f"{path}: domain {did!r}"
        if not isinstance(spec, dict) or "cues" not in spec:
            raise CodebookError(f"{where}: needs 'cues'")
        cues = tuple(compile_pattern(p, where) for p in string_list(spec["cues"], where))
        domains[did] = Domain(did, str(spec.get("zh", "")), cues)
    window = raw.get("domain_window_chars", 300)
    if not isinstance(window, int) or window <= 0:
        raise CodebookError(f"{path}: domain_window_chars must be a positive integer, got {window!r}")
    if not units or not dimensions:
        raise CodebookError(f"{path}: 'units' and 'dimensions' must not be empty")
    noise = tuple(compile_pattern(p, f"{path}: noise") for p in string_list(raw.get("noise"), f"{path}: noise"))
    return units, dimensions, domains, window, noise


def _parse_ratio(derive: Any, unit: str, where: str) -> Ratio | None:
    """``derive: {numerator: id or [ids summed], denominator: id, other_measures: [patterns],
    unread_parts: [patterns]}`` of a percent indicator."""
    if derive is None:
        return None
    keys = {"numerator", "denominator", "other_measures", "unread_parts"}
    if not isinstance(derive, dict) or not {"numerator", "denominator"} <= set(derive) <= keys:
        raise CodebookError(f"{where}: derive needs 'numerator' and 'denominator', and may have 'other_measures' and 'unread_parts'")
    if unit != "percent":
        raise CodebookError(f"{where}: only percent indicators can be derived as a ratio")
    numerator, denominator = derive["numerator"], derive["denominator"]
    numerators = [numerator] if isinstance(numerator, str) else numerator
    if not isinstance(numerators, list) or not numerators or not all(isinstance(n, str) and n for n in numerators):
        raise CodebookError(f"{where}: derive numerator must be an indicator id or a list of ids, got {numerator!r}")
    if len(set(numerators)) != len(numerators):
        raise CodebookError(f"{where}: derive numerator lists an indicator twice: {numerators!r}")
    if not isinstance(denominator, str) or not denominator:
        raise CodebookError(f"{where}: derive denominator must be an indicator id, got {denominator!r}")
    others, unread = (
        tuple(compile_pattern(p, f"{where}: derive {key}") for p in string_list(derive.get(key), f"{where}: derive {key}"))
        for key in ("other_measures", "unread_parts")
    )
    return Ratio(tuple(numerators), denominator, others, unread)


def _parse_measure(measure: Any, unit: str, where: str) -> str:
    """The declared measure, or the default: a rate for percent units, a flow otherwise."""
    if measure is None:
        return "rate" if unit in RATE_UNITS else "flow"
    if measure not in MEASURES:
        raise CodebookError(f"{where}: measure must be one of {MEASURES}, got {measure!r}")
    if unit in RATE_UNITS and measure != "rate":
        raise CodebookError(f"{where}: a {unit} indicator is a rate, not a {measure}")
    return measure


def checked_entry(entry: Any, where: str, allowed: set[str], required: set[str]) -> str:
    """Check one YAML entry's keys; returns ``where`` with the entry's id, for later messages."""
    if not isinstance(entry, dict):
        raise CodebookError(f"{where}: expected a mapping, got {type(entry).__name__}")
    if entry.get("id"):
        where = f"{where} ({entry['id']})"
    unknown = set(entry) - allowed
    if unknown:
        raise CodebookError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    missing = required - set(entry)
    if missing:
        raise CodebookError(f"{where}: missing key(s) {sorted(missing)}")
    return where


def _parse_indicator(
    entry: Any, where: str, units: dict[str, Unit], dimensions: dict, domains: dict[str, Domain]
) -> Indicator:
    where = checked_entry(entry, where, _INDICATOR_KEYS, _REQUIRED_KEYS)
    iid = entry["id"]
    if not isinstance(iid, str) or not _ID.match(iid):
        raise CodebookError(f"{where}: id must look like 'dimension.name' in lower case, got {iid!r}")
    dimension = iid.split(".", 1)[0]
    if dimension not in dimensions:
        raise CodebookError(f"{where}: dimension {dimension!r} is not one of {sorted(dimensions)}")
    unit = entry["unit"]
    if unit not in units:
        raise CodebookError(f"{where}: unknown unit {unit!r}; known units: {sorted(units)}")
    if entry["direction"] not in DIRECTIONS:
        raise CodebookError(f"{where}: direction must be one of {DIRECTIONS}, got {entry['direction']!r}")
    domain = entry.get("domain")
    if domain is not None and domain not in domains:
        raise CodebookError(f"{where}: unknown domain {domain!r}; known domains: {sorted(domains)}")
    measure_words = string_list(entry.get("measure_words"), f"{where}: measure_words") or list(
        units[unit].measure_words
    )
    derive = _parse_ratio(entry.get("derive"), unit, where)
    measure = _parse_measure(entry.get("measure"), unit, where)
    max_gap = entry.get("max_gap", DEFAULT_MAX_GAP)
    if not isinstance(max_gap, int) or not 0 <= max_gap <= 80:
        raise CodebookError(f"{where}: max_gap must be an integer from 0 to 80, got {max_gap!r}")
    patterns = {
        key: tuple(compile_pattern(p, f"{where}: {key}") for p in string_list(entry.get(key), f"{where}: {key}"))
        for key in ("cues", "cues_after", "requires", "excludes", "excludes_in_sentence", "level_words", "kind_words")
    }
    if not patterns["cues"] and not patterns["cues_after"]:
        raise CodebookError(f"{where}: needs at least one cue")
    for pattern in patterns["cues_after"]:
        if not pattern.pattern.startswith("^"):
            raise CodebookError(f"{where}: cues_after patterns must start with '^' (they read right after the number)")
    return Indicator(
        id=iid,
        zh_name=str(entry["zh_name"]),
        dimension=dimension,
        unit=unit,
        direction=entry["direction"],
        definition=str(entry["definition"]).strip(),
        measure_words=tuple(sorted(set(measure_words), key=len, reverse=True)),
        domain=domain,
        aliases=tuple(string_list(entry.get("aliases"), f"{where}: aliases")),
        parts_add_up=bool(entry.get("parts_add_up", False)),
        derive=derive,
        max_gap=max_gap,
        measure=measure,
        **patterns,
    )


def default_codebook_dir() -> Path:
    """COMPARE_CODEBOOK if set, else the repository's data/codebook next to src/."""
    env = os.environ.get("COMPARE_CODEBOOK")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data" / "codebook"


def load_codebook(directory: Path | None = None) -> Codebook:
    """Load codebook.yaml and every indicators/*.yaml below ``directory``, validated."""
    directory = Path(directory) if directory is not None else default_codebook_dir()
    vocabulary = directory / "codebook.yaml"
    if not vocabulary.is_file():
        raise CodebookError(f"{vocabulary}: codebook vocabulary file not found")
    units, dimensions, domains, window, noise = _parse_vocabulary(vocabulary)
    files = sorted((directory / "indicators").glob("*.yaml"))
    if not files:
        raise CodebookError(f"{directory / 'indicators'}: no indicator files (*.yaml) found")
    indicators: dict[str, Indicator] = {}
    for path in files:
        entries = load_yaml(path)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise CodebookError(f"{path}: expected a list of indicator entries")
        for index, entry in enumerate(entries, start=1):
            indicator = _parse_indicator(entry, f"{path}: entry {index}", units, dimensions, domains)
            if indicator.id in indicators:
                first = indicators[indicator.id].source_file
                raise CodebookError(f"{path}: entry {index}: duplicate id {indicator.id!r} (first defined in {first})")
            indicators[indicator.id] = replace(indicator, source_file=str(path))
    for indicator in indicators.values():
        if indicator.derive:
            for part in indicator.derive.parts:
                if part not in indicators:
                    raise CodebookError(f"{indicator.source_file}: {indicator.id}: derive refers to unknown indicator {part!r}")
                if indicators[part].is_percent:
                    raise CodebookError(f"{indicator.source_file}: {indicator.id}: derive part {part!r} is a percent, not a count")
    return Codebook(units, dimensions, domains, window, noise, indicators, directory)


@lru_cache(maxsize=8)
def cached_codebook(directory: str | None = None) -> Codebook:
    """The codebook loaded once per process and directory."""
    return load_codebook(Path(directory) if directory else None)
