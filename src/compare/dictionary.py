"""The codebook as a data dictionary for methods sections: one table per dimension."""

from __future__ import annotations

from .codebook import Codebook, Ratio

_DIRECTION = {"higher": "higher is better", "lower": "lower is better", "neutral": "neutral"}


def _ratio(derive: Ratio) -> str:
    numerator = " + ".join(f"`{n}`" for n in derive.numerators)
    if len(derive.numerators) > 1:
        numerator = f"({numerator})"
    return f"{numerator} / `{derive.denominator}` × 100"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_dictionary(codebook: Codebook) -> str:
    """Markdown generated from the codebook alone, so it can never drift from what is extracted."""
    lines = [
        "# Data dictionary: rule-of-law indicators",
        "",
        "Generated from the codebook (`data/codebook/`) by `compare dictionary`; do not edit by hand.",
        f"{len(codebook.indicators)} indicators in {len(codebook.dimensions)} dimensions.",
        "",
        "Values are in the indicator's unit: percent as 0–100, counts as plain numbers. Each fact records its",
        "kind (`actual` or `target`), qualifier (`eq`, `ge`, `le`, `approx`), the years it covers, whether it",
        "was stated or derived, and the clause and character offsets it was read from.",
        "",
        "The measure says how a figure covering several years becomes a yearly one in the panel",
        "(see `docs/panel.md`): a `flow` happens during its period, so a multi-year total is divided by",
        "the number of years; a `stock` exists at a moment (people, organizations, items in force) and",
        "a `rate` is already a ratio; neither is divided.",
        "",
        "## Units",
        "",
        "| unit | measure words read as this unit |",
        "| --- | --- |",
    ]
    for unit in codebook.units.values():
        lines.append(f"| `{unit.id}` | {_cell('、'.join(unit.measure_words))} |")
    for dimension, names in codebook.dimensions.items():
        indicators = [i for i in codebook.indicators.values() if i.dimension == dimension]
        if not indicators:
            continue
        lines += [
            "",
            f"## {names['en']} ({names['zh']}) — `{dimension}`",
            "",
            "| id | 中文名 | unit | measure | direction | definition | also called | derived as |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for ind in indicators:
            derived = _ratio(ind.derive) if ind.derive else ""
            if ind.parts_add_up:
                derived = "sum of its parts when only the parts are stated"
            lines.append(
                f"| `{ind.id}` | {_cell(ind.zh_name)} | {ind.unit} | {ind.measure} | {_DIRECTION[ind.direction]} | "
                f"{_cell(ind.definition)} | {_cell('、'.join(ind.aliases))} | {derived} |"
            )
    return "\n".join(lines) + "\n"
