"""compare: read Chinese local governments' rule-of-law reports into comparable indicators.

The stages, each a module named for what it produces:
reading (files → text as read) → docfacts (document facts) → extract (facts with provenance)
→ panel → scores and robustness, report_quality → annual (one year's tables) → run (the archive).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Extraction", "extract_reports", "__version__"]

if TYPE_CHECKING:
    from .pipeline import Extraction, extract_reports


def __getattr__(name: str) -> Any:
    """``compare.extract_reports`` without loading the readers for code that never reads reports."""
    if name in ("Extraction", "extract_reports"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'compare' has no attribute {name!r}")
