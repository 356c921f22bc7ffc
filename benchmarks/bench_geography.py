"""Load times of the reference tables and build times of the national county map.

Each run is a fresh Python process (so every load is cold: nothing cached by the project), doing,
in order and timing each step with time.perf_counter:
  import       compare.geography (geopandas, shapely, pyarrow) and compare.maps (altair, matplotlib,
               the CJK font registered);
  divisions    compare.divisions.load_divisions() — data/reference/divisions.csv;
  layer:LEVEL  the GeoParquet file of one boundary level read (geography._read_layer);
  parents      boundaries(level) for the three levels: parents joined from the division table;
  altair       choropleth() of every second county with a value, national, plus province outlines;
  html         chart.save("….html") (standalone page, boundaries inline) and its size;
  static       static_map() of the same values and fig.savefig("….png", dpi=150) and its size;
  altair:3     choropleths() of three indicators (each on every second county, shifted by one), national,
               built and saved with chart.save("….html"), and the page's size;
  altair:江苏  the county choropleth of one province, for scale.
The parent process runs --runs such processes and reports the median and the fastest of each step.

    python benchmarks/bench_geography.py [--runs 5] [--json results.json]

Figures are recorded in benchmarks/geography.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def worker(out_dir: Path) -> dict:
    timings: dict[str, float] = {}
    sizes: dict[str, int] = {}

    def timed(name, fn):
        start = time.perf_counter()
        result = fn()
        timings[name] = time.perf_counter() - start
        return result

    def imports():
        from compare import geography, maps  # noqa: F401

    timed("import", imports)
    import polars as pl

    from compare import geography, maps
    from compare.divisions import load_divisions

    timed("divisions", load_divisions)
    for level in geography.LEVELS:
        timed(f"layer:{level}", lambda level=level: geography._read_layer(level))
    timed("parents", lambda: [geography.boundaries(level) for level in geography.LEVELS])

    codes = list(geography.boundaries("county")["code"])[::2]
    values = pl.DataFrame({"code": codes, "value": [float(i % 97) for i in range(len(codes))]})
    chart = timed("altair", lambda: maps.choropleth(values, "county", title="全国县级示例"))
    html = out_dir / "national.html"
    timed("html", lambda: chart.save(html))
    sizes["html"] = html.stat().st_size
    png = out_dir / "national.png"

    def static():
        fig = maps.static_map(values, "county", title="全国县级示例")
        fig.savefig(png, dpi=150)

    timed("static", static)
    sizes["png"] = png.stat().st_size
    counties = list(geography.boundaries("county")["code"])
    three = pl.concat([
        pl.DataFrame({"indicator_id": f"indicator_{n}", "code": counties[n::2],
                      "value": [float(i % 97) for i in range(len(counties[n::2]))]})
        for n in range(3)
    ])
    html_three = out_dir / "national_3.html"
    timed("altair:3", lambda: maps.choropleths(three, "county").save(html_three))
    sizes["html:3"] = html_three.stat().st_size
    timed("altair:江苏", lambda: maps.choropleth(values, "county", "江苏").to_dict())
    for level in geography.LEVELS:
        sizes[f"parquet:{level}"] = (geography.boundaries_dir() / f"{level}.parquet").stat().st_size
    sizes["features:county"] = len(geography.boundaries("county"))
    return {"timings": timings, "sizes": sizes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the raw runs here")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker), ensure_ascii=False))
        return 0

    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            done = subprocess.run([sys.executable, __file__, "--worker", tmp], capture_output=True, text=True,
                                  check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    steps = list(runs[0]["timings"])
    print(f"# bench_geography: {args.runs} cold runs, {platform.python_version()}, "
          f"{os.cpu_count()} cores, {platform.platform()}")
    print("| step | median s | fastest s |")
    print("| --- | ---: | ---: |")
    for step in steps:
        seconds = [r["timings"][step] for r in runs]
        print(f"| {step} | {statistics.median(seconds):.3f} | {min(seconds):.3f} |")
    sizes = runs[-1]["sizes"]
    print()
    print("| output | size |")
    print("| --- | ---: |")
    for name, value in sizes.items():
        print(f"| {name} | {value / 1e6:.2f} MB |" if name.split(":")[0] in ("html", "png", "parquet")
              else f"| {name} | {value} |")
    if args.json:
        args.json.write_text(json.dumps(runs, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
