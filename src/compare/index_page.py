"""``index.html`` of a year's archive: one page linking every notebook, table and figure.

Plain HTML with inline style and relative links, so the folder can be zipped and emailed and
still opens offline. Every string that comes from a run (errors, paths, parameters) is escaped.
"""

from __future__ import annotations

import json
import os
import tempfile
from html import escape
from pathlib import Path

from .outputs import readable_by_others

_STYLE = """
body{font-family:system-ui,"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
.ok{color:#1a7f37}.failed{color:#b42318;font-weight:bold}code{background:#f4f4f4;padding:0 .2em}
figure{display:inline-block;margin:.5em;max-width:300px}figure img{max-width:300px;border:1px solid #ddd}
"""


def _link(href: str, text: str | None = None) -> str:
    return f'<a href="{escape(href, quote=True)}">{escape(text or href)}</a>'


def render_index(manifest: dict) -> str:
    year = manifest["year"]
    rows = []
    for nb in manifest["notebooks"]:
        html = _link(nb["html"], "HTML") if nb.get("html") else "—"
        ipynb = _link(nb["notebook"], "notebook") if nb.get("notebook") else "—"
        error = f"<br><code>{escape(nb['error'])}</code>" if nb.get("error") else ""
        rows.append(f"<tr><td>{escape(nb['name'])}</td><td class=\"{escape(nb['status'])}\">{escape(nb['status'])}{error}</td>"
                    f"<td>{nb['seconds']:.1f} s</td><td>{html}</td><td>{ipynb}</td></tr>")
    tables = "".join(
        f"<tr><td>{escape(name)}</td><td>{' · '.join(_link('tables/' + f, f.rsplit('.', 1)[-1]) for f in files)}</td></tr>"
        for name, files in manifest["tables"].items()
    )
    figures = "".join(
        f'<figure><a href="{escape(f, quote=True)}"><img src="{escape(f, quote=True)}" alt="{escape(Path(f).stem)}"></a>'
        f"<figcaption>{escape(Path(f).name)}</figcaption></figure>"
        for f in manifest["figures"] if f.endswith(".png")
    )
    failures = "".join(f"<li><code>{escape(f)}</code></li>" for f in manifest.get("read_failures", []))
    parameters = escape(json.dumps(manifest["parameters"], ensure_ascii=False, indent=2))
    git = manifest.get("git") or {}
    commit = escape(str(git.get("commit", "not a git checkout"))) + (" (uncommitted changes)" if git.get("dirty") else "")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Rule-of-law comparison {year}</title>
<style>{_STYLE}</style></head><body>
<h1>Rule-of-law comparison {year}</h1>
<p>Status: <span class="{escape(manifest['status'])}">{escape(manifest['status'])}</span> ·
finished {escape(str(manifest['finished']))} in {manifest['seconds']:.1f} s · library commit <code>{commit}</code> ·
{_link('manifest.json')}</p>
<h2>Notebooks</h2>
<table><tr><th>notebook</th><th>status</th><th>time</th><th>report</th><th>executed</th></tr>{''.join(rows)}</table>
<h2>Tables</h2><p>Parquet and CSV for every table; the year's results also as a workbook.</p>
<table><tr><th>table</th><th>files</th></tr>{tables}</table>
<h2>Figures</h2>{figures or '<p>none</p>'}
{'<h2>Files that could not be read</h2><ul>' + failures + '</ul>' if failures else ''}
<h2>Parameters</h2><pre>{parameters}</pre>
</body></html>
"""


def write_index(folder: Path, manifest: dict) -> Path:
    """Write ``index.html`` atomically into ``folder``."""
    target = folder / "index.html"
    handle, temporary = tempfile.mkstemp(prefix=".index.", suffix=".partial", dir=folder)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(render_index(manifest))
    readable_by_others(Path(temporary))
    os.replace(temporary, target)
    return target
