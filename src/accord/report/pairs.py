"""The exact Pareto frontier of each pair of parties, as if only those two counted.

For parties a and b we compile nothing again: the space is sliced to their two rows of
weights (and their own interaction terms) and `pareto_frontier` runs on it. Two-party
frontiers are small and fast (a sort and a running maximum per issue). The scope follows
the analysis: with `frontier_red_lines`, options any party vetoes are left out.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

import numpy as np

from accord.analysis import Analysis, Space, pareto_frontier

MAX_POINTS = 400
"""Frontier points drawn per pair; larger frontiers are thinned evenly along the curve."""


@dataclass(frozen=True)
class PairFrontier:
    """The two-party frontier of `a` and `b`: utility pairs sorted by a's utility."""

    a: str
    b: str
    points: list[tuple[float, float]]
    size: int
    """Distinct Pareto-optimal utility pairs (before thinning); 0 when it was not computed."""
    complete: bool


def pair_space(space: Space, a: int, b: int) -> Space:
    """The space seen by parties a and b alone (red lines of every party kept, merged)."""
    keep = [a, b]
    vetoed = np.repeat(space.veto.any(axis=0)[None, :], 2, axis=0)
    terms = tuple(t.restricted(keep.index(t.party)) for t in space.terms if t.party in keep)
    return dataclasses.replace(
        space, party_ids=(space.party_ids[a], space.party_ids[b]), weights=space.weights[keep],
        veto=vetoed, reservation=space.reservation[keep], capability=space.capability[keep],
        terms=terms)


def pair_frontier(analysis: Analysis, a: int, b: int) -> PairFrontier:
    """The exact frontier of parties a and b (thinned to MAX_POINTS for drawing)."""
    space = analysis.space
    found = pareto_frontier(pair_space(space, a, b), analysis.frontier_red_lines)
    utilities = found.utilities[np.argsort(found.utilities[:, 0], kind="stable")]
    if len(utilities) > MAX_POINTS:
        utilities = utilities[np.unique(np.linspace(0, len(utilities) - 1, MAX_POINTS).round()
                                        .astype(int))]
    points = [(round(float(x), 6), round(float(y), 6)) for x, y in utilities]
    return PairFrontier(space.party_ids[a], space.party_ids[b], points, found.size,
                        found.complete)


def pair_frontiers(analysis: Analysis) -> list[PairFrontier]:
    """The frontier of every pair of parties, in scenario order."""
    return [pair_frontier(analysis, a, b)
            for a, b in itertools.combinations(range(analysis.space.n_parties), 2)]
