"""Executed notebooks as single HTML pages that work offline, for sharing with readers.

Readers are often where jsDelivr and other CDNs cannot be reached (much of mainland China); a page
that loads vega, require.js or MathJax from a CDN then shows blank charts. So a page carries all it
needs: vega, vega-lite and vega-embed from vl-convert's bundle, once per page, and each chart's
spec in its own container, drawn by a small script. Nothing is fetched from the network (so
formulas in Markdown show as written: MathJax is not bundled).

Charts are found in the outputs altair writes (altair 6 writes HTML that loads vega from a CDN; the
spec is taken out of it) and in vega / vega-lite mimetype outputs. Large parts shared by several
charts, such as the arcs of the county boundaries under each map, are stored once per page, which
keeps a page with three national county maps under 5 MB.

Every other HTML or Markdown output is sanitized (nbconvert's bleach allow-list; ``<style>``
blocks dropped): text from reports, an evidence string holding ``<script>``, shows as text and
never runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.preprocessors.sanitize import SanitizeHTML

# The vega and vega-lite mimetypes of altair 4-6 and vega-embed (``+json`` or altair 6's ``.json``).
_VEGA_MIMETYPE = re.compile(r"^application/vnd\.vega(?P<lite>lite)?\.v\d+(?:\.\d+)*(?:\+json|\.json)$")
# Where the spec starts in altair's HTML templates: ``})(spec, embedOpt)`` (universal, olli) or
# ``var spec = …`` (standard) / ``const spec = …`` (inline).
_ALTAIR_SPEC_START = re.compile(r"\}\)\(\s*|\b(?:var|const) spec = ")
_ALTAIR_EMBED_START = re.compile(r"\s*(?:,|;\s*(?:var|const) embedOpt =)\s*")
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.IGNORECASE | re.DOTALL)
# Elements whose src/href the browser fetches while loading the page.
_FETCHED_REFERENCE = re.compile(
    r"<(?:script|link|img|iframe|source|audio|video|embed|object)\b[^>]*?\b(?:src|href|data)\s*=\s*[\"']?"
    r"((?:https?:)?//[^\"'\s>]+)", re.IGNORECASE)

# JSON parts of charts at least this long (characters) are stored once per page and referenced.
SHARED_PART_MIN_CHARS = 32_768
_SHARED = "$compareShared"  # {"$compareShared": key}: the page's stored part ``key``
_JSON_TEXT = "$compareJsonText"  # {"$compareJsonText": value}: the string JSON.stringify(value)

_ALLOWED_TAGS = [
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "ol",
    "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
]
_ALLOWED_ATTRIBUTES = {
    "*": ["class", "title", "lang", "dir"],
    "a": ["href", "title"],
    "table": ["border"],
    "td": ["colspan", "rowspan", "align"],
    "th": ["colspan", "rowspan", "align"],
    "col": ["span"],
    "colgroup": ["span"],
}

_PAGE_CSS = """
.dataframe > thead > tr, .dataframe > tbody > tr { text-align: right; white-space: pre-wrap; }
.compare-chart { margin: 0.5em 0; }
.compare-chart-error { color: #b42318; }
"""

# Draws every chart container from its spec; a chart that fails says so in its place and in the console.
_RENDER_SCRIPT = """
const shared = JSON.parse(document.getElementById("compare-chart-parts").textContent);
function resolve(node) {
  if (Array.isArray(node)) return node.map(resolve);
  if (node === null || typeof node !== "object") return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === "%(shared)s") return resolve(shared[node["%(shared)s"]]);
  if (keys.length === 1 && keys[0] === "%(json_text)s") return JSON.stringify(resolve(node["%(json_text)s"]));
  const copy = {};
  for (const key of keys) copy[key] = resolve(node[key]);
  return copy;
}
for (const container of document.querySelectorAll("div.compare-chart")) {
  const chart = JSON.parse(document.getElementById(container.id + "-spec").textContent);
  vegaEmbed(container, resolve(chart.spec), chart.embed).catch((error) => {
    container.classList.add("compare-chart-error");
    container.textContent = "This chart could not be drawn: " + error;
    console.error("chart " + container.id + ":", error);
  });
}
""" % {"shared": _SHARED, "json_text": _JSON_TEXT}

_TEMPLATE_NAME = "compare_offline.html.j2"
# JupyterLab's page without what it would load from CDNs: require.js, MathJax, mermaid, widgets.
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}<style type="text/css">{{ resources.offline_css }}</style>{%- endblock extra_css -%}
{%- block body_footer -%}
{{ resources.offline_scripts }}
{{ super() }}
{%- endblock body_footer -%}
"""


@dataclass(frozen=True)
class _Chart:
    spec: dict[str, Any]
    embed: dict[str, Any]  # vega-embed options; ``mode`` is vega-lite or vega


def export_html(notebook: Path, html: Path, *, hide_code: bool = True) -> Path:
    """Write the executed ``notebook`` as one self-contained page at ``html``; returns ``html``.

    ``hide_code`` leaves code cells out (readers see outputs and text). The file is written to a
    temporary name beside ``html`` and renamed, so a reader never opens a half-written page.
    """
    notebook, html = Path(notebook), Path(html)
    try:
        book = nbformat.read(notebook, as_version=4)
    except FileNotFoundError:
        raise FileNotFoundError(f"{notebook}: no such notebook to export") from None
    except ValueError as exc:  # not JSON, or not a notebook
        raise ValueError(f"{notebook}: not a readable notebook: {exc}") from exc

    parts = _SharedParts()
    charts = _take_charts(book, parts)
    scripts = _chart_scripts(parts) if charts else ""
    exporter = HTMLExporter(
        extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        template_file=_TEMPLATE_NAME,
        exclude_input=hide_code,
        exclude_input_prompt=hide_code,
        exclude_output_prompt=hide_code,
        embed_images=True,
    )
    resources = {
        "metadata": {"name": notebook.stem, "path": str(notebook.parent)},
        "offline_css": _PAGE_CSS,
        "offline_scripts": scripts,
    }
    page, _ = exporter.from_notebook_node(book, resources=resources)
    fetched = _FETCHED_REFERENCE.findall(page.replace(scripts, "") if scripts else page)
    if fetched:
        raise ValueError(f"{notebook}: the page would load {fetched[0]} from the network "
                         f"({len(fetched)} such reference(s)); shared pages must work offline")

    html.parent.mkdir(parents=True, exist_ok=True)
    temporary = html.with_name(f".{html.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(page, encoding="utf-8")
        os.replace(temporary, html)
    finally:
        temporary.unlink(missing_ok=True)
    return html


def _take_charts(book: nbformat.NotebookNode, parts: _SharedParts) -> int:
    """Turn chart outputs into containers with their specs; sanitize every other output."""
    sanitizer = SanitizeHTML(tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, strip=False)
    count = 0
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if output.output_type not in ("display_data", "execute_result"):
                continue  # stream and error text is escaped by nbconvert
            chart = _chart_of(output.data)
            if chart is None:
                if "text/html" in output.data:
                    output.data["text/html"] = _STYLE_BLOCK.sub("", output.data["text/html"])
                sanitizer.sanitize_code_outputs([output])
                continue
            count += 1
            output.data = nbformat.from_dict({"text/html": _container(f"compare-chart-{count}", chart, parts)})
            output.metadata = nbformat.from_dict({})
    return count


def _chart_of(data: dict[str, Any]) -> _Chart | None:
    """The chart an output shows, from a vega mimetype or from altair's HTML; None if it is no chart."""
    for mimetype, value in data.items():
        match = _VEGA_MIMETYPE.match(mimetype)
        if match:
            spec = json.loads(value) if isinstance(value, str) else dict(value)
            return _Chart(spec, {"mode": "vega-lite" if match["lite"] else "vega"})
    html = data.get("text/html")
    if isinstance(html, str) and "vegaEmbed" in html:
        return _altair_chart(html)
    return None


def _altair_chart(html: str) -> _Chart | None:
    """The spec and embed options written into one of altair's HTML templates."""
    decoder = json.JSONDecoder()
    for start in _ALTAIR_SPEC_START.finditer(html):
        try:
            spec, end = decoder.raw_decode(html, start.end())
        except json.JSONDecodeError:
            continue
        schema = spec.get("$schema", "") if isinstance(spec, dict) else ""
        if "vega.github.io/schema/" not in schema:
            continue
        embed: dict[str, Any] = {}
        separator = _ALTAIR_EMBED_START.match(html, end)
        if separator:
            options, _ = decoder.raw_decode(html, separator.end())
            embed = dict(options)
        embed.setdefault("mode", "vega-lite" if "/schema/vega-lite/" in schema else "vega")
        return _Chart(spec, embed)
    return None


class _SharedParts:
    """Large JSON parts of a page's charts, each stored once and referenced from the specs.

    Strings holding JSON (the TopoJSON of the maps) are parsed so that their parts can be shared;
    the page turns them back into strings before drawing.
    """

    def __init__(self) -> None:
        self.parts: dict[str, Any] = {}

    def hoist(self, node: Any) -> Any:
        if isinstance(node, str):
            if len(node) < SHARED_PART_MIN_CHARS or node[:1] not in "{[":
                return node
            try:
                parsed = json.loads(node)
            except json.JSONDecodeError:
                return node
            return {_JSON_TEXT: self.hoist(parsed)}
        if not isinstance(node, (dict, list)):
            return node
        text = _compact_json(node)
        if len(text) < SHARED_PART_MIN_CHARS:
            return node
        key = hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]
        if key not in self.parts:
            self.parts[key] = ({name: self.hoist(value) for name, value in node.items()} if isinstance(node, dict)
                               else [self.hoist(value) for value in node])
        return {_SHARED: key}


def _container(chart_id: str, chart: _Chart, parts: _SharedParts) -> str:
    spec = {name: parts.hoist(value) for name, value in chart.spec.items()}
    payload = _script_json({"spec": spec, "embed": chart.embed})
    return (f'<div class="compare-chart" id="{chart_id}"></div>\n'
            f'<script type="application/json" id="{chart_id}-spec">{payload}</script>')


def _chart_scripts(parts: _SharedParts) -> str:
    """The page's shared chart parts, the vega bundle and the drawing script, at the end of the body."""
    return (f'<script type="application/json" id="compare-chart-parts">{_script_json(parts.parts)}</script>\n'
            f'<script type="module">{_vega_bundle()}</script>\n'
            f'<script type="module">{_RENDER_SCRIPT}</script>')


def _bundle_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "compare"


@cache
def _vega_bundle() -> str:
    """vega, vega-lite and vega-embed in one script that sets ``window.vegaEmbed`` (from vl-convert).

    Bundling takes over a second, so the bundle is kept per vl-convert version in the user's cache
    folder; when that folder cannot be written, it is simply rebuilt next time.
    """
    import vl_convert

    cached = _bundle_cache_dir() / f"vega-bundle-vl-convert-{vl_convert.__version__}.js"
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle()
    if "</script" in bundle.lower():
        raise ValueError(f"vl-convert {vl_convert.__version__}'s JavaScript bundle contains '</script' "
                         "and cannot be inlined in a page")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f".{cached.name}.{os.getpid()}.partial")
        partial.write_text(bundle, encoding="utf-8")
        os.replace(partial, cached)
    except OSError:
        pass
    return bundle


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _script_json(value: Any) -> str:
    """JSON to place inside a ``<script>`` element: no ``<``, ``>`` or ``&`` can end or open a tag."""
    return _compact_json(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
