"""Offline HTML of executed notebooks: self-contained, charts drawn from their specs, report text escaped.

One notebook, built here and executed with papermill on a real kernel, holds what the annual
notebooks show: an altair chart (altair 6 writes HTML that loads vega from a CDN), a vega-lite
mimetype output (as altair 5 wrote), three national county maps, and report text holding a
``<script>`` as a polars table, as Markdown and as HTML.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import altair as alt
import nbformat
import papermill
import pytest
import vl_convert

from browser_check import INSTALL_HINT, chromium_available, render_problems
from compare.html_export import export_html

EVIDENCE = '行政诉讼案件 12 件<script>alert("evidence")</script></script>'
CODE_MARKER = "# cases by place, drawn as bars"
MAP_INDICATORS = ["disputes.litigation_cases", "disputes.reconsideration_applications", "disputes.head_appearance_rate"]
MAX_PAGE_BYTES = 5_000_000

CELLS = [
    f"""import altair as alt
import polars as pl
from IPython.display import HTML, Markdown, display

from compare import geography, maps

EVIDENCE = {EVIDENCE!r}
cases = pl.DataFrame({{"place": ["甲县", "乙县"], "cases": [12, 30], "evidence": [EVIDENCE, "无"]}})""",
    f"""{CODE_MARKER}
bars = alt.Chart(alt.Data(values=cases.to_dicts())).mark_bar().encode(x="place:N", y="cases:Q", tooltip=["evidence:N"])
bars""",
    """display({"application/vnd.vegalite.v5+json": bars.mark_point().to_dict()}, raw=True)""",
    f"""codes = geography.boundaries("county")["code"].tolist()
for step, indicator in enumerate({MAP_INDICATORS!r}, start=2):
    values = pl.DataFrame({{"code": codes[::step], "value": [float(n % 97) for n in range(len(codes[::step]))]}})
    display(maps.choropleth(values, "county", None, value_title=indicator))""",
    "cases",
    "display(Markdown(EVIDENCE))\ndisplay(HTML(f'<p>{EVIDENCE}</p>'))",
]
N_CHARTS = 5  # the bars, the mimetype chart, three maps


class _Page(HTMLParser):
    """Scripts, stylesheet links and visible text of a page, as a browser would parse them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.links: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self._open: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append((dict(attrs), ""))
        elif tag == "link":
            self.links.append(dict(attrs))
        if tag in ("script", "style"):
            self._open = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "script":
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)
        elif self._open is None:
            self.text.append(data)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html_export")
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_markdown_cell("# 对比\nCharts and report text.")]
    book.cells += [nbformat.v4.new_code_cell(source) for source in CELLS]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source, executed = folder / "source.ipynb", folder / "executed.ipynb"
    nbformat.write(book, source)
    papermill.execute_notebook(source, executed, kernel_name="python3", cwd=folder, progress_bar=False)
    return executed


def _outputs(notebook: Path) -> list[nbformat.NotebookNode]:
    return [output for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"
            for output in cell.outputs]


@pytest.fixture(scope="module")
def page_path(executed: Path) -> Path:
    return export_html(executed, executed.parent / "pages" / "executed.html")


@pytest.fixture(scope="module")
def page(page_path: Path) -> str:
    return page_path.read_text(encoding="utf-8")


def test_the_notebook_shows_altair_charts_as_cdn_loading_html(executed: Path):
    """What the export must undo: altair 6's notebook output fetches vega from jsDelivr."""
    outputs = _outputs(executed)
    html = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert sum("cdn.jsdelivr.net/npm/vega@" in text for text in html) == 4  # the bars and three maps
    assert sum("application/vnd.vegalite.v5+json" in o.get("data", {}) for o in outputs) == 1


def test_page_loads_nothing_from_the_network(page: str):
    parsed = _Page(page)
    assert all("src" not in attributes for attributes, _ in parsed.scripts)
    assert all(not str(link.get("href", "")).startswith(("http", "//")) for link in parsed.links)
    for remote in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "require.min.js", "mathjax", "unpkg.com"):
        assert remote not in page.lower()


def test_vega_bundle_inlined_once_and_every_chart_has_its_own_container(page: str):
    assert page.count(vl_convert.javascript_bundle()) == 1
    scripts = _Page(page).scripts
    assert [a.get("type") for a, _ in scripts] == ["application/json"] * (N_CHARTS + 1) + ["module", "module"]
    assert [a.get("id") for a, _ in scripts[:N_CHARTS]] == [f"compare-chart-{n}-spec" for n in range(1, N_CHARTS + 1)]
    assert page.count('<div class="compare-chart" id="compare-chart-') == N_CHARTS
    assert "altair-viz-" not in page


def test_chart_specs_keep_their_data_and_mode(page: str):
    scripts = {a.get("id"): text for a, text in _Page(page).scripts}
    bars = json.loads(scripts["compare-chart-1-spec"])
    assert bars["embed"]["mode"] == "vega-lite"
    assert bars["spec"]["mark"]["type"] == "bar"
    assert [row["evidence"] for row in bars["spec"]["data"]["values"]] == [EVIDENCE, "无"]
    mimetype = json.loads(scripts["compare-chart-2-spec"])
    assert mimetype["spec"]["mark"]["type"] == "point" and mimetype["embed"] == {"mode": "vega-lite"}
    first_map = json.loads(scripts["compare-chart-3-spec"])
    assert first_map["spec"]["title"] == f"{MAP_INDICATORS[0]} by county, China"


def _resolve(node: Any, parts: dict[str, Any]) -> Any:
    """A chart spec as the page's script rebuilds it from the stored parts."""
    if isinstance(node, list):
        return [_resolve(value, parts) for value in node]
    if not isinstance(node, dict):
        return node
    if list(node) == ["$compareShared"]:
        return _resolve(parts[node["$compareShared"]], parts)
    if list(node) == ["$compareJsonText"]:
        return json.dumps(_resolve(node["$compareJsonText"], parts))
    return {name: _resolve(value, parts) for name, value in node.items()}


def test_maps_share_their_stored_boundaries_and_rebuild_exactly(page: str, executed: Path):
    scripts = {a.get("id"): text for a, text in _Page(page).scripts}
    parts = json.loads(scripts["compare-chart-parts"])
    specs = [json.loads(scripts[f"compare-chart-{n}-spec"])["spec"] for n in range(1, N_CHARTS + 1)]
    topologies = [parts[dataset["$compareJsonText"]["$compareShared"]]
                  for spec in specs[2:] for dataset in parts[spec["datasets"]["$compareShared"]].values()]
    assert len(topologies) == 6  # places and outline of three maps
    assert len({t["arcs"]["$compareShared"] for t in topologies}) == 2  # stored once: places' and outline's
    assert len({json.dumps(t["objects"]) for t in topologies}) == 4  # three maps' values, one outline

    html = [o.data["text/html"] for o in _outputs(executed) if "text/html" in o.get("data", {})]
    map_html = [text for text in html if "geoshape" in text]
    for spec, output_html in zip(specs[2:], map_html, strict=True):
        rebuilt = _resolve(spec, parts)
        assert rebuilt["title"] in output_html
        for name, text in rebuilt["datasets"].items():
            key = f'"{name}": '
            original, _ = json.JSONDecoder().raw_decode(output_html, output_html.index(key) + len(key))
            assert json.loads(text) == json.loads(original)


def test_report_text_is_shown_escaped_and_never_as_a_script(page: str):
    parsed = _Page(page)
    assert len(parsed.scripts) == N_CHARTS + 3  # no script element came from report text
    assert not any("<script" in text or "</script" in text for _, text in parsed.scripts)
    visible = "".join(parsed.text)
    assert visible.count(EVIDENCE) == 2  # Markdown and HTML
    assert visible.count('件<script>alert("evid…') == 1  # the polars table, which shortens long strings


def test_code_hidden_unless_asked(executed: Path, page: str, tmp_path: Path):
    assert CODE_MARKER not in page
    with_code = export_html(executed, tmp_path / "with_code.html", hide_code=False).read_text(encoding="utf-8")
    assert "cases by place, drawn as bars" in with_code
    assert with_code.count(vl_convert.javascript_bundle()) == 1


def test_page_with_three_county_maps_is_under_5_mb(page_path: Path, executed: Path):
    size = page_path.stat().st_size
    print(f"page {size / 1e6:.2f} MB; executed notebook {executed.stat().st_size / 1e6:.2f} MB")
    assert 1_000_000 < size <= MAX_PAGE_BYTES


def test_written_by_rename_with_nothing_left_behind(page_path: Path, executed: Path):
    page_path.write_text("an earlier page", encoding="utf-8")
    assert export_html(executed, page_path) == page_path
    assert page_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in page_path.parent.iterdir()] == [page_path.name]


def test_a_page_that_would_fetch_a_remote_image_is_refused(tmp_path: Path):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_markdown_cell("![logo](https://example.org/logo.png)")]
    nbformat.write(book, tmp_path / "remote.ipynb")
    with pytest.raises(ValueError, match=r"remote\.ipynb: the page would load https://example\.org/logo\.png"):
        export_html(tmp_path / "remote.ipynb", tmp_path / "remote.html")
    assert not (tmp_path / "remote.html").exists()


def test_bad_input_names_the_file(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match=r"missing\.ipynb: no such notebook"):
        export_html(tmp_path / "missing.ipynb", tmp_path / "missing.html")
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.ipynb: not a readable notebook"):
        export_html(tmp_path / "broken.ipynb", tmp_path / "broken.html")


needs_chromium = pytest.mark.skipif(not chromium_available(), reason=INSTALL_HINT)


@pytest.mark.slow
@needs_chromium
def test_exported_page_draws_every_chart_offline(page_path: Path):
    assert render_problems(page_path) == []


@pytest.mark.slow
@needs_chromium
def test_checker_reports_a_chart_that_loads_vega_from_a_cdn(tmp_path: Path):
    page = tmp_path / "cdn.html"
    alt.Chart(alt.Data(values=[{"a": 1, "b": 2}])).mark_point().encode(x="a:Q", y="b:Q").save(page)
    problems = render_problems(page, timeout_seconds=5)
    assert "chart container vis has no SVG or canvas after 5 s" in problems
    assert "external request: https://cdn.jsdelivr.net/npm/vega@6" in problems
    assert any("vegaEmbed is not defined" in p for p in problems)


@pytest.mark.slow
@needs_chromium
def test_checker_reports_report_text_that_ran(tmp_path: Path):
    page = tmp_path / "unescaped.html"
    page.write_text(f"<!DOCTYPE html><html><body><p>{EVIDENCE}</p></body></html>", encoding="utf-8")
    assert render_problems(page, timeout_seconds=5) == ["the page opened a dialog: alert(evidence)"]
