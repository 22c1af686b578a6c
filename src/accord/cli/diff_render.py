"""Rich rendering of plan comparisons: a diff grouped by topic, a chain of revisions, and
where each point of a plan first appeared.

Tables use the console's width (`accord.cli.layout.fitted_table`): point texts are shown
whole, numbers and names are never cut; when a table cannot fit, each entry becomes a
short block of lines instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from accord.cli.layout import Column, fitted_table
from accord.compare.classify import STATUSES
from accord.compare.diff import Entry, PlanDiff
from accord.compare.export import entry_refs
from accord.compare.history import Origin
from accord.compare.shift import UtilityShift
from accord.model.draft_ref import short_name
from accord.model.plan import AnnotatedPoint, Plan

STYLES = {"carried-over": "dim", "moved": "cyan", "modified": "yellow", "bracketed": "magenta",
          "moved-out": "blue", "dropped": "red", "not-mentioned": "dim", "new": "green"}
TEXT = 24
"""The narrowest a column of point texts may be before the table becomes a list."""
DIFF_TABLE = {"box": box.SIMPLE_HEAD, "pad_edge": False}


def _name(plan: Plan) -> str:
    return f"[bold]{escape(plan.id)}[/]" + (f" ({plan.date})" if plan.date else "")


def _status(status: str) -> str:
    return f"[{STYLES[status]}]{status.replace('-', ' ')}[/]"


def _status_text(status: str) -> Text:
    return Text(status.replace("-", " "), style=STYLES[status])


def _numbers(points: Sequence[AnnotatedPoint]) -> str:
    return ", ".join(f"#{p.n}" for p in points) or "—"


def counts_line(diff: PlanDiff) -> str:
    """`11 carried over · 15 modified · 2 dropped`."""
    counts = diff.counts()
    return " · ".join(f"{counts[s]} {_status(s)}" for s in STATUSES if counts[s])


def render_diff(console: Console, diff: PlanDiff, shift: UtilityShift | None = None) -> None:
    """The header, the counts, the entries grouped by topic and the net effect."""
    console.print(f"{_name(diff.a)} → {_name(diff.b)}: {len(diff.a.points)} → "
                  f"{len(diff.b.points)} points")
    console.print(counts_line(diff) + f"  [dim](encoder {escape(diff.encoder)})[/]")
    if diff.changes_only:
        console.print(f"[dim]{escape(diff.b.id)} lists reported changes only: points it does "
                      "not mention are shown as not mentioned, not dropped.[/]")
    console.print(_diff_entries(diff, shift, console.width))
    if shift is not None:
        console.print(_net_table(shift, console.width))


def _diff_entries(diff: PlanDiff, shift: UtilityShift | None, width: int) -> RenderableType:
    """The entries as a table (A → B, status, point, what changed[, moves towards]), or
    as blocks of lines when the table cannot fit in `width`."""
    columns = [Column("A → B"), Column("status"), Column("point", "prose", least=TEXT),
               Column("what changed", "prose", least=TEXT)]
    if shift is not None:
        columns.append(Column("moves towards", "prose", least=TEXT))
    rows: list[list[str | Text]] = []
    ends: list[int] = []
    for topic, entries in diff.by_topic().items():
        rows.append(["", "", Text(topic, style="bold underline")] + [""] * (len(columns) - 3))
        for entry in entries:
            row: list[str | Text] = [_arrow(entry), _status_text(entry.status),
                                     _point_text(entry), _what_changed(entry)]
            if shift is not None:
                row.append(_towards_cell(_towards(shift, entry, diff)))
            rows.append(row)
        ends.append(len(rows) - 1)
    table = fitted_table(width, columns, rows, ends, **DIFF_TABLE)
    if table is not None:
        return table
    blocks: list[RenderableType] = []
    for topic, entries in diff.by_topic().items():
        blocks.append(Text("\n" + topic, style="bold underline"))
        for entry in entries:
            lines = [Text.assemble(_point_text(entry))]
            if changed := _what_changed(entry):
                lines.append(Text.assemble(("changed: ", "dim"), changed))
            if shift is not None and (moves := _towards(shift, entry, diff)):
                lines += _towards_lines(moves)
            blocks.append(Text.assemble(_arrow(entry), "  ", _status_text(entry.status)))
            blocks.append(Padding(Group(*lines), (0, 0, 0, 4)))
    return Group(*blocks)


def _arrow(entry: Entry) -> str:
    return f"{_numbers(entry.a)} → {_numbers([entry.b] if entry.b else [])}"


def _point_text(entry: Entry) -> str:
    point = entry.b if entry.b is not None else entry.a[0]
    return point.text


def _what_changed(entry: Entry) -> str:
    """Figures, names, qualifiers and notes of a modified point; how it relates."""
    if entry.status == "moved":
        return "same text, other place"
    if entry.status != "modified" or entry.changes is None:
        return ""
    parts = entry.changes.reasons()
    if entry.relation == "split":
        parts.insert(0, "one of several pieces of A's point")
    elif entry.relation == "merge":
        parts.insert(0, f"merges {len(entry.a)} points of A")
    if entry.moved:
        parts.append("and moved")
    return "; ".join(parts[:5])


def _towards(shift: UtilityShift, entry: Entry, diff: PlanDiff) -> tuple[str, str, str] | None:
    """The parties a changed point moves towards and away from (sums of the midpoints of
    the utility changes on the issues citing the point), and those issues; None when the
    point is carried over or cites no issue."""
    if entry.status == "carried-over":
        return None
    issues = shift.for_points(entry_refs(entry, diff.a.id, diff.b.id))
    gains: dict[str, float] = {}
    for issue in issues:
        for party, (low, high) in issue.gains.items():
            gains[party] = gains.get(party, 0.0) + (low + high) / 2
    up = sorted(((g, p) for p, g in gains.items() if g >= 5e-4), reverse=True)
    down = sorted((g, p) for p, g in gains.items() if g <= -5e-4)
    found = (", ".join(f"{p} {g:+.3f}" for g, p in up), ", ".join(f"{p} {g:+.3f}" for g, p in down),
             ", ".join(i.issue for i in issues))
    return found if any(found) else None


def _towards_cell(moves: tuple[str, str, str] | None) -> Text:
    if moves is None:
        return Text("")
    up, down, issues = moves
    lines = ([Text(up)] if up else []) + ([Text.assemble(("away from ", "dim"), down)]
                                          if down else [])
    return Text("\n").join(lines + ([Text(issues, style="dim")] if issues else []))


def _towards_lines(moves: tuple[str, str, str]) -> list[Text]:
    up, down, issues = moves
    parts = ([Text(up)] if up else []) + ([Text.assemble(("away from ", "dim"), down)]
                                          if down else [])
    lines = [Text.assemble(("moves towards: ", "dim"), Text("; ").join(parts))] if parts else []
    return lines + ([Text.assemble(("issues: ", "dim"), issues)] if issues else [])


def _net_table(shift: UtilityShift, width: int) -> RenderableType:
    title = "Net effect of the revision on each party's utility"
    middle = shift.net_midpoint()
    parties = sorted(shift.parties, key=lambda p: -middle[p])
    rows = [[party, _range(shift.utility_before[party]), _range(shift.utility_after[party]),
             _change(shift.net()[party], middle[party])] for party in parties]
    columns = [Column("party")] + [Column(c, "number", "right")
                                   for c in ("before", "after", "change")]
    table = fitted_table(width, columns, rows, title=title, title_justify="left")
    if table is not None:
        return table
    return Group(Text(title, style="italic"), *[
        Text(f"{party}: {before} → {after}, change {change}")
        for party, before, after, change in rows])


def _range(bounds: tuple[float, float]) -> str:
    low, high = bounds
    return f"{low:.3f}" if abs(high - low) < 5e-4 else f"{low:.3f}–{high:.3f}"


def _change(bounds: tuple[float, float], middle: float) -> str:
    low, high = bounds
    if abs(high - low) < 5e-4:
        return f"{middle:+.3f}"
    return f"{middle:+.3f} ({low:+.3f} to {high:+.3f})"


def render_lineage(console: Console, plans: Sequence[Plan],
                   rows: Sequence[tuple[AnnotatedPoint | None, ...]]) -> None:
    """Each point of the last plan with its number in every plan of the chain."""
    title = "Where each point of the last plan comes from"
    columns = [Column(short_name(plan.id), "number") for plan in plans] + [
        Column("point", "prose", least=TEXT)]
    cells = [[f"#{p.n}" if p is not None else "—" for p in row]
             + [row[-1].text if row[-1] is not None else ""] for row in rows]
    table = fitted_table(console.width, columns, cells, title=title, title_justify="left")
    if table is not None:
        console.print(table)
        return
    console.print(Text(title, style="italic"))
    for row in cells:
        numbers = " → ".join(f"{n} ({short_name(plan.id)})" for n, plan in zip(row, plans))
        console.print(Text(numbers, style="bold"))
        console.print(Padding(Text(row[-1]), (0, 0, 0, 4)))


def render_origins(console: Console, plan: Plan, earlier: Sequence[Plan],
                   origins: Sequence[Origin]) -> None:
    """For each point of `plan`: its earliest appearance among `earlier`, or new."""
    new = sum(1 for origin in origins if origin.first is None)
    console.print(f"What is new in {_name(plan)}, compared with {len(earlier)} earlier plan(s): "
                  f"[green]{new} of {len(origins)} points are new[/], "
                  f"{len(origins) - new} appeared before.")
    columns = [Column("#", "number"), Column("point", "prose", least=TEXT),
               Column("first appeared"), Column("there as", "prose", least=TEXT),
               Column("also in")]
    rows: list[list[str | Text]] = []
    for origin in origins:
        first = origin.first
        where = (Text(f"{first.plan.id} #{first.point.n}" + (f" ({first.plan.date})"
                      if first.plan.date else "")) if first else Text("new", style="green"))
        rows.append([f"#{origin.point.n}", origin.point.text, where,
                     first.point.text if first else "",
                     ", ".join(a.plan.id for a in origin.appearances[1:])])
    table = fitted_table(console.width, columns, rows, pad_edge=False)
    if table is not None:
        console.print(table)
        return
    for (number, text, where, there, also), origin in zip(rows, origins):
        console.print(Text.assemble((f"{number}  ", "bold"), (
            "new", "green") if origin.first is None else Text.assemble("first appeared in ",
                                                                        where)))
        lines = [Text(str(text))] + ([Text.assemble(("there as: ", "dim"), str(there))]
                                     if there else [])
        if also:
            lines.append(Text.assemble(("also in: ", "dim"), str(also)))
        console.print(Padding(Group(*lines), (0, 0, 0, 4)))
