"""The report as a Markdown summary: the verdict and the tables, without the charts."""

from __future__ import annotations

from pathlib import Path

from accord.report.content import ReportContent
from accord.report.tables import draft_views, sources_summary, stance_rows, stats


class _Markup(str):
    """Markdown this module wrote itself (a link): a cell keeps it as it is."""


def _escaped(text: object) -> str:
    """Text as text: no raw HTML (Markdown renders HTML tags, so a source's `<script>`
    must arrive as characters)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell: one line, no cell break, no raw HTML."""
    text = " ".join((text if isinstance(text, _Markup) else _escaped(text)).split())
    return text.replace("|", "\\|")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


def _link(text: str, url: str | None) -> str:
    if not url:
        return text
    label = _escaped(text).replace("[", "\\[").replace("]", "\\]")
    return _Markup(f"[{label}](<{_escaped(url)}>)")


def render_markdown(content: ReportContent) -> str:
    """The Markdown summary of a report."""
    s = stats(content)
    lines = [f"# {_escaped(content.scenario.title)}", "",
             f"{s['issues']} points · {s['parties']} parties · {s['drafts']} drafts · "
             f"{s['packages']} possible packages"
             + (f" · as of {content.scenario.as_of}" if content.scenario.as_of else ""), "",
             "## Verdict", "", _escaped(content.verdict), ""]
    lines += _stances(content) + _solutions(content) + _drafts(content)
    lines += _comparison(content) + _forecast(content) + _news(content) + _sources(content)
    return "\n".join(lines).rstrip() + "\n"


def _stances(content: ReportContent) -> list[str]:
    focus = next((m for m in content.marks if m.code == content.focus), None)
    if focus is None:
        return []
    names = [content.party_names[p] for p in content.parties]
    rows = [[row["issue"], row["option"], *[c["text"] for c in row["cells"]]]
            for row in stance_rows(content, focus)]
    return [f"## Where each party stands on {focus.code}: {_escaped(focus.name)}", "",
            "Each party's valuation (0 to 1) of the option taken on each point; "
            "✕ = a red line crossed; — = no weight; open = the text is silent.", "",
            *_table(["Point", "Option", *names], rows), ""]


def _solutions(content: ReportContent) -> list[str]:
    names = [content.party_names[p] for p in content.parties]
    rows = [[m.code, m.name, *[f"{m.low[p]:.2f} ({m.low[p] - content.reservation[p]:+.2f})"
                               for p in content.parties]] for m in content.solutions]
    pairs = [_escaped(f"{content.party_names[f.a]} × {content.party_names[f.b]}: {f.size:,}")
             for f in content.pairs if f.complete]
    out = ["## Pareto frontiers and fair packages", "", content.frontier_note, ""]
    if pairs:
        out += ["Exact two-party frontiers (Pareto-optimal utility pairs): "
                + "; ".join(pairs) + ".", ""]
    if rows:
        out += [content.solutions_note, "",
                *_table(["Code", "Solution", *names], rows), "",
                "Utilities; in brackets the gain over the party's reservation value.", ""]
    return out


def _drafts(content: ReportContent) -> list[str]:
    out = ["## The drafts", ""] if content.drafts else []
    for view in draft_views(content):
        out += [f"### {view.code}: {view.title}", "", view.meta, "",
                *_table(["Party", "Utility", "Gain over no deal", "Share of its range"],
                        [[r["party"], r["utility"], r["gain"], r["share"]] for r in view.rows]),
                "", view.verdict, ""]
        out += [f"Red lines crossed ({len(view.red_lines)}):", "",
                *[f"- ✕ {text}" for text in view.red_lines], ""] if view.red_lines \
            else ["Crosses no red line.", ""]
    return out


def _comparison(content: ReportContent) -> list[str]:
    comparison = content.comparison
    if comparison is None:
        return []
    return [f"## What is new: {comparison.title}", "", comparison.note, "",
            *_table(list(comparison.columns), [list(r) for r in comparison.rows]), ""]


def _forecast(content: ReportContent) -> list[str]:
    forecast = content.forecast
    if forecast is None:
        return []
    rows = [[row["issue"], row["note"], "", "", ""] if row["forecast"] is None else
            [row["issue"], f"{row['forecast']:.1f}", f"{row['low']:.1f}–{row['high']:.1f}",
             row["option"], "" if row["probability"] is None else f"{row['probability']:.0%}"]
            for row in forecast.rows]
    return [f"## Forecast ({forecast.model} model, {forecast.samples} samples)", "",
            f"80% intervals: {forecast.interval_text}. {forecast.zone_text}".rstrip(), "",
            *_table(["Point", "Forecast", "80% interval", "Most likely option", "Probability"],
                    rows), ""]


def _news(content: ReportContent) -> list[str]:
    if not content.news:
        return []
    rows = [[r.party, r.issue, r.speaker, r.outlets, r.date, r.certainty, r.sentence]
            for r in content.news]
    return ["## What the sources say", "", "Claims read from news articles (`accord evidence "
            "--update`), kept as evidence on the positions they bear on; they changed no "
            "number.", "", *_table(["Party", "Point", "Speaker", "Outlets", "Date",
                                    "Certainty", "What it says"], rows), ""]


def _sources(content: ReportContent) -> list[str]:
    rows = [[r.party, r.issue, r.position_certainty,
             _link(r.outlet, r.url) if r.outlet else "no source given", r.date or "",
             r.certainty or "", r.paraphrase or ""] for r in content.sources]
    return ["## Sources behind every position", "", sources_summary(content), "",
            *_table(["Party", "Point", "Estimate", "Source", "Date", "Certainty",
                     "What it says"], rows)]


def write_markdown(content: ReportContent, path: Path) -> Path:
    """Write the Markdown summary to `path` (parent folders are made)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_markdown(content), encoding="utf-8")
    return path
