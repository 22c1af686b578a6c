"""How far a diff agrees with a revision's own annotations (`base_n`, `change`): the
ground truth of the plan files (data/plans/README.md)."""

from __future__ import annotations

from dataclasses import dataclass

from accord.compare.diff import PlanDiff

EXPECTED: dict[str, frozenset[str]] = {
    "same": frozenset({"carried-over"}),
    "modified": frozenset({"modified"}),
    "deleted": frozenset({"dropped"}),
    "new": frozenset({"new"}),
    "bracketed": frozenset({"bracketed"}),
    "moved": frozenset({"moved", "moved-out"}),
}
"""The statuses that agree with each `change` annotation (a point `moved` in the data is
either in another place of the text or taken out of it)."""


@dataclass(frozen=True)
class Agreement:
    """Counts over B's annotated points; `aligned` accepts `base_n` among the linked
    points, `aligned_strictly` only as the one-to-one partner."""

    points: int
    aligned: int
    aligned_strictly: int
    classified: int
    both: int
    disagreements: tuple[str, ...]

    def share(self) -> float:
        """Share of points whose alignment and status both agree."""
        return self.both / self.points if self.points else 1.0


def agreement(diff: PlanDiff) -> Agreement:
    """Compare a diff of a revision (B) with its plan (A) to B's annotations."""
    counts = [0, 0, 0, 0, 0]
    wrong = []
    for entry in diff.entries:
        point = entry.b
        if point is None or point.change is None:
            continue
        linked = [str(p.n) for p in entry.a]
        base = None if point.base_n is None else str(point.base_n)
        aligned = linked == [] if base is None else base in linked
        strictly = (linked[:1] == [base]) if base is not None else not linked
        classified = entry.status in EXPECTED[point.change]
        for k, ok in enumerate((True, aligned, strictly, classified, aligned and classified)):
            counts[k] += ok
        if not (aligned and classified):
            wrong.append(f"{diff.b.id}#{point.n}: expected {point.change} of #{base}, got "
                         f"{entry.status} of {', '.join('#' + n for n in linked) or 'nothing'}")
    return Agreement(*counts, disagreements=tuple(wrong))
