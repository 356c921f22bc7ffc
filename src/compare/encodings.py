"""Turn the bytes of a plain-text or HTML report into a str, or refuse to.

Chinese local-government reports arrive as UTF-8 (with or without BOM), UTF-16 or
GBK/GB18030. The encoding is chosen by a fixed chain rather than a statistical guess, so
the same bytes always give the same text, and a decoding that succeeds but yields
garbage is refused: a number read from mojibake is worse than a file reported as unreadable.
"""

import codecs
import re
import unicodedata
from collections import Counter
from functools import cache

UTF8 = "utf-8"
UTF8_SIG = "utf-8-sig"
UTF16 = "utf-16"
GB18030 = "gb18030"

# Labels a page may declare in <meta charset>; GB18030 is a superset of all the GB ones,
# and pages labelled gb2312 routinely contain GBK-only characters.
_DECLARED = {
    "utf-8": UTF8,
    "utf8": UTF8,
    "gb2312": GB18030,
    "gbk": GB18030,
    "x-gbk": GB18030,
    "cp936": GB18030,
    "gb18030": GB18030,
    "euc-cn": GB18030,
}

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE)

# At most this share of the non-whitespace characters may be control, private-use,
# unassigned or replacement characters; real reports have almost none.
MAX_BAD_SHARE = 0.02
# When the bytes do not vouch for the encoding (GB18030 accepts most byte soup; BOM-less
# UTF-16 is inferred), at least this share of the non-ASCII characters must be ones that
# ordinary simplified-Chinese text uses. Real reports score about 1.0; UTF-8 or Latin-1
# bytes misread as GB18030 score below 0.7.
MIN_COMMON_SHARE = 0.9


class UndecodableText(ValueError):
    """Bytes that are not plausibly text in a supported encoding; str() is the reason."""


def decode_text(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode `raw` and return (text, encoding name); raise UndecodableText otherwise.

    Order: a BOM decides outright; then the `declared` charset (an HTML <meta charset>),
    if it is one we know and gives plausible text; then UTF-16 when the NUL pattern shows
    it; then strict UTF-8; then strict GB18030. UTF-16 is tried before UTF-8 because
    ASCII-heavy UTF-16 is also valid UTF-8 (full of NULs), while neither UTF-8 nor
    GB18030 text contains NUL bytes, so that test cannot take a real UTF-8 file.
    The returned text is exactly what the codec produced (BOM removed by the codec).
    """
    bom = _bom_encoding(raw)
    attempts: list[str | None]
    if bom is not None:
        attempts = [bom]  # a BOM is the file's own statement of its encoding
    else:
        attempts = [_DECLARED.get((declared or "").strip().lower()), _utf16_from_nuls(raw), UTF8, GB18030]
    first_reason: str | None = None
    for codec in dict.fromkeys(attempt for attempt in attempts if attempt is not None):
        text = _strict(raw, codec)
        if text is None:
            continue
        name = UTF16 if codec.startswith(UTF16) else codec
        # Strict UTF-8 validity and a BOM are strong evidence; GB18030 and inferred UTF-16 are not.
        vouched = codec in {UTF8, UTF8_SIG, UTF16}
        reason = implausibility(text, require_common_chinese=not vouched)
        if reason is None:
            return text, name
        first_reason = first_reason or f"{reason} (as {name})"
    if first_reason is not None:
        raise UndecodableText(f"decoded text is not plausible Chinese or ASCII text: {first_reason}")
    if bom is not None:
        raise UndecodableText(f"starts with a {bom} byte-order mark but cannot be decoded as {bom}")
    raise UndecodableText("cannot be decoded as UTF-8, UTF-16 or GB18030")


def declared_charset(html_head: bytes) -> str | None:
    """Return the charset named by a <meta charset=…> or http-equiv Content-Type tag, if any."""
    match = _META_CHARSET.search(html_head)
    return match.group(1).decode("ascii") if match else None


def implausibility(text: str, *, require_common_chinese: bool = False) -> str | None:
    """Say why `text` does not look like a report, or return None if it does.

    Always: too many control, private-use, unassigned or replacement characters (what
    binary data, broken fonts and lossy conversions leave behind). With
    `require_common_chinese`: too few of the non-ASCII characters are common simplified
    Chinese characters or punctuation (what a wrong legacy decoding produces).
    """
    # Most characters of a report are common Chinese ones and pass every test; they are counted
    # in bulk, and only the rest (ASCII, whitespace, rare or bad characters) one distinct
    # character at a time, which keeps the check from looking at every character in Python.
    others = Counter(_common_chinese_runs().sub("", text))
    common_chinese = len(text) - others.total()
    visible = len(text) - sum(n for char, n in others.items() if char.isspace())
    if not visible:
        return None
    bad = sum(n for char, n in others.items() if not char.isspace() and _is_bad(char))
    if bad > MAX_BAD_SHARE * visible:
        return f"{bad} of {visible} characters are control, private-use, unassigned or replacement characters"
    if require_common_chinese:
        visible_others = [(char, n) for char, n in others.items() if not char.isspace() and ord(char) >= 0x80]
        non_ascii = common_chinese + sum(n for _, n in visible_others)
        common = common_chinese + sum(n for char, n in visible_others if _is_common_chinese(char))
        if non_ascii and common < MIN_COMMON_SHARE * non_ascii:
            return f"only {common} of {non_ascii} non-ASCII characters are common Chinese characters or punctuation"
    return None


@cache
def _common_chinese_runs() -> re.Pattern[str]:
    """Runs of characters that are visible, not bad, not ASCII and common Chinese (see _is_common_chinese).

    The candidates are GB2312's two-byte characters and the punctuation blocks; each is kept only if
    the per-character tests agree, so the bulk count can never differ from counting one by one.
    """
    two_byte = (bytes((high, low)) for high in range(0xA1, 0xF8) for low in range(0xA1, 0xFF))
    gb2312 = [pair.decode("gb2312", errors="ignore") for pair in two_byte]
    punctuation = map(chr, [*range(0x2000, 0x2070), *range(0x3000, 0x3040), *range(0xFF00, 0xFFF0)])
    codes = sorted(
        ord(char) for char in {*"".join(gb2312), *punctuation}
        if ord(char) >= 0x80 and not char.isspace() and not _is_bad(char) and _is_common_chinese(char)
    )  # fmt: skip
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]+")


def _bom_encoding(raw: bytes) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        return UTF8_SIG
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    return None


def _utf16_from_nuls(raw: bytes) -> str | None:
    """Return "utf-16-le"/"utf-16-be" when zero bytes sit on one side of the code units.

    In UTF-16 every ASCII character (digits, newlines, spaces) has a zero high byte, while
    Chinese characters rarely contain a zero byte at all; binary data has zeros on both sides.
    """
    if len(raw) < 2 or len(raw) % 2:
        return None
    zeros_even = raw[0::2].count(0)
    zeros_odd = raw[1::2].count(0)
    units = len(raw) // 2
    if zeros_odd >= 0.01 * units and zeros_odd >= 4 * zeros_even:
        return "utf-16-le"
    if zeros_even >= 0.01 * units and zeros_even >= 4 * zeros_odd:
        return "utf-16-be"
    return None


def _strict(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


def _is_bad(char: str) -> bool:
    return char == "\ufffd" or unicodedata.category(char) in {"Cc", "Co", "Cn", "Cs"}


def _is_common_chinese(char: str) -> bool:
    """GB2312's repertoire, plus the punctuation blocks Chinese text draws on beyond it."""
    code = ord(char)
    if 0x2000 <= code <= 0x206F or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF:
        return True
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
