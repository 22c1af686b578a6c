"""Utilities of packages for every party, vectorised over many packages."""

from __future__ import annotations

import numpy as np

from accord.analysis.space import Space


def utilities(space: Space, packages: np.ndarray) -> np.ndarray:
    """Utility of each package for each party: shape (n_packages, n_parties).

    `packages` holds option indices, shape (n_packages, n_issues) (or one package).
    """
    packages = np.atleast_2d(np.asarray(packages, dtype=np.int64))
    chosen = space.offsets[:-1] + packages  # (m, n_issues) flat variable indices
    result = np.zeros((len(packages), space.n_parties))
    for i in range(space.n_issues):  # one gather per issue keeps memory at O(m x parties)
        result += space.weights[:, chosen[:, i]].T
    for term in space.terms:
        result[:, term.party] += term.value * term.holds(chosen)
    return result


def vetoes_crossed(space: Space, packages: np.ndarray) -> np.ndarray:
    """Boolean (n_packages, n_parties): does the package cross a red line of the party."""
    packages = np.atleast_2d(np.asarray(packages, dtype=np.int64))
    chosen = space.offsets[:-1] + packages
    crossed = np.zeros((len(packages), space.n_parties), dtype=bool)
    for i in range(space.n_issues):
        crossed |= space.veto[:, chosen[:, i]].T
    return crossed


def satisfies_constraints(space: Space, packages: np.ndarray) -> np.ndarray:
    """Boolean per package: are all hard constraints met."""
    packages = np.atleast_2d(np.asarray(packages, dtype=np.int64))
    chosen = space.offsets[:-1] + packages
    ok = np.ones(len(packages), dtype=bool)
    for c in space.constraints:
        has_a = np.any(chosen == c.a, axis=1)
        has_b = np.any(chosen == c.b, axis=1)
        ok &= ~has_a | (has_b if c.kind == "requires" else ~has_b)
    return ok


def utility_bounds(space: Space) -> tuple[np.ndarray, np.ndarray]:
    """Per-party lower and upper bounds on utility (exact without terms)."""
    low = np.zeros(space.n_parties)
    high = np.zeros(space.n_parties)
    for i in range(space.n_issues):
        block = space.weights[:, space.offsets[i]:space.offsets[i + 1]]
        low += block.min(axis=1)
        high += block.max(axis=1)
    for term in space.terms:
        if term.value < 0:
            low[term.party] += term.value
        else:
            high[term.party] += term.value
    return low, high
