"""Where the repository and the shared contract folder are, for tests that read real files."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
