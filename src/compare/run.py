"""``compare run --year``: one year's comparison, from reports to an archived, shareable folder.

The order: validate parameters (before any kernel starts) → skip when nothing changed → take the
year's lock → build the tables once → execute every notebook with papermill, in parallel, each
exported to offline HTML → manifest and index page → move the folder into place (or file it
under ``failed/`` when a notebook failed, leaving the previous good archive as it was).
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import archive
from .manifest import git_commit, input_hashes, inputs_digest, package_versions, runtime
from .parameters import Parameters

KERNEL_NAME = "compare"
KERNEL_DISPLAY_NAME = "Python (compare)"
Reporter = Callable[[str], None]


@dataclass
class NotebookResult:
    name: str
    status: str  # ok | failed
    seconds: float
    notebook: str  # path of the executed copy, relative to the archive
    html: str | None
    error: str = ""


@dataclass
class RunResult:
    year: int
    status: str  # ok | failed | skipped
    archive: Path
    notebooks: list[NotebookResult] = field(default_factory=list)
    message: str = ""

    @property
    def exit_code(self) -> int:
        return 1 if self.status == "failed" else 0


def notebook_paths(root: Path) -> list[Path]:
    """The notebooks of a run: every ``notebooks/*.ipynb``, in name order."""
    found = sorted(p for p in (root / "notebooks").glob("*.ipynb") if not p.name.startswith("."))
    if not found:
        raise FileNotFoundError(f"no notebooks in {root / 'notebooks'}")
    return found


def ensure_kernel() -> str:
    """Make sure the ``compare`` kernel runs this environment's Python; install it here if missing.

    A kernel of that name from another environment would run the notebooks against another
    installation of the library, so it is an error rather than something to use silently.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        spec = None
    if spec is None or not spec.argv or not Path(spec.argv[0]).exists():
        from ipykernel.kernelspec import install

        install(kernel_name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME, prefix=sys.prefix)
        return KERNEL_NAME
    if Path(spec.argv[0]).absolute().parent.parent != Path(sys.prefix).absolute():
        raise RuntimeError(
            f"the Jupyter kernel '{KERNEL_NAME}' in {spec.resource_dir} runs {spec.argv[0]}, not this "
            f"environment's {sys.executable}; remove it (jupyter kernelspec remove {KERNEL_NAME}) or run "
            "compare from that environment"
        )
    return KERNEL_NAME


def _execute_notebook(source: str, executed: str, html: str, parameters: dict, kernel: str, cwd: str) -> tuple[str, float, str]:
    """Run in a worker process: execute one notebook, export it (failed ones too, traceback shown)."""
    import papermill

    from .html_export import export_html

    started = time.perf_counter()
    status, error = "ok", ""
    try:
        papermill.execute_notebook(
            source, executed, parameters=parameters, kernel_name=kernel, cwd=cwd,
            progress_bar=False, log_output=False, report_mode=False,
            # the kernel listens on localhost only; its warning about unencrypted TCP is noise in a run's log
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )
    except papermill.PapermillExecutionError as exc:
        status, error = "failed", f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # a kernel that died or could not start: still a result, not a crash
        status, error = "failed", f"{type(exc).__name__}: {exc}"
    if Path(executed).exists():
        try:
            export_html(Path(executed), Path(html))
        except Exception as exc:
            status = "failed"
            error = (error + "; " if error else "") + f"HTML export failed: {type(exc).__name__}: {exc}"
    return status, time.perf_counter() - started, error


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_year(
    params: Parameters,
    outputs: Path,
    *,
    force: bool = False,
    replace: bool = False,
    jobs: int | None = None,
    report: Reporter = _stderr,
) -> RunResult:
    """Produce ``outputs/<year>/`` for ``params``; see the module docstring for the order of work."""
    outputs = outputs.resolve()
    notebooks = notebook_paths(params.root)
    versions = package_versions()
    hashes = input_hashes(params, notebooks)
    digest = inputs_digest(params, hashes, versions)
    final = archive.archive_dir(outputs, params.year)
    previous = archive.read_manifest(final)
    if not force and previous and previous.get("status") == "ok" and previous.get("inputs_digest") == digest:
        message = (f"{final} is up to date: inputs, parameters and library unchanged since "
                   f"{previous.get('finished')}; use --force to run again")
        report(message)
        return RunResult(params.year, "skipped", final, message=message)

    kernel = ensure_kernel()
    with archive.year_lock(outputs, params.year):
        staging = archive.new_staging(outputs, params.year)
        try:
            result = _run_into(staging, params, outputs, notebooks, hashes, digest, versions, kernel, jobs, report)
        except BaseException:
            # nothing half-made takes the archive's place; keep what was made for inspection
            kept = archive.keep_failed(staging, outputs, params.year)
            report(f"run for {params.year} stopped by an error; partial output kept in {kept}")
            raise
        if result.status == "ok":
            result.archive = archive.promote(staging, outputs, params.year, replace=replace)
            report(f"archive ready: {result.archive / 'index.html'}")
        else:
            result.archive = archive.keep_failed(staging, outputs, params.year)
            failed = ", ".join(n.name for n in result.notebooks if n.status != "ok")
            kept = "the previous archive is unchanged" if previous else "no earlier archive existed"
            report(f"run for {params.year} failed in {failed}; executed notebooks with their tracebacks "
                   f"are in {result.archive}; {kept}")
        return result


def _run_into(
    staging: Path,
    params: Parameters,
    outputs: Path,
    notebooks: list[Path],
    hashes: dict[str, str],
    digest: str,
    versions: dict[str, str],
    kernel: str,
    jobs: int | None,
    report: Reporter,
) -> RunResult:
    from .annual import build_tables, write_tables
    from .index_page import write_index

    started_at, started = archive.now(), time.perf_counter()
    inputs = params.panel if params.panel is not None else ", ".join(str(p) for p in params.reports)
    report(f"[{params.year}] building tables from {inputs}")
    tables = build_tables(params)
    table_files = write_tables(tables, staging / "tables")
    report(f"[{params.year}] {tables.panel.height} panel values, {tables.composite.height} places compared; "
           f"tables written in {time.perf_counter() - started:.1f} s")
    (staging / "figures").mkdir()
    (staging / "notebooks").mkdir()
    (staging / "html").mkdir()
    shared = {
        "year": params.year,
        "params_file": str(params.sources[-1]) if len(params.sources) > 1 else None,
        "tables_dir": str(staging / "tables"),
        "figures_dir": str(staging / "figures"),
        "archives_dir": str(outputs),
    }
    workers = max(1, min(jobs or multiprocessing.cpu_count(), len(notebooks)))
    report(f"[{params.year}] executing {len(notebooks)} notebook(s) with kernel '{kernel}', {workers} at a time")
    results: list[NotebookResult] = []
    context = multiprocessing.get_context("spawn")  # no fork of a process holding polars' threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {}
        for source in notebooks:
            executed = staging / "notebooks" / source.name
            html = staging / "html" / f"{source.stem}.html"
            future = pool.submit(_execute_notebook, str(source), str(executed), str(html),
                                 shared, kernel, str(params.root))
            futures[future] = (source, executed, html)
        for done, future in enumerate(as_completed(futures), start=1):
            source, executed, html = futures[future]
            try:
                status, seconds, error = future.result()
            except Exception:
                status, seconds, error = "failed", 0.0, traceback.format_exc(limit=3)
            results.append(NotebookResult(
                name=source.stem, status=status, seconds=round(seconds, 2),
                notebook=str(executed.relative_to(staging)) if executed.exists() else "",
                html=str(html.relative_to(staging)) if html.exists() else None, error=error,
            ))
            report(f"[{params.year}] {done}/{len(notebooks)} {source.stem}: {status} in {seconds:.1f} s"
                   + (f" — {error}" if error else ""))
    results.sort(key=lambda r: r.name)
    status = "ok" if all(r.status == "ok" for r in results) else "failed"
    figures = sorted(str(p.relative_to(staging)) for p in (staging / "figures").rglob("*") if p.is_file())
    manifest = {
        "year": params.year,
        "status": status,
        "started": started_at,
        "finished": archive.now(),
        "seconds": round(time.perf_counter() - started, 2),
        "parameters": params.to_record(),
        "inputs_digest": digest,
        "input_files_sha256": hashes,
        "package_versions": versions,
        "git": git_commit(params.root),
        "runtime": runtime() | {"kernel": kernel, "workers": workers},
        "indicator_definitions_sha256": tables.definition_hashes,
        "notebooks": [r.__dict__ for r in results],
        "tables": table_files,
        "figures": figures,
        "read_failures": tables.read_failures,
    }
    (staging / archive.MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    write_index(staging, manifest)
    return RunResult(params.year, status, staging, results)
