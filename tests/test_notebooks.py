"""The notebooks as stored: no outputs, a papermill parameters cell, the project's kernel, thin cells."""

import ast

import nbformat
import pytest

from compare.parameters import PARAMETER_KEYS
from repo_paths import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
RUN_KEYS = {"params_file", "tables_dir", "figures_dir", "archives_dir"}


def test_the_five_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == [
        "01_extraction_review", "02_comparison", "03_maps", "04_trends", "05_report_quality"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs_and_with_a_parameters_cell(path):
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    assert book.metadata.kernelspec.name == "compare"
    code = [c for c in book.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "clear outputs before committing"
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is code[0]
    assigned = {t.id for node in ast.parse(tagged[0].source).body for t in node.targets}  # type: ignore[attr-defined]
    assert assigned == set(PARAMETER_KEYS) | RUN_KEYS  # every key papermill -f may inject, nothing else
    assert all(node.value.value is None for node in ast.parse(tagged[0].source).body)  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_cells_hold_no_logic(path):
    """Logic lives in the library: no function or class definitions, no long cells."""
    book = nbformat.read(path, as_version=4)
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        assert not any(isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda)) for n in ast.walk(tree))
        assert len(cell.source.splitlines()) <= 20
