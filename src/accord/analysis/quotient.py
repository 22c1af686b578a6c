"""Options no party, term or constraint tells apart, merged: a smaller, equivalent space.

Two options of an issue are equivalent when every party values them the same, vetoes
both or neither, and every term and hard constraint names both or neither. Swapping one for
the other changes no utility, red line or constraint, so a package's utility vector is the
same with either. GENIUS's non-linear spaces have ten integer values per issue but their
hyper-rectangles cut each range in a few places: 400 options become about 240, and the
solver no longer explores equivalent (symmetric) choices one by one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from accord.analysis.space import HardConstraint, Space, Term


@dataclass(frozen=True)
class Quotient:
    """The merged space and, per issue, the original option each merged option stands for."""

    space: Space
    representatives: tuple[np.ndarray, ...]

    def lift(self, packages: np.ndarray) -> np.ndarray:
        """Packages of the merged space as packages of the original one."""
        packages = np.atleast_2d(np.asarray(packages, dtype=np.int64))
        lifted = np.empty_like(packages)
        for i, options in enumerate(self.representatives):
            lifted[:, i] = options[packages[:, i]]
        return lifted


def merge_equivalent_options(space: Space) -> Quotient:
    """The quotient of `space` by equivalent options (the first of each class stands for it)."""
    marks: list[list[int]] = [[] for _ in range(space.n_vars)]
    for k, term in enumerate(space.terms):
        for g, group in enumerate(term.groups):
            for v in group:
                marks[v].append(2 * (1000003 * k + g))
    for k, constraint in enumerate(space.constraints):
        marks[constraint.a].append(2 * k + 1)
        marks[constraint.b].append(-(2 * k + 1))
    columns = np.vstack([space.weights, space.veto.astype(float)]).T
    new_var = np.empty(space.n_vars, dtype=np.int64)
    keep: list[int] = []
    representatives = []
    offsets = [0]
    for i in range(space.n_issues):
        classes: dict[tuple, int] = {}
        chosen: list[int] = []
        for v in range(int(space.offsets[i]), int(space.offsets[i + 1])):
            signature = (columns[v].tobytes(), tuple(marks[v]))
            if signature not in classes:
                classes[signature] = len(keep)
                keep.append(v)
                chosen.append(v - int(space.offsets[i]))
            new_var[v] = classes[signature]
        representatives.append(np.array(chosen, dtype=np.int64))
        offsets.append(len(keep))
    terms = tuple(Term(t.party, t.issues,
                       tuple(tuple(sorted({int(new_var[v]) for v in group})) for group in t.groups),
                       t.value) for t in space.terms)
    constraints = tuple(HardConstraint(int(new_var[c.a]), int(new_var[c.b]), c.kind)
                        for c in space.constraints)
    merged = dataclasses.replace(
        space, option_ids=tuple(tuple(space.option_ids[i][o] for o in reps)
                                for i, reps in enumerate(representatives)),
        weights=space.weights[:, keep], veto=space.veto[:, keep], terms=terms,
        constraints=constraints, offsets=np.array(offsets, dtype=np.int64))
    return Quotient(merged, tuple(representatives))
