"""The report's "what is new" section, from the plan comparison of `accord.compare`.

This is the only place the report touches `accord.compare`: `plan_comparison` returns None
when that package (or the part of it used here) is not there, or when the scenario has no
two dated drafts with text to compare, and the report then leaves the section out.

Which plans: the newest draft with text (the last in the scenario among the newest date)
against the focus draft when that is older, else against the draft just before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.analysis import Analysis
from accord.model import Draft, Scenario
from accord.report.describe import short_party_name

STATUS_LABELS = {"carried-over": "carried over", "moved": "moved", "modified": "modified",
                 "bracketed": "bracketed", "moved-out": "moved out", "dropped": "dropped",
                 "not-mentioned": "not mentioned", "new": "new"}


@dataclass(frozen=True)
class Comparison:
    """A comparison of two plans, as the report shows it: a title and rows of changes."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


def plans_to_compare(scenario: Scenario, focus: str | None = None) -> tuple[Draft, Draft] | None:
    """(older, newer) drafts to compare, or None when fewer than two dated drafts have text."""
    dated = [(str(d.date), k, d) for k, d in enumerate(scenario.drafts) if d.points and d.date]
    if len(dated) < 2:
        return None
    newest = max(dated, key=lambda x: x[:2])
    earlier = [x for x in dated if x[:2] < newest[:2]]
    if not earlier:
        return None
    chosen = next((x for x in earlier if x[2].id == focus), max(earlier, key=lambda x: x[:2]))
    return chosen[2], newest[2]


def plan_comparison(analysis: Analysis, focus: str | None = None) -> Comparison | None:
    """What is new in the newest draft, or None when no comparison is available."""
    pair = plans_to_compare(analysis.scenario, focus)
    if pair is None:
        return None
    try:
        from accord.compare import export
        from accord.compare.diff import diff_plans
        from accord.compare.shift import utility_shift
        from accord.model.plan import Plan
    except ImportError:
        return None
    older, newer = pair
    diff = diff_plans(Plan.of_draft(older), Plan.of_draft(newer))
    data = export.diff_data(diff, utility_shift(analysis.scenario, older.id, newer.id))
    return _comparison(analysis.scenario, older, newer, data)


def _comparison(scenario: Scenario, older: Draft, newer: Draft, data: dict[str, Any]) -> Comparison:
    rows = tuple((STATUS_LABELS.get(e["status"], e["status"]),
                  "; ".join(f"{p['n']}. {p['text']}" for p in e["a"]) or "—",
                  f"{e['b']['n']}. {e['b']['text']}" if e["b"] else "—",
                  "; ".join(e["reasons"])) for e in data["entries"])
    counts = ", ".join(f"{n} {STATUS_LABELS.get(s, s)}" for s, n in data["counts"].items() if n)
    note = f"Point by point: {counts}."
    if data["changes_only"]:
        note += (f" {newer.title or newer.id} lists reported changes only, so what it does "
                 "not mention is not thereby dropped.")
    if data["utility"] is not None:
        names = {p.id: short_party_name(p.name, p.id) for p in scenario.parties}
        net = ", ".join(f"{names[p]} {v['midpoint']:+.2f}" for p, v in data["utility"]["net"].items())
        note += f" Net change in each party's utility (middle of its range): {net}."
    return Comparison(
        title=f"{newer.title or newer.id} ({newer.date}) against {older.title or older.id} "
              f"({older.date})",
        columns=("What became of it", f"Before ({older.id})", f"Now ({newer.id})",
                 "What changed"),
        rows=rows, note=note)
