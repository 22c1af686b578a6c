"""The diff of two plans: every point of B with its counterparts in A and what changed,
then the points of A that B no longer has."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from accord.compare.align import RATIO, THRESHOLD, Link, align, moved_links
from accord.compare.changes import PointChanges, point_changes
from accord.compare.classify import STATUSES, Status, status_of_b, status_of_unlinked_a
from accord.compare.encoders import TextEncoder, get_encoder
from accord.compare.similarity import point_features, score_matrix
from accord.model.issue import TOPICS
from accord.model.plan import AnnotatedPoint, Plan

CHANGES_ONLY = ("text-not-published",)
"""Plan statuses of texts that list reported changes only: what they do not mention is
not thereby dropped."""


@dataclass(frozen=True)
class Entry:
    """One line of a diff: a point of B (or None) and its counterparts in A."""

    status: Status
    relation: str
    """one-to-one, split (one of several pieces of A's point), merge (several of A's
    points in one) or none."""
    a: tuple[AnnotatedPoint, ...]
    b: AnnotatedPoint | None
    score: float
    moved: bool
    changes: PointChanges | None

    @property
    def topic(self) -> str:
        """B's topic, else A's, else `other`."""
        for point in (self.b, *self.a):
            if point is not None and point.topic:
                return point.topic
        return "other"


@dataclass(frozen=True)
class PlanDiff:
    """Plan B compared with plan A."""

    a: Plan
    b: Plan
    entries: tuple[Entry, ...]
    encoder: str
    changes_only: bool
    """B lists reported changes only (its status is one of CHANGES_ONLY)."""

    def counts(self) -> dict[str, int]:
        """Number of entries of each status (every status listed, zeros included)."""
        found = Counter(entry.status for entry in self.entries)
        return {status: found.get(status, 0) for status in STATUSES}

    def by_topic(self) -> dict[str, list[Entry]]:
        """Entries grouped by topic, topics in the vocabulary's order."""
        groups: dict[str, list[Entry]] = {}
        for entry in sorted(self.entries, key=lambda e: _topic_rank(e.topic)):
            groups.setdefault(entry.topic, []).append(entry)
        return groups

    def counterparts(self, b_n: int | str) -> tuple[AnnotatedPoint, ...]:
        """The points of A linked to B's point `b_n`."""
        for entry in self.entries:
            if entry.b is not None and str(entry.b.n) == str(b_n):
                return entry.a
        raise KeyError(b_n)


def _topic_rank(topic: str) -> int:
    return TOPICS.index(topic) if topic in TOPICS else len(TOPICS)


def diff_plans(a: Plan, b: Plan, encoder: TextEncoder | None = None,
               threshold: float = THRESHOLD, ratio: float = RATIO,
               changes_only: bool | None = None) -> PlanDiff:
    """Align B's points with A's and say what became of each (see `classify`).

    `changes_only`: B lists changes (or answers) only, so what it does not mention is
    not dropped; None decides from B's status (`CHANGES_ONLY`).
    """
    encoder = encoder or get_encoder()
    scores = score_matrix(point_features(a), point_features(b), encoder)
    return diff_from_scores(a, b, scores, encoder.name, threshold, ratio, changes_only)


def diff_from_scores(a: Plan, b: Plan, scores: np.ndarray, encoder_name: str,
                     threshold: float = THRESHOLD, ratio: float = RATIO,
                     changes_only: bool | None = None) -> PlanDiff:
    """The diff for a given score matrix (shape: A's points × B's points)."""
    links = align(scores, threshold, ratio)
    if changes_only is None:
        changes_only = b.status in CHANGES_ONLY
    fixed = {k for k, point in enumerate(b.points) if point.order_uncertain or changes_only}
    moved = moved_links(links, fixed)
    entries = tuple(_entry(link, a, b, link.b in moved, changes_only) for link in links)
    return PlanDiff(a, b, entries, encoder_name, changes_only)


def _entry(link: Link, a: Plan, b: Plan, moved: bool, changes_only: bool) -> Entry:
    sources = tuple(a.points[i] for i in link.a)
    if link.b is None:
        return Entry(status_of_unlinked_a(changes_only), "none", sources, None, 0.0, False,
                     None)
    point = b.points[link.b]
    before = " ".join(p.text for p in sources)
    changes = point_changes(before, point.text, a.language, b.language) if sources else None
    status = status_of_b(link, point.text, before, changes, moved)
    return Entry(status, link.relation, sources, point, link.score, moved, changes)
