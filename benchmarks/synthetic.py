"""A synthetic corpus of report-sized texts, made by perturbing the bundled sample reports.

Five samples are too few to time anything, and real reports cannot be redistributed in bulk,
so the benchmark builds its corpus from the samples: runs of paragraphs shuffled and
recombined across samples, numbers changed in their written form, places and years changed,
some texts in full-width digits, some files in GB18030 or UTF-8 with a BOM. The texts then
exercise the same code paths as real reports. They are written to a folder the caller
chooses (a temporary one by default) and never into data/: they are not data.
The corpus depends only on the samples, the count and the seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "data" / "reports"

# Most texts are the size of the samples; a few are long white papers or multi-year reports.
SMALL_BYTES = (10_000, 40_000)
LARGE_BYTES = (170_000, 230_000)
LARGE_SHARE = 0.01
FULL_WIDTH_SHARE = 0.10
ENCODING_SHARES = (("gb18030", 0.10), ("utf-8-sig", 0.10))  # the rest are plain UTF-8
HEAD_CHARS = 600  # the title block kept from the sample a text is based on
LONG_PARAGRAPH = 1000  # longer lines (a whole reply in one table cell) are cut at 。
YEAR_RANGE = (1990, 2035)

# Places the samples name, as (stem, kind); the stem is replaced wherever it occurs, so
# 常熟市, 常熟 and 法治东宝 all change consistently and the suffix (市, 区, 县, 省) stays.
_SAMPLE_PLACES = {
    "南通": "prefecture", "荆门": "prefecture", "昭通": "prefecture", "苏州": "prefecture",
    "通州": "district", "东宝": "district", "盐津": "county", "常熟": "county_city",
    "湖北": "province", "云南": "province", "江苏": "province",
}  # fmt: skip
# Real names of the same kinds, none with characters that the document-fact reader rejects
# in place names (建, 全, 和, …).
_REPLACEMENTS = {
    "prefecture": ("扬州", "宜昌", "曲靖", "无锡", "徐州", "绍兴", "嘉兴", "芜湖", "赣州", "泉州", "洛阳", "株洲"),
    "district": ("江宁", "鼓楼", "西湖", "天河", "武侯", "雁塔", "历下", "岳麓", "思明", "南明"),
    "county": ("彭泽", "德清", "安吉", "长兴", "桐庐", "浦江", "仙居", "宁陵", "祥云", "宾川"),
    "county_city": ("江阴", "义乌", "昆山", "晋江", "慈溪", "宜兴", "海门", "瑞安", "醴陵", "诸暨"),
    "province": ("浙江", "安徽", "江西", "山东", "河南", "湖南", "广东", "四川", "贵州", "陕西"),
}
_PLACE_PATTERN = re.compile("|".join(sorted(_SAMPLE_PLACES, key=len, reverse=True)))

_NUMBER = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])")
_FULL_WIDTH_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
_TO_FULL_WIDTH = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, ".": "．", "%": "％"})


@dataclass(frozen=True)
class Sample:
    """One sample report cut into the parts a synthetic text is assembled from."""

    head: str  # title block, kept whole so document facts (title, type, date) stay realistic
    body: tuple[str, ...]  # paragraphs, one per line
    tail: str  # short closing lines (signature, date), or ""
    separator: str  # "\n\n" when the sample leaves blank lines between paragraphs


@dataclass(frozen=True)
class SyntheticFile:
    path: Path
    encoding: str
    size_bytes: int  # of the file
    utf8_bytes: int  # of the text, the same as read back (the codecs drop the BOM)


def load_samples(folder: Path = SAMPLES_DIR) -> list[Sample]:
    """Every .txt sample under ``folder``, cut into head, body paragraphs and tail."""
    samples = [_cut(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.txt"))]
    if not samples:
        raise FileNotFoundError(f"{folder}: no sample reports (*.txt) to build a corpus from")
    return samples


def _cut(text: str) -> Sample:
    lines = [line.rstrip() for line in text.split("\n") if line.strip()]
    head_lines = [lines[0]]
    # The title is on the first lines; keep short lines after it while the head stays short.
    while len(head_lines) < len(lines) and sum(map(len, head_lines)) + len(lines[len(head_lines)]) <= HEAD_CHARS:
        head_lines.append(lines[len(head_lines)])
    rest = lines[len(head_lines) :]
    tail_lines: list[str] = []
    while len(rest) > 1 and len(rest[-1].strip()) <= 40 and len(tail_lines) < 2:
        tail_lines.insert(0, rest.pop())
    body = tuple(piece for line in rest for piece in _split_long(line))
    separator = "\n\n" if "\n\n" in text else "\n"
    return Sample(separator.join(head_lines), body, separator.join(tail_lines), separator)


def _split_long(line: str) -> list[str]:
    """Cut an over-long line into paragraphs of whole sentences, so recombining can move them."""
    if len(line) <= LONG_PARAGRAPH:
        return [line]
    pieces, current = [], ""
    for sentence in re.split(r"(?<=。)", line):
        if current and len(current) + len(sentence) > LONG_PARAGRAPH // 2:
            pieces.append(current)
            current = ""
        current += sentence
    return [*pieces, current] if current else pieces


def synthetic_text(samples: list[Sample], rng: random.Random, target_bytes: int) -> str:
    """One report-like text of about ``target_bytes`` UTF-8 bytes."""
    base = rng.choice(samples)
    parts = [base.head]
    size = len(base.head.encode()) + len(base.tail.encode())
    while size < target_bytes:
        # Runs of consecutive paragraphs keep a heading with the paragraph it introduces.
        source = rng.choice(samples)
        start = rng.randrange(len(source.body))
        run = source.body[start : start + rng.randint(1, 5)]
        parts.extend(run)
        size += sum(len(p.encode()) + len(base.separator) for p in run)
    if base.tail:
        parts.append(base.tail)
    text = base.separator.join(parts) + "\n"
    text = _rename_places(text, rng)
    text = _perturb_numbers(text, rng, year_shift=rng.randint(-6, 3), scale=rng.uniform(0.3, 3.0))
    if rng.random() < FULL_WIDTH_SHARE:
        share = rng.uniform(0.5, 1.0)  # whole texts or only some paragraphs, as converted pages have
        text = "\n".join(_full_width(line) if rng.random() < share else line for line in text.split("\n"))
    return text


def _rename_places(text: str, rng: random.Random) -> str:
    chosen: dict[str, str] = {}
    for kind, names in _REPLACEMENTS.items():
        stems = [stem for stem, stem_kind in _SAMPLE_PLACES.items() if stem_kind == kind]
        chosen.update(zip(stems, rng.sample(names, len(stems)), strict=True))
    return _PLACE_PATTERN.sub(lambda m: chosen[m.group()], text)


def _perturb_numbers(text: str, rng: random.Random, year_shift: int, scale: float) -> str:
    """New values in the same written form: decimals keep their places, separators stay,
    years move together (ranges and 以来 stay consistent), codes and phone numbers keep their length.
    Counts share one scale, so parts stay smaller than their totals. The words around a number
    (万, 余, %, 件) are not touched."""

    def replace(match: re.Match[str]) -> str:
        written = match.group()
        before = text[match.start() - 1 : match.start()]
        after = text[match.end() : match.end() + 1]
        if after in ("月", "日", ":", "：") or (before in (":", "：", "-", "/") and len(written) <= 2):
            return written  # dates and times: a month 47 would not be realistic
        if after == "." or (written.startswith("0") and not written.startswith("0.")):
            return written  # list numbers (12.加强…) and zero-padded codes
        if written.isdigit() and len(written) == 4 and YEAR_RANGE[0] <= int(written) <= YEAR_RANGE[1]:
            return str(int(written) + year_shift)
        if written.isdigit() and (len(written) >= 7 or "-" in (before, after)):
            return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in written[1:])
        return _new_value(written, rng, scale, percent=after in ("%", "‰"))

    return _NUMBER.sub(replace, text)


def _new_value(written: str, rng: random.Random, scale: float, percent: bool) -> str:
    decimals = len(written.partition(".")[2])
    value = float(written.replace(",", ""))
    if percent:
        new = min(100.0, value * rng.uniform(0.8, 1.2))
    else:
        new = max(1.0, value * scale * rng.uniform(0.9, 1.1))
    formatted = f"{new:,.{decimals}f}" if "," in written else f"{new:.{decimals}f}"
    if decimals and float(formatted) == 0:
        return written
    return formatted


def _full_width(line: str) -> str:
    return _FULL_WIDTH_NUMBER.sub(lambda m: m.group().translate(_TO_FULL_WIDTH), line)


def _encoding(rng: random.Random) -> str:
    draw = rng.random()
    for name, share in ENCODING_SHARES:
        if draw < share:
            return name
        draw -= share
    return "utf-8"


def write_corpus(folder: Path, count: int, seed: int) -> list[SyntheticFile]:
    """Write ``count`` synthetic reports into ``folder`` as syn_00000.txt …; the same seed gives the same files."""
    samples = load_samples()
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for index in range(count):
        rng = random.Random(f"{seed}:{index}")  # per text, so a text does not depend on the count
        low, high = LARGE_BYTES if rng.random() < LARGE_SHARE else SMALL_BYTES
        text = synthetic_text(samples, rng, rng.randint(low, high))
        encoding = _encoding(rng)
        raw = text.encode(encoding)
        path = folder / f"syn_{index:05d}.txt"
        path.write_bytes(raw)
        files.append(SyntheticFile(path, encoding, len(raw), len(text.encode("utf-8"))))
    return files
