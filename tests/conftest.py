"""Shared fixtures: the real codebook, the repository's paths and the shared contract folder."""

from __future__ import annotations

import pytest

from compare.codebook import Codebook, load_codebook
from compare.extract import FactReader
from repo_paths import REPO


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return load_codebook(REPO / "data" / "codebook")


@pytest.fixture(scope="session")
def reader(codebook: Codebook) -> FactReader:
    return FactReader(codebook)
