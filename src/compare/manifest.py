"""What a run was made from: input file hashes, package versions, the git commit.

The same record decides whether a rerun can be skipped: if every input, the parameters and the
library itself hash as before, the archive already holds what the run would produce.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from .parameters import Parameters

PACKAGES = (
    "compare", "polars", "pyarrow", "altair", "vl-convert-python", "scipy", "numpy", "geopandas", "shapely",
    "matplotlib", "papermill", "nbconvert", "nbformat", "ipykernel", "jupyterlab", "pyyaml", "xlsxwriter",
)
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            found.append(path)
    return found


def input_hashes(params: Parameters, notebooks: Iterable[Path]) -> dict[str, str]:
    """sha256 of every file the run reads, keyed by its path relative to the project folder."""
    import compare

    library = Path(compare.__file__).parent
    sources = [
        *params.reports, *params.sources, params.root / "data" / "codebook", params.root / "data" / "reference",
        *notebooks, *(p for p in library.glob("*.py")),
    ]
    sources.extend(p for p in (params.population, params.panel) if p is not None)
    hashes: dict[str, str] = {}
    for file in _files(sources):
        try:
            key = str(file.resolve().relative_to(params.root))
        except ValueError:
            key = str(file.resolve())
        hashes[key] = file_sha256(file)
    return dict(sorted(hashes.items()))


def inputs_digest(params: Parameters, hashes: dict[str, str], versions: dict[str, str]) -> str:
    """One hash over the parameters, every input file and the package versions."""
    record = {"parameters": params.to_record(), "files": hashes, "versions": versions}
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit(root: Path) -> dict[str, object]:
    """The commit of the project folder and whether it had uncommitted changes; empty outside git."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if commit is None:
        return {}
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": bool(status)}


def runtime() -> dict[str, str]:
    return {"python_executable": sys.executable, "platform": platform.platform()}
