"""A run is skipped only when every file it reads hashes as before."""

import dataclasses
from pathlib import Path

from compare.manifest import input_hashes, inputs_digest, package_versions
from compare.parameters import load_parameters
from repo_paths import REPO


def test_the_digest_follows_the_content_of_a_panel_file(tmp_path: Path):
    panel = tmp_path / "panel.parquet"
    panel.write_bytes(b"first")
    params = dataclasses.replace(load_parameters(2021, root=REPO), panel=panel)
    notebooks = sorted((REPO / "notebooks").glob("*.ipynb"))
    versions = package_versions()
    before = inputs_digest(params, input_hashes(params, notebooks), versions)
    panel.write_bytes(b"second")  # same path, new content
    after = inputs_digest(params, input_hashes(params, notebooks), versions)
    assert before != after


def test_every_bundled_report_and_notebook_is_hashed():
    params = load_parameters(2021, root=REPO)
    hashes = input_hashes(params, sorted((REPO / "notebooks").glob("*.ipynb")))
    assert {f"data/reports/{p.name}" for p in (REPO / "data" / "reports").iterdir()} <= set(hashes)
    assert {"notebooks/03_maps.ipynb", "parameters/default.yaml", "data/codebook/codebook.yaml",
            "src/compare/panel.py"} <= set(hashes)
