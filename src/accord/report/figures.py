"""The report's figures as Vega-Lite specifications, built with Vega-Altair.

One spec serves both outputs: the HTML page embeds it (Vega renders it in the browser, as
SVG, interactive) and `static.py` renders the same spec to SVG or PNG with vl-convert,
offline. Nothing is drawn by hand. Every mark that carries meaning in colour carries it in
a second channel too: a label, a shape, a dash pattern or a symbol (✕ for a red line).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import altair as alt

from accord.model.draft_ref import short_name
from accord.report.content import Mark, ReportContent
from accord.report.pairs import PairFrontier
from accord.report.tables import stance_cell

KIND_LABELS = {"draft": "draft", "solution": "bargaining solution"}
KIND_COLOURS = {"draft": "#D55E00", "solution": "#0072B2"}  # Okabe–Ito vermillion, blue
KIND_SHAPES = {"draft": "triangle-up", "solution": "diamond"}
PARTY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
                 "#F0E442"]
PARTY_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down",
                "triangle-right", "triangle-left"]
RED_LINE = "#B00020"
STATIC_WIDTH = 560
PAIR_SIZE = 240


@dataclass(frozen=True)
class Figure:
    """One figure: its id (HTML id and file name), title, text alternative and spec."""

    id: str
    title: str
    description: str
    spec: dict[str, Any]
    caption: str = ""
    """Shown under the figure in the page; the description when empty."""


def build_figures(content: ReportContent, static: bool = False) -> list[Figure]:
    """Every figure of the report; `static` gives fixed widths for SVG/PNG files."""
    width: Any = STATIC_WIDTH if static else "container"
    figures = [stance_heatmap(content, width)] if content.marks else []
    figures += [pair_chart(content, pair) for pair in content.pairs]
    if len(content.parties) >= 3:
        figures.append(parallel_chart(content, width))
    if content.drafts:
        figures.append(gains_chart(content, width))
    if content.forecast is not None:
        figures.append(forecast_chart(content, width))
    return figures


def forecast_chart(content: ReportContent, width: Any) -> Figure:
    """Each point's forecast position (diamond) and 80% interval (bar) on its 0-100 line."""
    assert content.forecast is not None
    data = Datasets()
    rows = [dict(row, point=f"{k + 1}. {row['issue']}") for k, row in
            enumerate(content.forecast.rows) if row["forecast"] is not None]
    source = data("forecast", rows)
    order = [row["point"] for row in rows]
    y = alt.Y("point:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    bars = alt.Chart(source).mark_rule(strokeWidth=3).encode(
        y=y, x=alt.X("low:Q", scale=alt.Scale(domain=[0, 100]),
                     title="position on the point's line (0 = one extreme, 100 = the other)"),
        x2="high:Q")
    marks = alt.Chart(source).mark_point(shape="diamond", filled=True, size=70).encode(
        y=y, x="forecast:Q",
        tooltip=["point:N", alt.Tooltip("forecast:Q", format=".1f"),
                 alt.Tooltip("low:Q", format=".1f"), alt.Tooltip("high:Q", format=".1f"),
                 "option:N"])
    description = (f"For each of the {len(rows)} points, the compromise model's forecast "
                   "(diamond) and its 80% interval (bar) on the 0-100 line.")
    chart = (bars + marks).properties(width=width, height=max(120, 22 * len(rows)),
                                      title="Forecast position of each point",
                                      description=description)
    return Figure("forecast", "Forecast position of each point", description,
                  _spec(chart, data))


class Datasets(dict):
    """Named inline data sets of one figure.

    Charts refer to their data by name; the rows are added to the spec's `datasets` after
    Altair has validated it, so validation checks the chart, not thousands of data rows.
    """

    def __call__(self, name: str, values: list[dict[str, Any]]) -> alt.Data:
        self[name] = values
        return alt.Data(name=name)


def _spec(chart: alt.TopLevelMixin, datasets: Datasets) -> dict[str, Any]:
    spec = chart.to_dict()  # validated against the Vega-Lite schema
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    if spec.get("width") == "container":
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    spec.setdefault("config", {}).update({
        "font": "DejaVu Sans, Liberation Sans, Arial, sans-serif",
        "view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 12},
        "title": {"fontSize": 14, "anchor": "start"}, "legend": {"labelFontSize": 11},
    })
    return spec


def _figure(figure_id: str, title: str, description: str, chart: alt.TopLevelMixin,
            datasets: Datasets, caption: str = "", subtitle: str | None = None) -> Figure:
    """`subtitle`: a Vega expression for a second line of the title."""
    heading = title if subtitle is None else alt.TitleParams(text=alt.ExprRef(
        expr=f"[{json.dumps(title, ensure_ascii=False)}, {subtitle}]"))
    chart = chart.properties(title=heading, description=description)
    return Figure(figure_id, title, description, _spec(chart, datasets), caption or description)


# The stance heat map ---------------------------------------------------------------------

def stance_records(content: ReportContent) -> list[dict[str, Any]]:
    """One cell per (package, issue, party): the party's valuation of the package's option."""
    records = []
    for mark in content.marks:
        for order, issue in enumerate(content.scenario.issues):
            option_id = mark.package.get(issue.id)
            for party in content.scenario.parties:
                cell = stance_cell(issue, party, option_id)
                records.append({**cell, "package": mark.code, "order": order,
                                "issue": f"{order + 1}. {issue.title}",
                                "party": content.party_names[party.id],
                                "red_line": "crossed" if cell["red"] else "no"})
    return records


def stance_heatmap(content: ReportContent, width: Any) -> Figure:
    data = Datasets()
    marks = content.marks
    labels = [f"{m.code}: {m.name}" for m in marks]
    choice = alt.param(name="shown", value=content.focus, bind=alt.binding_select(
        options=[m.code for m in marks], labels=[_clip(t, 70) for t in labels],
        name="Package shown: "))
    base = alt.Chart(data("stances", stance_records(content))).transform_filter(
        "datum.package === shown").encode(
        x=alt.X("party:N", sort=[content.party_names[p] for p in content.parties], title=None,
                axis=alt.Axis(orient="top", labelAngle=0, labelLimit=90)),
        y=alt.Y("issue:N", sort=alt.EncodingSortField("order"), title=None,
                axis=alt.Axis(labelLimit=_label_limit(width))),
        tooltip=[alt.Tooltip("issue:N", title="point"), alt.Tooltip("option:N", title="option"),
                 alt.Tooltip("party:N"), alt.Tooltip("value:Q", title="valuation", format=".2f"),
                 alt.Tooltip("salience:Q"), alt.Tooltip("red_line:N", title="red line")])
    cells = base.mark_rect().encode(
        color=alt.condition("datum.value === null", alt.value("#eeeeee"), alt.Color(
            "value:Q", scale=alt.Scale(domain=[0, 1], scheme="blues"),
            legend=alt.Legend(title="valuation (0 to 1)", orient="bottom",
                              gradientLength=160))),
        stroke=alt.value("white"))
    outlines = base.transform_filter("datum.red").mark_rect(
        filled=False, stroke=RED_LINE, strokeWidth=3)
    text = base.mark_text(fontSize=11).encode(
        text="text:N",
        color=alt.condition("datum.value > 0.6", alt.value("white"), alt.value("black")))
    first = next(m for m in marks if m.code == content.focus)
    chart = alt.layer(cells, outlines, text).add_params(choice).properties(
        width=width, height=22 * len(content.scenario.issues))
    names = json.dumps({m.code: _clip(f"{m.code}: {m.name}", 80) for m in marks},
                       ensure_ascii=False)
    return _figure(
        "stances", "Where each party stands on each point",
        subtitle=f"{names}[shown]",
        caption=f"Shown first: {first.code}, {first.name}. Use the menu under the chart to "
                "show another draft or a bargaining solution.", datasets=data, chart=chart,
        description=(
            f"Heat map of {len(content.scenario.issues)} points (rows) by "
            f"{len(content.parties)} parties (columns): each cell is the party's valuation, "
            f"from 0 to 1, of the option the chosen package takes on that point, written in "
            f"the cell; ✕ marks a red line the package crosses. Shown first: {first.code}, "
            f"{first.name}."))


# Pairwise frontiers ----------------------------------------------------------------------

def _grouped(marks: list[Mark], a: str, b: str, tolerance: float) -> list[dict[str, Any]]:
    """One label per cluster: marks within `tolerance` of a cluster's first mark share its
    label (`N, wN, KS`), so that labels of nearby marks do not print over each other."""
    groups: list[tuple[float, float, list[str]]] = []
    for mark in marks:
        x, y = mark.mid(a), mark.mid(b)
        near = next((g for g in groups if max(abs(g[0] - x), abs(g[1] - y)) <= tolerance), None)
        if near is None:
            groups.append((x, y, [mark.code]))
        else:
            near[2].append(mark.code)
    return [{"x": x, "y": y, "label": ", ".join(codes)} for x, y, codes in groups]


def _mark_records(marks: list[Mark], a: str, b: str) -> list[dict[str, Any]]:
    return [{"code": m.code, "name": m.name, "kind": KIND_LABELS[m.kind],
             "x": m.mid(a), "y": m.mid(b), "x_low": m.low[a], "x_high": m.high[a],
             "y_low": m.low[b], "y_high": m.high[b],
             "partial": "partial text: a range over its open points" if not m.complete else ""}
            for m in marks]


def _kind_encoding() -> dict[str, Any]:
    domain = [KIND_LABELS["draft"], KIND_LABELS["solution"]]
    return {
        "color": alt.Color("kind:N", scale=alt.Scale(domain=domain, range=[
            KIND_COLOURS["draft"], KIND_COLOURS["solution"]]), legend=alt.Legend(
            title=None, orient="bottom")),
        "shape": alt.Shape("kind:N", scale=alt.Scale(domain=domain, range=[
            KIND_SHAPES["draft"], KIND_SHAPES["solution"]]), legend=alt.Legend(
            title=None, orient="bottom")),
    }


def pair_chart(content: ReportContent, pair: PairFrontier) -> Figure:
    data = Datasets()
    a, b = pair.a, pair.b
    name_a, name_b = content.party_names[a], content.party_names[b]
    x_title, y_title = f"{name_a} (utility)", f"{name_b} (utility)"
    values = [v for point in pair.points for v in point] + [
        content.reservation[a], content.reservation[b]] + [
        v for m in content.marks for v in (m.low[a], m.high[a], m.low[b], m.high[b])]
    low, high = min(values) - 0.02, max(values) + 0.02
    scale = alt.Scale(domain=[low, high], nice=False, zero=False)
    x = alt.X("x:Q", scale=scale, title=x_title)
    y = alt.Y("y:Q", scale=scale, title=y_title)
    frontier = alt.Chart(data("frontier", [{"x": px, "y": py} for px, py in pair.points]))
    curve = frontier.mark_line(color="#777777", strokeWidth=1.5, interpolate="step-after",
                               point=alt.OverlayMarkDef(color="#777777", size=10)).encode(
        x=x, y=y, order="x:Q", tooltip=[alt.Tooltip("x:Q", title=name_a, format=".3f"),
                                         alt.Tooltip("y:Q", title=name_b, format=".3f")])
    reservations = alt.Chart(data("reservation", [{
        "x": content.reservation[a], "y": content.reservation[b]}]))
    rules = (reservations.mark_rule(strokeDash=[4, 3], color="#333333").encode(x=x)
             + reservations.mark_rule(strokeDash=[4, 3], color="#333333").encode(y=y))
    records = alt.Chart(data("marks", _mark_records(content.marks, a, b)))
    partial = records.transform_filter("datum.partial").mark_rule(
        color=KIND_COLOURS["draft"], opacity=0.35, strokeWidth=1)
    ranges = (partial.encode(x="x_low:Q", x2="x_high:Q", y=y)
              + partial.encode(y="y_low:Q", y2="y_high:Q", x=x))
    points = records.mark_point(size=110, filled=True, opacity=0.9, stroke="white",
                                strokeWidth=0.8).encode(
        x=x, y=y, **_kind_encoding(),
        tooltip=[alt.Tooltip("code:N", title="mark"), alt.Tooltip("name:N"),
                 alt.Tooltip("kind:N"), alt.Tooltip("x:Q", title=name_a, format=".3f"),
                 alt.Tooltip("y:Q", title=name_b, format=".3f"), alt.Tooltip("partial:N")])
    groups = _grouped(content.marks, a, b, 0.04 * (high - low))
    labels = alt.Chart(data("labels", groups)).mark_text(
        align="left", dx=7, dy=-7, fontSize=11, fontWeight="bold", color="#222222").encode(
        x=x, y=y, text="label:N")
    chart = alt.layer(curve, rules, ranges, points, labels).properties(
        width=PAIR_SIZE, height=PAIR_SIZE)
    shown = _shown(pair)
    return _figure(
        f"pareto-{a}-{b}", f"{name_a} × {name_b}",
        f"Pareto frontier of {name_a} (x) and {name_b} (y) counted alone: {shown} as a grey "
        f"staircase; dashed lines at each one's reservation value; drafts as triangles and "
        f"bargaining solutions as diamonds, each labelled with its code.", chart, data,
        caption=f"{name_a} (x) and {name_b} (y) alone: {shown}.")


def _shown(pair: PairFrontier) -> str:
    if not pair.complete:
        return "their frontier was too large to compute exactly and is not drawn"
    if len(pair.points) < pair.size:
        return f"{len(pair.points)} of the {pair.size:,} Pareto-optimal utility pairs drawn"
    return f"all {pair.size:,} Pareto-optimal utility pairs drawn"


# Parallel coordinates --------------------------------------------------------------------

def _spread(values: list[float], gap: float) -> list[float]:
    """Label positions near `values` (in the same order) at least `gap` apart."""
    order = sorted(range(len(values)), key=values.__getitem__)
    placed: list[float] = [0.0] * len(values)
    last = -float("inf")
    for k in order:
        placed[k] = max(values[k], last + gap)
        last = placed[k]
    return placed


def parallel_records(content: ReportContent) -> tuple[list[dict], list[dict]]:
    """Long-form rows (line, party, share) for the frontier sample and the marks; labels."""
    rows = []
    for k, line in enumerate(content.frontier_lines):
        rows += [{"line": f"f{k}", "kind": "Pareto-optimal package", "code": "",
                  "party": content.party_names[p], "share": s} for p, s in line.items()]
    for mark in content.marks:
        rows += [{"line": mark.code, "kind": KIND_LABELS[mark.kind], "code": mark.code,
                  "name": mark.name, "party": content.party_names[p],
                  "share": round(mark.share[p], 4)} for p in content.parties]
    last = content.parties[-1]
    groups: dict[float, list[str]] = {}
    for mark in content.marks:
        groups.setdefault(round(mark.share[last], 3), []).append(mark.code)
    heights = list(groups)
    labels = [{"party": content.party_names[last], "share": y, "label": ", ".join(codes)}
              for y, codes in zip(_spread(heights, 0.045), groups.values())]
    return rows, labels


def parallel_chart(content: ReportContent, width: Any) -> Figure:
    data = Datasets()
    rows, labels = parallel_records(content)
    order = [content.party_names[p] for p in content.parties]
    x = alt.X("party:N", sort=order, title=None, scale=alt.Scale(padding=0.1),
              axis=alt.Axis(labelAngle=0, grid=True, gridColor="#bbbbbb", domain=False))
    y = alt.Y("share:Q", scale=alt.Scale(domain=[0, 1]),
              title="share of the party's range (0 = its worst, 1 = its best)")
    lines_data = alt.Chart(data("lines", rows))
    frontier = lines_data.transform_filter("datum.code === ''").mark_line(
        color="#999999", strokeWidth=1, opacity=0.3).encode(x=x, y=y, detail="line:N")
    kinds = _kind_encoding()
    dash = alt.StrokeDash("kind:N", scale=alt.Scale(
        domain=[KIND_LABELS["draft"], KIND_LABELS["solution"]], range=[[6, 3], [1, 0]]),
        legend=alt.Legend(title=None, orient="bottom"))
    marked = lines_data.transform_filter("datum.code !== ''")
    lines = marked.mark_line(strokeWidth=2, opacity=0.85).encode(
        x=x, y=y, detail="line:N", color=kinds["color"], strokeDash=dash)
    points = marked.mark_point(size=60, filled=True).encode(
        x=x, y=y, color=kinds["color"], shape=kinds["shape"],
        tooltip=[alt.Tooltip("code:N", title="mark"), alt.Tooltip("name:N"),
                 alt.Tooltip("party:N"), alt.Tooltip("share:Q", format=".2f")])
    reservations = alt.Chart(data("reservations", [
        {"party": content.party_names[p],
         "share": (content.reservation[p] - content.worst[p])
         / max(content.best[p] - content.worst[p], 1e-12)} for p in content.parties]))
    ticks = reservations.mark_tick(color="black", thickness=3, size=26).encode(
        x=x, y=y, tooltip=[alt.Tooltip("party:N"),
                           alt.Tooltip("share:Q", title="reservation", format=".2f")])
    text = alt.Chart(data("labels", labels)).mark_text(
        align="left", dx=10, fontSize=11, fontWeight="bold").encode(x=x, y=y, text="label:N")
    chart = alt.layer(frontier, lines, points, ticks, text).properties(width=width, height=320)
    sample = (f" and {len(content.frontier_lines)} Pareto-optimal packages of all the parties "
              "(thin grey lines)") if content.frontier_lines else ""
    return _figure(
        "parallel", "All parties at once: drafts and solutions",
        f"Parallel coordinates: one vertical axis per party, each from its worst (0) to its "
        f"best (1) package; one line per draft (dashed, triangles) and per bargaining solution "
        f"(solid, diamonds){sample}; black ticks mark each party's reservation value. Codes "
        f"at the right end name the lines.", chart, data)


# Who gains from each draft ---------------------------------------------------------------

def gains_chart(content: ReportContent, width: Any) -> Figure:
    data = Datasets()
    rows = []
    for mark in content.drafts:
        crossed = len(mark.detail["red_lines_crossed"])
        label = f"{mark.code}{f' ✕{crossed}' if crossed else ''} " + _clip(
            short_name(mark.detail["id"]), 26)
        for p in content.parties:
            r = content.reservation[p]
            rows.append({"draft": label, "party": content.party_names[p],
                         "gain": round(mark.mid(p) - r, 4), "low": round(mark.low[p] - r, 4),
                         "high": round(mark.high[p] - r, 4)})
    names = [content.party_names[p] for p in content.parties]
    legend = alt.Legend(title=None, orient="bottom", columns=_legend_columns(width, len(names)))
    colour = alt.Color("party:N", scale=alt.Scale(domain=names, range=PARTY_COLOURS[:len(names)]),
                       legend=legend)
    y = alt.Y("draft:N", sort=None, title=None, axis=alt.Axis(labelLimit=_label_limit(width)))
    base = alt.Chart(data("gains", rows))
    zero = alt.Chart(data("zero", [{"gain": 0}])).mark_rule(
        color="black", strokeDash=[4, 3]).encode(x="gain:Q")
    bars = base.mark_rule(strokeWidth=2).encode(
        x="low:Q", x2="high:Q", y=y, yOffset=alt.YOffset("party:N", sort=names),
        color=colour)
    points = base.mark_point(size=70, filled=True).encode(
        x=alt.X("gain:Q", title="gain over no deal"),
        y=y, yOffset=alt.YOffset("party:N", sort=names),
        color=colour,
        shape=alt.Shape("party:N", scale=alt.Scale(domain=names,
                                                   range=PARTY_SHAPES[:len(names)]),
                        legend=legend),
        tooltip=[alt.Tooltip("draft:N"), alt.Tooltip("party:N"),
                 alt.Tooltip("gain:Q", format="+.3f"), alt.Tooltip("low:Q", format="+.3f"),
                 alt.Tooltip("high:Q", format="+.3f")])
    chart = alt.layer(zero, bars, points).properties(
        width=width, height=len(content.drafts) * (12 * len(names) + 6))
    return _figure(
        "drafts", "Who gains from each draft",
        "For each draft (rows; ✕n: it crosses n red lines), each party's gain over no deal "
        "(its utility minus its "
        "reservation value), one symbol per party; right of the dashed line the party is "
        "better off than with no deal; a bar shows the range over points a partial text "
        "leaves open.", chart, data)


def _label_limit(width: Any) -> Any:
    """Room for row labels: less on a phone-width page, where the cells need it."""
    if width == "container":
        return alt.ExprRef(expr="containerSize()[0] < 520 ? 120 : 250")
    return 250


def _legend_columns(width: Any, entries: int) -> Any:
    """Legend entries per row: fewer on a phone-width page."""
    if width == "container":
        return alt.ExprRef(expr=f"containerSize()[0] < 520 ? 2 : {entries}")
    return entries


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
