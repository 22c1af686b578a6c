"""Plans over time: a chain of revisions (A → B → C …) and, for each point of a plan,
where it first appeared among earlier plans — the "what is really new" answer.

Appearance is looser than alignment within a revision: an earlier plan may have one
point that several later points echo (Istanbul 2022's neutrality clause covers the
later NATO, troops and nuclear points), so each later point takes its best-fitting point
in each earlier plan, if that fits at least `APPEARANCE` — stricter than `align.THRESHOLD`,
because plans about one war share names and topics throughout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.compare.diff import PlanDiff, diff_plans
from accord.compare.encoders import TextEncoder, get_encoder
from accord.compare.similarity import point_features, score_matrix
from accord.model.plan import AnnotatedPoint, Plan

APPEARANCE = 0.4
"""Lowest score at which an earlier point counts as an appearance of a later one."""


def diff_chain(plans: Sequence[Plan], encoder: TextEncoder | None = None,
               changes_only: bool | None = None) -> list[PlanDiff]:
    """The diffs of each plan with the next (A → B, B → C, …)."""
    encoder = encoder or get_encoder()
    return [diff_plans(a, b, encoder, changes_only=changes_only)
            for a, b in zip(plans, plans[1:])]


def lineage(diffs: Sequence[PlanDiff]) -> list[tuple[AnnotatedPoint | None, ...]]:
    """For each point of the last plan, its counterpart in every plan of the chain
    (first plan first; None where the chain breaks)."""
    if not diffs:
        return []
    rows = [[point] for point in diffs[-1].b.points]
    for diff in reversed(diffs):
        back = {str(e.b.n): (e.a[0] if e.a else None) for e in diff.entries if e.b}
        for row in rows:
            head = row[0]
            row.insert(0, back.get(str(head.n)) if head is not None else None)
    return [tuple(row) for row in rows]


@dataclass(frozen=True)
class Appearance:
    """A point of an earlier plan that a later point echoes."""

    plan: Plan
    point: AnnotatedPoint
    score: float


@dataclass(frozen=True)
class Origin:
    """A point and where it appeared before (earliest first); `first` None means new."""

    point: AnnotatedPoint
    appearances: tuple[Appearance, ...]

    @property
    def first(self) -> Appearance | None:
        return self.appearances[0] if self.appearances else None


def earlier_plans(plan: Plan, plans: Sequence[Plan]) -> list[Plan]:
    """The plans dated before `plan` (oldest first); undated plans cannot be placed."""
    if plan.date is None:
        return []
    return sorted((p for p in plans if p.id != plan.id and p.date is not None
                   and _day(p.date) < _day(plan.date)), key=lambda p: (_day(p.date), p.id))


def _day(date: str | None) -> str:
    """A partial date as its first day (`2025-11` → `2025-11-01`), for ordering."""
    text = date or ""
    return text + "-01" * ((10 - len(text)) // 3)


def first_appearances(plan: Plan, earlier: Sequence[Plan], encoder: TextEncoder | None = None,
                      threshold: float = APPEARANCE) -> list[Origin]:
    """For each point of `plan`, the earlier plans' points it echoes, earliest first."""
    encoder = encoder or get_encoder()
    features = point_features(plan)
    found: list[list[Appearance]] = [[] for _ in plan.points]
    for other in sorted(earlier, key=lambda p: (_day(p.date), p.id)):
        scores = score_matrix(point_features(other), features, encoder)
        for j, best in enumerate(np.argmax(scores, axis=0)):
            if scores[best, j] >= threshold:
                found[j].append(Appearance(other, other.points[int(best)], float(scores[best, j])))
    return [Origin(point, tuple(appearances)) for point, appearances in zip(plan.points, found)]
