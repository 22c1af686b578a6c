"""Plain data of comparison results, for JSON (`accord diff --json`, schema
`accord.diff/1`, documented in docs/diff.md). Numbers are rounded to 4 decimals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accord.compare.diff import Entry, PlanDiff
from accord.compare.figures import Figure
from accord.compare.history import Appearance, Origin
from accord.compare.shift import IssueShift, UtilityShift
from accord.model.plan import AnnotatedPoint, Plan

SCHEMA = "accord.diff/1"


def _round(value: float) -> float:
    return round(float(value), 4)


def plan_summary(plan: Plan) -> dict[str, Any]:
    """Id, title, date, language, status and number of points of a plan."""
    return {"id": plan.id, "title": plan.title, "date": plan.date, "language": plan.language,
            "status": plan.status, "points": len(plan.points)}


def point_data(point: AnnotatedPoint) -> dict[str, Any]:
    """A point as `{n, text, topic}`."""
    return {"n": point.n, "text": point.text, "topic": point.topic}


def figure_data(figure: Figure | None) -> dict[str, Any] | None:
    """A figure as `{text, value, unit}` (None stays None)."""
    if figure is None:
        return None
    return {"text": figure.text, "value": figure.value, "unit": figure.unit}


def entry_data(entry: Entry, a_id: str, b_id: str,
               shift: UtilityShift | None = None) -> dict[str, Any]:
    """One line of a diff with what changed (and, with drafts, the issues it moves)."""
    data: dict[str, Any] = {
        "status": entry.status, "relation": entry.relation, "topic": entry.topic,
        "a": [point_data(p) for p in entry.a],
        "b": point_data(entry.b) if entry.b is not None else None,
        "score": _round(entry.score), "moved": entry.moved,
        "reasons": [], "figures": [], "names": {"removed": [], "added": []},
        "qualifiers": {"removed": [], "added": []}, "words": []}
    changes = entry.changes
    if changes is not None and entry.status != "carried-over":
        data["reasons"] = changes.reasons()
        data["figures"] = [{"before": figure_data(c.before), "after": figure_data(c.after)}
                           for c in changes.figures]
        data["names"] = {"removed": list(changes.names_removed),
                         "added": list(changes.names_added)}
        data["qualifiers"] = {"removed": list(changes.qualifiers_removed),
                              "added": list(changes.qualifiers_added)}
        data["words"] = [{"op": w.op, "before": w.before, "after": w.after}
                         for w in changes.words]
    if shift is not None:
        linked = shift.for_points(entry_refs(entry, a_id, b_id))
        data["utility"] = [issue_shift_data(s) for s in linked]
    return data


def entry_refs(entry: Entry, a_id: str, b_id: str) -> set[str]:
    """The `plan#n` references of an entry's points (as scenarios' `plan_refs` write them)."""
    refs = {f"{a_id}#{p.n}" for p in entry.a}
    return refs | ({f"{b_id}#{entry.b.n}"} if entry.b is not None else set())


def _range(low: float, high: float) -> dict[str, float]:
    return {"low": _round(low), "high": _round(high)}


def issue_shift_data(shift: IssueShift) -> dict[str, Any]:
    """An issue's change of option and each party's change of utility from it."""
    return {"issue": shift.issue, "title": shift.title, "before": shift.before,
            "after": shift.after,
            "gains": {p: _range(*r) for p, r in shift.gains.items()},
            "towards": shift.towards, "away": shift.away,
            "position_shift": shift.position_shift}


def utility_data(shift: UtilityShift) -> dict[str, Any]:
    """Each party's utility before and after, the net change and the issues that moved."""
    middle = shift.net_midpoint()
    return {"before_draft": shift.before, "after_draft": shift.after,
            "parties": list(shift.parties),
            "before": {p: _range(*r) for p, r in shift.utility_before.items()},
            "after": {p: _range(*r) for p, r in shift.utility_after.items()},
            "net": {p: {**_range(*r), "midpoint": _round(middle[p])}
                    for p, r in shift.net().items()},
            "issues": [issue_shift_data(s) for s in shift.issues]}


def diff_data(diff: PlanDiff, shift: UtilityShift | None = None) -> dict[str, Any]:
    """One comparison: counts overall and by topic, and every entry grouped by topic."""
    groups = diff.by_topic()
    return {
        "a": diff.a.id, "b": diff.b.id, "encoder": diff.encoder,
        "changes_only": diff.changes_only, "counts": diff.counts(),
        "topics": [{"topic": topic, "counts": _counts(entries)}
                   for topic, entries in groups.items()],
        "entries": [entry_data(e, diff.a.id, diff.b.id, shift)
                    for entries in groups.values() for e in entries],
        "utility": utility_data(shift) if shift is not None else None}


def _counts(entries: Sequence[Entry]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.status] = counts.get(entry.status, 0) + 1
    return counts


def lineage_data(rows: Sequence[tuple[AnnotatedPoint | None, ...]]) -> list[dict[str, Any]]:
    """Each point of the last plan with its number in every plan of the chain."""
    return [{"n": row[-1].n, "text": row[-1].text,  # type: ignore[union-attr]
             "chain": [p.n if p is not None else None for p in row]} for row in rows]


def origins_data(origins: Sequence[Origin]) -> list[dict[str, Any]]:
    """Each point with its first appearance (None when new) and every appearance."""
    return [{**point_data(o.point), "status": "seen" if o.first else "new",
             "first": _appearance(o.first) if o.first else None,
             "appearances": [_appearance(a) for a in o.appearances]} for o in origins]


def _appearance(appearance: Appearance) -> dict[str, Any]:
    return {"plan": appearance.plan.id, "title": appearance.plan.title,
            "date": appearance.plan.date, "n": appearance.point.n,
            "text": appearance.point.text, "score": _round(appearance.score)}


def document(kind: str, encoder: str, plans: Sequence[Plan], **parts: Any) -> dict[str, Any]:
    """The whole `--json` output: schema, kind, plans, and the parts of that kind."""
    return {"schema": SCHEMA, "kind": kind, "encoder": encoder,
            "plans": [plan_summary(p) for p in plans], "comparisons": [], "lineage": None,
            "earlier": None, "origins": None, "counts": None, **parts}
