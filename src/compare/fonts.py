"""A CJK font for matplotlib that the project installs itself (no system fonts needed).

The font is Noto Sans SC Regular (SIL Open Font License 1.1), shipped on PyPI by
``pylopdf-fonts-zh-cn`` (a data-only package: the OTF files from notofonts/noto-cjk, Sans/SubsetOTF/SC,
with their licence). Importing this module registers it with matplotlib's font manager;
``compare.maps`` does so, and draws with :func:`cjk_rc` so Chinese labels render without touching
the caller's global settings. Notebooks that want Chinese in their own plots call
:func:`use_cjk_font` once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager

# After the CJK face: a face with the symbols a CJK subset may lack (matplotlib falls back per glyph).
FALLBACK_FAMILIES = ["DejaVu Sans"]


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """Path of the bundled Noto Sans SC file."""
    try:
        import pylopdf_fonts_zh_cn
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise RuntimeError(
            "the CJK font package pylopdf-fonts-zh-cn is not installed; "
            "install the project (pip install -e .) to get it"
        ) from exc
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    if not path.is_file():  # pragma: no cover
        raise RuntimeError(f"{path}: CJK font file missing from pylopdf-fonts-zh-cn")
    return path


@lru_cache(maxsize=1)
def register_cjk_font() -> str:
    """Add the font to matplotlib's font manager (once) and return its family name."""
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


CJK_FAMILY = register_cjk_font()


def cjk_rc() -> dict[str, object]:
    """rcParams for :func:`matplotlib.rc_context` that draw Chinese text in the bundled font."""
    return {
        "font.family": [CJK_FAMILY, *FALLBACK_FAMILIES],
        "font.sans-serif": [CJK_FAMILY, *FALLBACK_FAMILIES, *matplotlib.rcParams["font.sans-serif"]],
        "axes.unicode_minus": True,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
    }


def use_cjk_font() -> str:
    """Make the bundled CJK font matplotlib's default sans-serif face (for notebooks)."""
    matplotlib.rcParams.update(cjk_rc())
    return CJK_FAMILY
