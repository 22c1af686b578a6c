"""Rich rendering of plan comparisons: a diff grouped by topic, a chain of revisions, and
where each point of a plan first appeared."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord.compare.classify import STATUSES
from accord.compare.diff import Entry, PlanDiff
from accord.compare.export import entry_refs
from accord.compare.history import Origin
from accord.compare.shift import UtilityShift
from accord.model.plan import AnnotatedPoint, Plan

STYLES = {"carried-over": "dim", "moved": "cyan", "modified": "yellow", "bracketed": "magenta",
          "moved-out": "blue", "dropped": "red", "not-mentioned": "dim", "new": "green"}
TEXT_WIDTH = 70


def _short(text: str, width: int = TEXT_WIDTH) -> str:
    return escape(text if len(text) <= width else text[:width - 1].rstrip() + "…")


def _name(plan: Plan) -> str:
    return f"[bold]{escape(plan.id)}[/]" + (f" ({plan.date})" if plan.date else "")


def _status(status: str) -> str:
    return f"[{STYLES[status]}]{status.replace('-', ' ')}[/]"


def _numbers(points: Sequence[AnnotatedPoint]) -> str:
    return ", ".join(f"#{p.n}" for p in points) or "—"


def counts_line(diff: PlanDiff) -> str:
    """`11 carried over · 15 modified · 2 dropped`."""
    counts = diff.counts()
    return " · ".join(f"{counts[s]} {_status(s)}" for s in STATUSES if counts[s])


def render_diff(console: Console, diff: PlanDiff, shift: UtilityShift | None = None) -> None:
    """The header, the counts, the table grouped by topic and the net effect."""
    console.print(f"{_name(diff.a)} → {_name(diff.b)}: {len(diff.a.points)} → "
                  f"{len(diff.b.points)} points")
    console.print(counts_line(diff) + f"  [dim](encoder {escape(diff.encoder)})[/]")
    if diff.changes_only:
        console.print(f"[dim]{escape(diff.b.id)} lists reported changes only: points it does "
                      "not mention are shown as not mentioned, not dropped.[/]")
    console.print(_diff_table(diff, shift))
    if shift is not None:
        console.print(_net_table(shift))


def _diff_table(diff: PlanDiff, shift: UtilityShift | None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    table.add_column("A → B", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("point", overflow="fold", ratio=3)
    table.add_column("what changed", overflow="fold", ratio=3)
    if shift is not None:
        table.add_column("moves towards", overflow="fold", ratio=2)
    for topic, entries in diff.by_topic().items():
        table.add_row("", "", f"[bold underline]{escape(topic)}[/]")
        for k, entry in enumerate(entries):
            row = [f"{_numbers(entry.a)} → {_numbers([entry.b] if entry.b else [])}",
                   _status(entry.status), _point_text(entry), _what_changed(entry)]
            if shift is not None:
                row.append(_towards(shift, entry, diff))
            table.add_row(*row, end_section=k == len(entries) - 1)
    return table


def _point_text(entry: Entry) -> str:
    point = entry.b if entry.b is not None else entry.a[0]
    return _short(point.text)


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
    return escape("; ".join(parts[:5]))


def _towards(shift: UtilityShift, entry: Entry, diff: PlanDiff) -> str:
    """The parties a changed point moves towards and away from (sums of the midpoints of
    the utility changes on the issues citing the point), and those issues."""
    if entry.status == "carried-over":
        return ""
    issues = shift.for_points(entry_refs(entry, diff.a.id, diff.b.id))
    gains: dict[str, float] = {}
    for issue in issues:
        for party, (low, high) in issue.gains.items():
            gains[party] = gains.get(party, 0.0) + (low + high) / 2
    up = sorted(((g, p) for p, g in gains.items() if g >= 5e-4), reverse=True)
    down = sorted((g, p) for p, g in gains.items() if g <= -5e-4)
    lines = [", ".join(f"{escape(p)} {g:+.3f}" for g, p in up),
             "[dim]away from[/] " + ", ".join(f"{escape(p)} {g:+.3f}" for g, p in down)
             if down else "",
             f"[dim]{escape(', '.join(i.issue for i in issues))}[/]" if issues else ""]
    return "\n".join(line for line in lines if line)


def _net_table(shift: UtilityShift) -> Table:
    table = Table(title="Net effect of the revision on each party's utility", title_justify="left")
    for column in ("party", "before", "after", "change"):
        table.add_column(column, justify="left" if column == "party" else "right")
    middle = shift.net_midpoint()
    for party in sorted(shift.parties, key=lambda p: -middle[p]):
        table.add_row(escape(party), _range(shift.utility_before[party]),
                      _range(shift.utility_after[party]), _change(shift.net()[party], middle[party]))
    return table


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
    table = Table(title="Where each point of the last plan comes from", title_justify="left")
    for plan in plans:
        table.add_column(escape(plan.id), overflow="fold")
    table.add_column("point", overflow="fold")
    for row in rows:
        last = row[-1]
        table.add_row(*[f"#{p.n}" if p is not None else "—" for p in row],
                      _short(last.text if last is not None else ""))
    console.print(table)


def render_origins(console: Console, plan: Plan, earlier: Sequence[Plan],
                   origins: Sequence[Origin]) -> None:
    """For each point of `plan`: its earliest appearance among `earlier`, or new."""
    new = sum(1 for origin in origins if origin.first is None)
    console.print(f"What is new in {_name(plan)}, compared with {len(earlier)} earlier plan(s): "
                  f"[green]{new} of {len(origins)} points are new[/], "
                  f"{len(origins) - new} appeared before.")
    table = Table(pad_edge=False)
    for column in ("#", "point", "first appeared", "there as", "also in"):
        table.add_column(column, overflow="fold")
    for origin in origins:
        first = origin.first
        where = (f"{escape(first.plan.id)} #{first.point.n}" + (f" ({first.plan.date})"
                 if first.plan.date else "")) if first else "[green]new[/]"
        also = ", ".join(escape(a.plan.id) for a in origin.appearances[1:])
        table.add_row(f"#{origin.point.n}", _short(origin.point.text, 50), where,
                      _short(first.point.text, 50) if first else "", also)
    console.print(table)
