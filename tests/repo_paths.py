"""Where the repository and the shared contract folder (../shared: spec, gold labels, scorer) are.

Tests that read the shared folder skip, saying so, in a clone that has no such folder beside it.
"""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def require_shared() -> Path:
    if not (SHARED / "spec" / "indicators.csv").exists():
        pytest.skip(f"the shared contract folder is not beside this clone ({SHARED}); these tests need its spec, gold and scorer")
    return SHARED
