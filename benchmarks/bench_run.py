"""Wall time of the annual run (``compare run``) on the bundled reports and on a synthetic national panel.

Every measured run is a fresh ``python -m compare run`` process started in the project folder and
writing into a temporary outputs folder (never outputs/ of the project), timed from launch to exit:

  bundled cold  the first run of the bundled reports (default parameters) into an empty outputs folder;
  bundled       --runs more runs of the same with --force --replace (the previous archive deleted);
  rerun         --runs runs with nothing changed: the skip path (inputs hashed, the archive kept);
  national      --national-runs runs on the synthetic national panel (benchmarks/national_panel.py:
                every county × indicator × 5 years) with a parameters file giving panel: <file>,
                year = the last synthetic year, level county, region null, default weights and
                --draws robustness draws; the first into an empty outputs folder, the others with
                --force --replace.

The run's own log lines, timestamped as they arrive, split each run into phases: startup
(interpreter, imports, parameters, input hashes, kernel check), tables (build_tables and
write_tables), notebooks (all of them, in parallel) and finish (manifest, index page, moving the
archive into place, exit). Per-notebook seconds come from each run's manifest.json, per-cell seconds
from its executed notebooks. The tables are also timed in a separate process: build_tables (first
call, as in a run) and write_tables, then both again under cProfile, broken down by the functions
they call; and, from the national run's archive, each chart is built, serialised and saved and each
notebook exported to HTML on its own. Each run also records the CPU seconds it used and those other
processes used meanwhile: the machine may be shared, and then wall times are not the run's alone.

    python benchmarks/bench_run.py [--runs 3] [--national-runs 1] [--draws 1000] [--json FILE]

Figures and what they mean are in benchmarks/run.md.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BUNDLED_YEAR = 2021
HTML_LIMIT_BYTES = 5_000_000  # 5 MB, as tests/test_html_export.py counts it
AIMS_S = {"bundled": 15.0, "rerun": 3.0, "national": 60.0}
TIMEOUT_S = 1800.0
SHOWN_CELL_S = 0.25
_PROGRESS = re.compile(r"^\[\d+\] \d+/\d+ ")


@dataclass
class Run:
    """One ``compare run`` process: how long it took, what it said, and its manifest."""

    label: str
    arguments: list[str]
    status: str  # ok | skipped | failed | timeout | error <exit code>
    wall_s: float
    phases_s: dict[str, float]
    log: list[str]
    own_cpu_s: float  # user + system CPU of the run and every process it started and waited for
    others_cpu_s: float  # CPU the rest of the machine used meanwhile: other users' work slows the run
    archive: str | None = None  # the folder made: outputs/<year>/, or outputs/<year>/failed/<time>/
    manifest: dict | None = field(default=None, repr=False)


def _environment() -> dict[str, str]:
    """This project, whatever folder the benchmark is started from."""
    return {**os.environ, "COMPARE_ROOT": str(REPO)}


def _stop(process: subprocess.Popen, stopped: threading.Event) -> None:
    """End a run past its time limit: its descendants (papermill workers, kernels) by id, then itself."""
    import psutil

    stopped.set()
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return
    for child in children:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
    process.kill()


def _busy_cpu_s() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat, all cores)."""
    user, nice, system, _idle, _iowait, irq, softirq = map(int, Path("/proc/stat").read_text().split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _phases(marks: list[tuple[float, str]], wall_s: float) -> dict[str, float]:
    """Seconds of startup, tables, notebooks and finish, from when the run's log lines arrived."""
    def first(text: str) -> float | None:
        return next((t for t, line in marks if text in line), None)

    tables, notebooks = first("building tables from"), first("notebook(s) with kernel")
    progress = [t for t, line in marks if _PROGRESS.match(line)]
    if tables is None or notebooks is None or not progress:
        return {}
    return {"startup": tables, "tables": notebooks - tables, "notebooks": progress[-1] - notebooks,
            "finish": wall_s - progress[-1]}


def _made(outputs: Path, year: int) -> Path | None:
    """The folder the run just made: the year's archive, or its newest failed run."""
    archive = outputs / str(year)
    candidates = [archive / "manifest.json", *(archive / "failed").glob("*/manifest.json")]
    made = [p for p in candidates if p.is_file()]
    return max(made, key=lambda p: p.stat().st_mtime).parent if made else None


def run_compare(label: str, year: int, outputs: Path, extra: list[str], timeout_s: float) -> Run:
    """Time one ``python -m compare run`` from launch to exit, its log lines timestamped as they come."""
    arguments = ["--year", str(year), "--outputs", str(outputs), *extra]
    stopped = threading.Event()
    busy, own = _busy_cpu_s(), _children_cpu_s()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "compare", "run", *arguments], cwd=REPO, env=_environment(),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    timer = threading.Timer(timeout_s, _stop, args=(process, stopped))
    timer.start()
    marks = [(time.perf_counter() - started, line.rstrip()) for line in process.stdout]
    exit_code = process.wait()
    wall_s = time.perf_counter() - started
    own_cpu_s = _children_cpu_s() - own
    others_cpu_s = max(0.0, _busy_cpu_s() - busy - own_cpu_s)
    timer.cancel()
    log = [line for _, line in marks]
    if stopped.is_set():
        status = "timeout"
    elif exit_code == 0 and any("is up to date" in line for line in log):
        status = "skipped"
    elif exit_code in (0, 1):
        status = "ok" if exit_code == 0 else "failed"
    else:
        status = f"error {exit_code}"
    made = _made(outputs, year) if status in ("ok", "failed") else None
    manifest = json.loads((made / "manifest.json").read_text(encoding="utf-8")) if made else None
    run = Run(label, arguments, status, wall_s, _phases(marks, wall_s), log, own_cpu_s, others_cpu_s,
              str(made) if made else None, manifest)
    print(f"  {label}: {status} in {wall_s:.1f} s (CPU: {own_cpu_s:.1f} s its own, {others_cpu_s:.1f} s other "
          "processes')", file=sys.stderr, flush=True)
    if status not in ("ok", "skipped"):
        print("    " + "\n    ".join(log[-15:]), file=sys.stderr, flush=True)
    return run


def archive_sizes(archive: Path) -> dict[str, object]:
    """Bytes of every HTML page, of each folder of the archive and of the whole (history/ and failed/ left out)."""
    files = [p for p in archive.rglob("*") if p.is_file()
             and p.relative_to(archive).parts[0] not in ("history", "failed")]
    folders: dict[str, int] = {}
    for path in files:
        top = path.relative_to(archive).parts[0] if len(path.relative_to(archive).parts) > 1 else "(top level)"
        folders[top] = folders.get(top, 0) + path.stat().st_size
    pages = {p.name: p.stat().st_size for p in sorted((archive / "html").glob("*.html"))}
    if (archive / "index.html").is_file():
        pages["index.html"] = (archive / "index.html").stat().st_size
    return {"html": pages, "folders": dict(sorted(folders.items())), "total": sum(folders.values())}


def notebook_cells(archive: Path) -> dict[str, dict[str, object]]:
    """Seconds of every code cell of the executed notebooks (papermill's cell metadata), with its first line."""
    found: dict[str, dict[str, object]] = {}
    for path in sorted((archive / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cells = []
        for index, cell in enumerate(notebook["cells"]):
            seconds = cell.get("metadata", {}).get("papermill", {}).get("duration")
            if cell["cell_type"] == "code" and seconds is not None:
                source = "".join(cell["source"]).strip().splitlines()
                cells.append({"cell": index, "source": source[0] if source else "", "seconds": seconds})
        found[path.stem] = {"cells": cells, "cells_s": sum(c["seconds"] for c in cells)}
    return found


# --- the tables, in a process of their own ---------------------------------------------------------

def _where(key: tuple[str, int, str]) -> str:
    file, _, name = key
    if file == "~":
        return name
    parts = Path(file).parts
    return f"{'/'.join(parts[-2:])}:{name}"


def _callees(stats: pstats.Stats, function: str) -> list[dict[str, object]]:
    """Seconds (cumulative) of each function called directly by ``function`` (a name in compare/annual.py)."""
    entries = stats.stats  # type: ignore[attr-defined]
    caller = next(k for k in entries if k[2] == function and k[0].endswith("annual.py"))
    rows = [{"function": _where(key), "calls": by_caller[0], "seconds": by_caller[3]}
            for key, (*_, callers) in entries.items() if caller in callers
            for by_caller in [callers[caller]]]
    return sorted(rows, key=lambda r: -r["seconds"])


def time_tables(year: int, params_file: Path | None) -> dict[str, object]:
    """build_tables and write_tables timed once each in this fresh process, then profiled."""
    started = time.perf_counter()
    from compare.annual import build_tables, write_tables
    from compare.parameters import load_parameters

    imported = time.perf_counter()
    params = load_parameters(year, params_file)
    loaded = time.perf_counter()
    tables = build_tables(params)
    built = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        write_tables(tables, Path(folder) / "first")
        written = time.perf_counter()
        profile = cProfile.Profile()
        profile.enable()
        write_tables(build_tables(params), Path(folder) / "profiled")
        profile.disable()
    stats = pstats.Stats(profile)
    hotspots = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:12]  # type: ignore[attr-defined]
    return {
        "import_s": imported - started, "parameters_s": loaded - imported,
        "build_tables_s": built - loaded, "write_tables_s": written - built,
        "rows": {"panel": tables.panel.height, "latest_values": tables.latest_values.height,
                 "indicator_scores": tables.indicator_scores.height, "composite": tables.composite.height},
        "profile_total_s": stats.total_tt,  # type: ignore[attr-defined]
        "build_tables_callees": _callees(stats, "build_tables"),
        "write_tables_callees": _callees(stats, "write_tables"),
        "hotspots_own_time": [{"function": _where(key), "calls": value[1], "own_s": value[2], "cumulative_s": value[3]}
                              for key, value in hotspots],
    }


def time_figures(archive: Path, year: int, params_file: Path | None) -> dict[str, object]:
    """The notebooks' charts built from a run's tables, serialised and saved; its executed notebooks exported.

    Serialising (``to_json``, what displaying a chart in a notebook does) gives the bytes a chart
    adds to its page; saving is the SVG and PNG of the run's figures/ folder.
    """
    import altair as alt
    import polars as pl

    from compare import annual, figures, maps, trends
    from compare.html_export import export_html
    from compare.parameters import load_parameters

    params = load_parameters(year, params_file)
    tables = annual.load_tables(archive / "tables")
    steps: list[dict[str, object]] = []

    def timed(step: str, make):
        started = time.perf_counter()
        result = make()
        steps.append({"step": step, "seconds": time.perf_counter() - started})
        return result

    series = timed("trends.trend_table (04)", lambda: trends.trend_table(
        annual.in_scope(tables.panel, params), tables.definition_hashes, trends.archived_panels(None, year)))
    charts = {
        "figures.coverage_heatmap (01)": lambda: figures.coverage_heatmap(tables.panel),
        "figures.rank_interval_chart (02)": lambda: figures.rank_interval_chart(tables.rank_intervals),
        "figures.dot_plots (02)": lambda: figures.dot_plots(tables.latest_values, params.targets),
        "figures.trend_charts (04)": lambda: figures.trend_charts(series),
        "figures.quality_chart (05)": lambda: figures.quality_chart(tables.report_quality),
    }
    map_values = tables.latest_values.filter(pl.col("indicator_id").is_in(params.map_indicators))
    with tempfile.TemporaryDirectory() as folder:
        tiny = alt.Chart(alt.Data(values=[{"x": 1}])).mark_point().encode(x="x:Q")
        timed("figures.save of a one-point chart (vl-convert starting)", lambda: figures.save(tiny, folder, "tiny"))
        for name, make in charts.items():
            chart = timed(f"{name}: build", make)
            if chart is None:  # no indicator with two years: no trend chart
                continue
            spec = timed(f"{name}: to_json", chart.to_json)
            steps[-1]["bytes"] = len(spec.encode())
            timed(f"{name}: save SVG + PNG", lambda: figures.save(chart, folder, "chart"))
        if params.map_indicators:
            choropleths = timed(f"maps.choropleths (03; {len(params.map_indicators)} indicators): build",
                                lambda: maps.choropleths(map_values.rename({"adcode": "code"}), params.level,
                                                         params.region, titles=figures.indicator_names()))
            spec = timed("maps.choropleths (03): to_json", choropleths.to_json)
            steps[-1]["bytes"] = len(spec.encode())
            first = params.map_indicators[0]
            one = map_values.filter(indicator_id=first).select(code="adcode", value="value")
            static = timed(f"maps.static_map (03; 1 of {len(params.map_indicators)})",
                           lambda: maps.static_map(one, params.level, params.region, value_title=first))
            timed("figures.save_figure of that map (PNG + SVG)", lambda: figures.save_figure(static, folder, "map"))
        for notebook in sorted((archive / "notebooks").glob("*.ipynb")):
            html = Path(folder) / f"{notebook.stem}.html"
            timed(f"html_export.export_html {notebook.stem}", lambda: export_html(notebook, html))
            steps[-1]["bytes"] = html.stat().st_size
            steps[-1]["notebook_bytes"] = notebook.stat().st_size
    return {"steps": steps}


def _worker(flag: str, year: int, params_file: Path | None, timeout_s: float, *extra: str) -> dict[str, object]:
    """Run this script's ``flag`` worker in a fresh process; its last line of output is the JSON result."""
    command = [sys.executable, __file__, flag, "--year", str(year), *extra]
    if params_file is not None:
        command += ["--params", str(params_file)]
    try:
        done = subprocess.run(command, cwd=REPO, env=_environment(), capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"error": f"stopped after {timeout_s:.0f} s"}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the machine ---------------------------------------------------------------------------------

def machine() -> dict[str, object]:
    """Cores, memory, platform, package versions and commit: what the figures depend on."""
    from compare.manifest import git_commit, package_versions

    memory = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        name, value = line.split(":", 1)
        if name in ("MemTotal", "MemAvailable"):
            memory[name] = int(value.split()[0]) * 1024
    return {
        "nproc": len(os.sched_getaffinity(0)), "cpu_count": os.cpu_count(),
        "memory_total_bytes": memory.get("MemTotal"), "memory_available_bytes": memory.get("MemAvailable"),
        "platform": platform.platform(), "python": sys.executable,
        "versions": package_versions(), "git": git_commit(REPO),
    }


# --- the benchmark -------------------------------------------------------------------------------

def national_parameters(panel: Path, year: int, draws: int, folder: Path) -> Path:
    """A parameters file for the national run; robustness keeps the default seed, only the draws set."""
    default = yaml.safe_load((REPO / "parameters" / "default.yaml").read_text(encoding="utf-8"))
    record = {"year": year, "level": "county", "region": None, "panel": str(panel),
              "robustness": {**(default.get("robustness") or {}), "draws": draws}}
    path = folder / "national.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def bench(args: argparse.Namespace, work: Path) -> dict[str, object]:
    """Every measurement, in order (bundled, reruns, tables; national panel, runs, tables, charts), into ``work``."""
    results: dict[str, object] = {"machine": machine(), "load_before": os.getloadavg()}
    print(f"load average before: {_load(results['load_before'])}", file=sys.stderr, flush=True)
    runs: list[Run] = []
    bundled_out = work / "bundled"
    print("bundled reports:", file=sys.stderr, flush=True)
    runs.append(run_compare("bundled cold", BUNDLED_YEAR, bundled_out, [], args.timeout))
    for n in range(args.runs):
        runs.append(run_compare(f"bundled {n + 1}", BUNDLED_YEAR, bundled_out, ["--force", "--replace"], args.timeout))
    for n in range(args.runs):
        runs.append(run_compare(f"rerun {n + 1}", BUNDLED_YEAR, bundled_out, [], args.timeout))
    results["bundled_archive"] = archive_sizes(bundled_out / str(BUNDLED_YEAR))
    results["bundled_cells"] = notebook_cells(bundled_out / str(BUNDLED_YEAR))
    print("  tables in-process", file=sys.stderr, flush=True)
    results["bundled_tables"] = _worker("--tables-worker", BUNDLED_YEAR, None, args.timeout)

    if args.national_runs:
        from national_panel import DEFAULT_PATH, write_national_panel

        started = time.perf_counter()
        panel = write_national_panel(DEFAULT_PATH)
        year = int(panel["year"].max())
        results["national_panel"] = {
            "path": str(DEFAULT_PATH), "rows": panel.height, "places": panel["adcode"].n_unique(),
            "indicators": panel["indicator_id"].n_unique(), "years": sorted(set(panel["year"])),
            "bytes": DEFAULT_PATH.stat().st_size, "seconds": time.perf_counter() - started,
        }
        params_file = national_parameters(DEFAULT_PATH, year, args.draws, work)
        results["national_parameters"] = params_file.read_text(encoding="utf-8")
        national_out = work / "national"
        print(f"national panel ({panel.height:,} rows), year {year}:", file=sys.stderr, flush=True)
        for n in range(args.national_runs):
            extra = ["--params", str(params_file)] + (["--force", "--replace"] if n else [])
            runs.append(run_compare(f"national {n + 1}", year, national_out, extra, args.timeout))
        made = next((r.archive for r in reversed(runs) if r.label.startswith("national") and r.archive), None)
        if made:
            results["national_archive"] = archive_sizes(Path(made))
            results["national_cells"] = notebook_cells(Path(made))
        print("  tables in-process", file=sys.stderr, flush=True)
        results["national_tables"] = _worker("--tables-worker", year, params_file, args.timeout)
        if args.figures and made:
            print("  charts and HTML export in-process", file=sys.stderr, flush=True)
            results["national_figures"] = _worker("--figures-worker", year, params_file, args.timeout,
                                                  "--archive", made)
    results["load_after"] = os.getloadavg()
    results["runs"] = [asdict(r) for r in runs]
    return results


# --- the report ----------------------------------------------------------------------------------

def _load(load: tuple[float, float, float] | list[float]) -> str:
    return " / ".join(f"{v:.2f}" for v in load) + " (1 / 5 / 15 min)"


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}" if values else "–"


def _group(runs: list[dict], prefix: str, status: tuple[str, ...] = ("ok",)) -> list[dict]:
    return [r for r in runs if r["label"].startswith(prefix) and r["label"] != "bundled cold" and r["status"] in status]


def report(results: dict[str, object]) -> str:
    lines: list[str] = []
    add = lines.append
    info = results["machine"]
    versions = info["versions"]
    git = info["git"]
    add(f"machine: {info['nproc']} cores (nproc; os.cpu_count() {info['cpu_count']}), "
        f"{info['memory_total_bytes'] / 2**30:.1f} GiB memory ({info['memory_available_bytes'] / 2**30:.1f} GiB "
        f"available), {info['platform']}")
    add(f"versions: Python {versions['python']}, compare {versions['compare']}, polars {versions['polars']}, "
        f"papermill {versions['papermill']}, altair {versions['altair']}, vl-convert {versions['vl-convert-python']}; "
        f"commit {str(git.get('commit', '?'))[:7]}{' (uncommitted changes)' if git.get('dirty') else ''}")
    add(f"load average before: {_load(results['load_before'])}; after: {_load(results['load_after'])} "
        "(other processes may share this machine)")
    runs: list[dict] = results["runs"]

    add("")
    add("| measurement | runs | median s | min s | max s | aim | met |")
    add("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    groups = [("bundled cold", [r for r in runs if r["label"] == "bundled cold" and r["status"] == "ok"], None),
              ("bundled, --force", _group(runs, "bundled "), AIMS_S["bundled"]),
              ("rerun, nothing changed", _group(runs, "rerun", ("skipped",)), AIMS_S["rerun"]),
              ("national panel", _group(runs, "national"), AIMS_S["national"])]
    for name, chosen, aim in groups:
        walls = [r["wall_s"] for r in chosen]
        met = "–" if aim is None or not walls else ("yes" if statistics.median(walls) <= aim else "**no**")
        add(f"| {name} | {len(walls)} | {_median(walls)} | {min(walls, default=0):.2f} | {max(walls, default=0):.2f} "
            f"| {f'≤ {aim:g} s' if aim else ''} | {met} |")
    troubled = [r for r in runs if r["status"] not in ("ok", "skipped")
                or (r["label"].startswith("rerun") and r["status"] != "skipped")]
    for r in troubled:
        add(f"- {r['label']}: **{r['status']}** after {r['wall_s']:.1f} s; last log line: "
            f"{r['log'][-1] if r['log'] else '(none)'}")

    add("")
    add("Every run: CPU seconds of its own (the run and the processes it started) and of other processes on the "
        "machine meanwhile (/proc/stat minus its own); much of the latter means the wall time is inflated.")
    add("")
    add("| run | status | wall s | own CPU s | others' CPU s |")
    add("| --- | --- | ---: | ---: | ---: |")
    for r in runs:
        add(f"| {r['label']} | {r['status']} | {r['wall_s']:.2f} | {r['own_cpu_s']:.1f} | {r['others_cpu_s']:.1f} |")

    add("")
    add("Phases (median s, from the run's log lines): startup = interpreter, imports, parameters, input hashes, "
        "kernel check; tables = build_tables + write_tables; notebooks = all notebooks in parallel; "
        "finish = manifest, index page, archive moved into place, exit.")
    add("")
    add("| run | startup | tables | notebooks | finish | wall |")
    add("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, chosen, _ in groups:
        chosen = [r for r in chosen if r["phases_s"]]
        if chosen:
            cells = [_median([r["phases_s"][p] for r in chosen]) for p in ("startup", "tables", "notebooks", "finish")]
            add(f"| {name} | {' | '.join(cells)} | {_median([r['wall_s'] for r in chosen])} |")

    add("")
    add("Per notebook (manifest.json `notebooks[].seconds`: papermill execution and HTML export in a worker; "
        "median over the runs):")
    add("")
    timed = [(name, chosen) for name, chosen, _ in groups if any(r.get("manifest") for r in chosen)]
    names = sorted({n["name"] for _, chosen in timed for r in chosen
                    for n in (r["manifest"] or {}).get("notebooks", [])})
    add("| notebook | " + " | ".join(name for name, _ in timed) + " |")
    add("| --- |" + " ---: |" * len(timed))
    for notebook in names:
        cells = [_median([n["seconds"] for r in chosen for n in (r["manifest"] or {}).get("notebooks", [])
                          if n["name"] == notebook]) for _, chosen in timed]
        add(f"| {notebook} | {' | '.join(cells)} |")

    for scenario, chosen in (("bundled", groups[1][1]), ("national", groups[3][1])):
        cells = results.get(f"{scenario}_cells")
        last = chosen[-1]["manifest"] if chosen and chosen[-1].get("manifest") else None
        if not cells or not last:
            continue
        seconds = {n["name"]: n["seconds"] for n in last["notebooks"]}
        add("")
        add(f"Cells of the last {scenario} run taking ≥ {SHOWN_CELL_S} s (papermill's cell durations); "
            "\"rest\" is the manifest's seconds minus all cells: papermill, kernel start and stop, HTML export.")
        add("")
        add("| notebook | cell | s |")
        add("| --- | --- | ---: |")
        for notebook, found in cells.items():
            for cell in found["cells"]:
                if cell["seconds"] >= SHOWN_CELL_S:
                    add(f"| {notebook} | [{cell['cell']}] `{cell['source'][:60]}` | {cell['seconds']:.2f} |")
            if notebook in seconds:
                add(f"| {notebook} | rest | {seconds[notebook] - found['cells_s']:.2f} |")

    for scenario in ("bundled", "national"):
        tables = results.get(f"{scenario}_tables")
        if not tables:
            continue
        add("")
        if "error" in tables:
            add(f"Tables in-process ({scenario}): failed: {tables['error']}")
            continue
        rows = ", ".join(f"{k} {v:,}" for k, v in tables["rows"].items())
        add(f"Tables in-process ({scenario}; rows: {rows}): import {tables['import_s']:.2f} s, parameters "
            f"{tables['parameters_s']:.2f} s, **build_tables {tables['build_tables_s']:.2f} s**, "
            f"**write_tables {tables['write_tables_s']:.2f} s**. Under cProfile (second call, "
            f"{tables['profile_total_s']:.2f} s in all), the functions they call:")
        add("")
        add("| called by | function | calls | cumulative s |")
        add("| --- | --- | ---: | ---: |")
        for caller in ("build_tables", "write_tables"):
            for row in tables[f"{caller}_callees"]:
                if row["seconds"] >= 0.01:
                    add(f"| {caller} | {row['function']} | {row['calls']} | {row['seconds']:.2f} |")

    charts = results.get("national_figures")
    if charts:
        add("")
        if "error" in charts:
            add(f"Charts and HTML export in-process (national): failed: {charts['error']}")
        else:
            add("Charts and HTML export in-process (national; from the run's tables and executed notebooks): "
                "build = the altair chart; to_json = serialising it, as displaying it in a notebook does "
                "(bytes: what it adds to the page); save = SVG + PNG into figures/.")
            add("")
            add("| step | s | bytes |")
            add("| --- | ---: | ---: |")
            for step in charts["steps"]:
                size = step.get("bytes")
                add(f"| {step['step']} | {step['seconds']:.2f} | {f'{size:,}' if size is not None else ''} |")

    add("")
    add(f"HTML pages (bytes; limit {HTML_LIMIT_BYTES:,} = 5 MB):")
    add("")
    archives = [(s, results[f"{s}_archive"]) for s in ("bundled", "national") if f"{s}_archive" in results]
    pages = sorted({page for _, archive in archives for page in archive["html"]})
    add("| page | " + " | ".join(s for s, _ in archives) + " |")
    add("| --- |" + " ---: |" * len(archives))
    for page in pages:
        cells = []
        for _, archive in archives:
            size = archive["html"].get(page)
            over = f" (**{(size - HTML_LIMIT_BYTES) / 1e6:.2f} MB over**)" if size and size > HTML_LIMIT_BYTES else ""
            cells.append(f"{size:,}{over}" if size is not None else "–")
        add(f"| {page} | {' | '.join(cells)} |")
    for scenario, archive in archives:
        over = [p for p, size in archive["html"].items() if size > HTML_LIMIT_BYTES]
        add(f"- {scenario}: " + (f"**{len(over)} page(s) over 5 MB: {', '.join(over)}**" if over
                                 else "every page ≤ 5 MB"))
    add("")
    add("Archive (bytes; history/ and failed/ left out):")
    add("")
    folders = sorted({f for _, archive in archives for f in archive["folders"]})
    add("| folder | " + " | ".join(s for s, _ in archives) + " |")
    add("| --- |" + " ---: |" * len(archives))
    for folder in folders:
        add(f"| {folder} | " + " | ".join(f"{a['folders'].get(folder, 0):,}" for _, a in archives) + " |")
    add("| **total** | " + " | ".join(f"**{a['total']:,}**" for _, a in archives) + " |")
    if "national_panel" in results:
        panel = results["national_panel"]
        add("")
        add(f"National panel: {panel['rows']:,} rows ({panel['places']:,} counties × {panel['indicators']} "
            f"indicators × "
            f"years {', '.join(map(str, panel['years']))}), {panel['bytes'] / 1e6:.1f} MB Parquet, made in "
            f"{panel['seconds']:.1f} s → {panel['path']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="forced runs and reruns of the bundled reports (default 3)")
    parser.add_argument("--national-runs", type=int, default=1, help="runs on the national panel; 0 leaves it out")
    parser.add_argument("--draws", type=int, default=1000, help="robustness draws of the national run (default 1000)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds before a run is stopped")
    parser.add_argument("--no-figures", dest="figures", action="store_false",
                        help="leave out timing the national run's charts and HTML export one by one")
    parser.add_argument("--json", type=Path, help="also write every figure (runs with their logs) here")
    parser.add_argument("--tables-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--figures-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--archive", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--year", type=int, default=BUNDLED_YEAR, help=argparse.SUPPRESS)
    parser.add_argument("--params", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.tables_worker:
        print(json.dumps(time_tables(args.year, args.params)))
        return 0
    if args.figures_worker:
        print(json.dumps(time_figures(args.archive, args.year, args.params)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-run-") as work:
        results = bench(args, Path(work))
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    failed = [r for r in results["runs"] if r["status"] not in ("ok", "skipped")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
