"""``compare run`` end to end on the bundled reports: real notebooks under papermill, real archive.

One real run is shared by the module (it takes tens of seconds); the failure test copies the
project's parameters and notebooks, adds a notebook that raises, and runs again.
"""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import polars as pl
import pytest

from compare import archive
from compare.parameters import load_parameters
from compare.run import run_year
from repo_paths import REPO

pytestmark = pytest.mark.slow
YEAR = 2021
MAX_HTML_BYTES = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> Path:
    outputs = tmp_path_factory.mktemp("outputs")
    done = subprocess.run(
        [sys.executable, "-m", "compare", "run", "--year", str(YEAR), "--outputs", str(outputs)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "archive ready" in done.stderr
    return outputs


def test_the_archive_holds_notebooks_html_tables_figures_and_manifest(first_run: Path):
    final = first_run / str(YEAR)
    manifest = json.loads((final / "manifest.json").read_text(encoding="utf-8"))
    names = [p.stem for p in sorted((REPO / "notebooks").glob("*.ipynb"))]
    assert manifest["status"] == "ok" and [n["name"] for n in manifest["notebooks"]] == names
    assert all(n["status"] == "ok" and n["seconds"] > 0 for n in manifest["notebooks"])
    assert manifest["parameters"]["year"] == YEAR
    assert manifest["input_files_sha256"]["data/reports/002_cde15d0c3457cf5e.txt"] == \
        "913d05a6303a28d44df955594c300720680e029f52b08477e94f1a1159054ec6"
    assert "parameters/2021.yaml" in manifest["input_files_sha256"]
    assert manifest["package_versions"]["papermill"] != "not installed"
    assert manifest["git"].get("commit") is None or len(manifest["git"]["commit"]) == 40
    for name in names:
        executed = nbformat.read(final / "notebooks" / f"{name}.ipynb", as_version=4)
        errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert not errors, f"{name}: {errors}"
        html = final / "html" / f"{name}.html"
        assert 0 < html.stat().st_size <= MAX_HTML_BYTES
    for table in ("panel", "composite", "indicator_scores", "report_quality", "documents", "facts"):
        assert (final / "tables" / f"{table}.parquet").is_file() and (final / "tables" / f"{table}.csv").is_file()
    assert (final / "tables" / "comparison.xlsx").stat().st_size > 0
    assert any(p.suffix == ".svg" for p in (final / "figures").iterdir())
    assert any(p.suffix == ".png" for p in (final / "figures").iterdir())
    index = (final / "index.html").read_text(encoding="utf-8")
    assert all(f'href="html/{n}.html"' in index for n in names) and 'href="manifest.json"' in index


def test_every_panel_value_in_the_archive_keeps_its_provenance(first_run: Path):
    panel = pl.read_parquet(first_run / str(YEAR) / "tables" / "panel.parquet")
    assert panel.height > 0
    assert panel.filter(pl.col("doc_id").is_null() | pl.col("evidence").is_null()).is_empty()
    assert set(panel["adcode"]) >= {"530623", "320581"}  # 盐津县 and 常熟市


def test_a_rerun_with_nothing_changed_is_skipped_quickly(first_run: Path):
    started = time.perf_counter()
    result = run_year(load_parameters(YEAR, root=REPO), first_run)
    assert result.status == "skipped" and result.exit_code == 0
    assert "up to date" in result.message
    assert time.perf_counter() - started < 30  # the figure itself is recorded in benchmarks/


def test_a_second_run_while_one_runs_is_refused(first_run: Path):
    with archive.year_lock(first_run, YEAR):
        done = subprocess.run(
            [sys.executable, "-m", "compare", "run", "--year", str(YEAR), "--outputs", str(first_run), "--force"],
            cwd=REPO, capture_output=True, text=True, timeout=120,
        )
    assert done.returncode == 3 and "already in progress" in done.stderr


def test_a_wrong_parameter_stops_before_any_kernel(tmp_path: Path):
    params = tmp_path / "bad.yaml"
    params.write_text("indicators: [disputes.no_such_thing]\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "compare", "run", "--year", str(YEAR), "--params", str(params), "--outputs", str(tmp_path / "out")],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2
    assert "unknown indicator 'disputes.no_such_thing'" in done.stderr and "valid choices" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_failing_notebook_is_archived_with_its_traceback_and_the_good_archive_stays(first_run: Path, tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(REPO / "parameters", project / "parameters")
    shutil.copytree(REPO / "notebooks", project / "notebooks")
    (project / "data").symlink_to(REPO / "data")
    broken = nbformat.read(REPO / "notebooks" / "05_report_quality.ipynb", as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("deliberately broken cell")'))
    nbformat.write(broken, project / "notebooks" / "06_broken.ipynb")
    outputs = tmp_path / "outputs"
    shutil.copytree(first_run / str(YEAR), outputs / str(YEAR))
    good_manifest = (outputs / str(YEAR) / "manifest.json").read_bytes()

    result = run_year(load_parameters(YEAR, root=project), outputs, force=True)

    assert result.status == "failed" and result.exit_code == 1
    statuses = {n.name: n.status for n in result.notebooks}
    assert statuses.pop("06_broken") == "failed" and set(statuses.values()) == {"ok"}  # the others still ran
    assert (outputs / str(YEAR) / "manifest.json").read_bytes() == good_manifest  # previous archive intact
    assert result.archive.parent == outputs / str(YEAR) / archive.FAILED
    executed = nbformat.read(result.archive / "notebooks" / "06_broken.ipynb", as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors and errors[0].evalue == "deliberately broken cell"
    assert "deliberately broken cell" in (result.archive / "html" / "06_broken.html").read_text(encoding="utf-8")
    failed_manifest = json.loads((result.archive / "manifest.json").read_text(encoding="utf-8"))
    assert failed_manifest["status"] == "failed"
    assert not list(outputs.glob(".staging-*")) and not list(outputs.glob(".*.lock"))


def test_every_page_of_the_run_renders_offline_in_chromium(first_run: Path):
    from browser_check import INSTALL_HINT, chromium_available, render_problems

    if not chromium_available():
        pytest.skip(f"headless Chromium not found: {INSTALL_HINT}")
    pages = sorted((first_run / str(YEAR) / "html").glob("*.html"))
    assert len(pages) == 5
    problems = {page.name: render_problems(page) for page in pages}
    assert problems == {page.name: [] for page in pages}


def test_a_notebook_runs_with_plain_papermill_and_a_year_file(tmp_path: Path):
    from compare.run import ensure_kernel

    ensure_kernel()
    executed = tmp_path / "quality.ipynb"
    done = subprocess.run(
        [sys.executable, "-m", "papermill", "notebooks/05_report_quality.ipynb", str(executed),
         "-f", "parameters/2021.yaml", "--no-progress-bar"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    book = nbformat.read(executed, as_version=4)
    injected = [c for c in book.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "year = 2021" in injected[0].source
    text = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                   for c in book.cells if c.cell_type == "code" for o in c.outputs)
    assert "2021: county-level comparison" in text and "盐津县" in text


def test_a_kernel_of_another_environment_is_refused(tmp_path: Path, monkeypatch):
    from compare.run import KERNEL_NAME, ensure_kernel

    kernels = tmp_path / "jupyter" / "kernels" / KERNEL_NAME
    kernels.mkdir(parents=True)
    elsewhere = tmp_path / "other-env" / "bin" / "python"
    elsewhere.parent.mkdir(parents=True)
    elsewhere.symlink_to(sys.executable)
    (kernels / "kernel.json").write_text(json.dumps(
        {"argv": [str(elsewhere), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
         "display_name": "other", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    with pytest.raises(RuntimeError, match=r"runs .*other-env/bin/python, not this environment's"):
        ensure_kernel()
