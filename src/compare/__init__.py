"""compare: read Chinese local governments' rule-of-law reports into comparable indicators.

The stages, each a module named for what it produces:
reading (files → text as read) → docfacts (document facts) → extract (facts with provenance).
"""

__version__ = "0.1.0"

from .pipeline import Extraction, extract_reports

__all__ = ["Extraction", "extract_reports", "__version__"]
