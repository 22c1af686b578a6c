"""The self-contained HTML report: one file with its styles, scripts, data and figures inline.

The page embeds one copy of vega-embed with Vega-Lite and Vega (about 0.9 MB, from
vl-convert, which ships them: nothing is fetched), the Vega-Lite spec of each figure as
JSON, and draws the figures when it is opened. Making the bundle takes vl-convert about a
second, so it is made once per process. vl-convert is the optional `figures` extra:
without it the page has every table and, where the charts would be, says how to get them.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

import accord
from accord.extras import install_hint, installed
from accord.report.content import ReportContent
from accord.report.figures import Figure, build_figures
from accord.report.tables import draft_views, sources_summary, stance_rows, stats


@functools.cache
def vega_bundle() -> str:
    """vega-embed, Vega-Lite and Vega as one script, safe to inline in a <script> element."""
    import altair as alt
    import vl_convert

    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return _inline_script(vl_convert.javascript_bundle(vl_version=version))


def vega_version() -> str:
    import vl_convert

    return vl_convert.get_vega_version()


def _inline_script(code: str) -> str:
    """Script text that cannot close its <script> element early."""
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside <script type="application/json"> (no `<` at all)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("accord.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def _asset(name: str) -> str:
    return resources.files("accord.report").joinpath("templates", name).read_text("utf-8")


def render_html(content: ReportContent, figures: list[Figure] | None = None) -> str:
    """The report page as one string (without charts when the `figures` extra is absent)."""
    charts = installed("figures")
    figures = build_figures(content) if figures is None else figures
    by_id = {f.id: f for f in figures}
    focus = next((m for m in content.marks if m.code == content.focus), None)
    template = _environment().get_template("report.html.j2")
    return template.render(
        version=accord.__version__, scenario=content.scenario, summary=content.summary,
        stats=stats(content), party_names=[content.party_names[p] for p in content.parties],
        party_list=", ".join(p.name + ("" if p.name == content.party_names[p.id]
                                       else f" ({content.party_names[p.id]})")
                             for p in content.scenario.parties),
        verdict=content.verdict, figure_ids={f: True for f in by_id}, figures_by_id=by_id,
        pair_figures=[f for f in figures if f.id.startswith("pareto-")],
        marks=content.marks, focus=focus,
        stance_rows=stance_rows(content, focus) if focus else [],
        solutions_note=content.solutions_note, frontier_note=content.frontier_note,
        drafts=draft_views(content), comparison=content.comparison, forecast=content.forecast,
        sources=content.sources, sources_summary=sources_summary(content), news=content.news,
        css=_asset("report.css"), embed_js=_inline_script(_asset("embed.js")),
        specs_json=_json_for_script({f.id: f.spec for f in figures} if charts else {}),
        vega_bundle=vega_bundle() if charts else "",
        vega_version=vega_version() if charts else None,
        charts_hint=None if charts else install_hint("figures"))


def write_html(content: ReportContent, path: Path, figures: list[Figure] | None = None) -> Path:
    """Write the report page to `path` (parent folders are made); `figures` as made by
    `build_figures`, when the caller made them already."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(content, figures), encoding="utf-8")
    return path
