"""Brute force over every package: the oracle the exact engine is tested against.

Usable only on small spaces (`Space.n_packages()` up to about a million).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from accord.analysis.bargaining import nash_weights
from accord.analysis.space import Demand, Space
from accord.analysis.utility import satisfies_constraints, utilities, vetoes_crossed
from accord.analysis.zone import TOLERANCE
from accord.errors import AnalysisError

MAX_PACKAGES = 2_000_000


def all_packages(space: Space) -> np.ndarray:
    """Every package, shape (n_packages, n_issues)."""
    if space.n_packages() > MAX_PACKAGES:
        raise AnalysisError(f"{space.n_packages():,} packages is too many to enumerate")
    grids = np.meshgrid(*[np.arange(s) for s in space.sizes], indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1).astype(np.int64)


def acceptable(space: Space, packages: np.ndarray, relaxed: tuple[Demand, ...] = ()) -> np.ndarray:
    """Mask of packages in the zone once `relaxed` demands are dropped."""
    ok = satisfies_constraints(space, packages)
    u = utilities(space, packages)
    chosen = space.offsets[:-1] + packages
    for p in range(space.n_parties):
        if Demand(p, "reservation") not in relaxed:
            ok &= u[:, p] >= space.reservation[p] - TOLERANCE
        for i in range(space.n_issues):
            if Demand(p, "red-line", i) not in relaxed:
                ok &= ~space.veto[p, chosen[:, i]]
    return ok


def brute_blocking_sets(space: Space, max_size: int = 3) -> list[frozenset[Demand]]:
    """All minimal blocking sets up to `max_size` demands."""
    packages = all_packages(space)
    demands = space.demands()
    minimal: list[frozenset[Demand]] = []
    for size in range(0, max_size + 1):
        for combo in itertools.combinations(demands, size):
            candidate = frozenset(combo)
            if any(m <= candidate for m in minimal):
                continue
            if acceptable(space, packages, combo).any():
                minimal.append(candidate)
    return [] if frozenset() in minimal else minimal


def brute_values(space: Space) -> dict[str, float] | None:
    """Optimal values of the five solutions over the zone; None when no zone."""
    packages = all_packages(space)
    mask = acceptable(space, packages)
    if not mask.any():
        return None
    u = utilities(space, packages[mask])
    g = u - space.reservation
    ideal = u.max(axis=0)
    span = ideal - space.reservation
    active = span > 1e-9
    ks = (g[:, active] / span[active]).min(axis=1).max() if active.any() else 0.0

    def nash(w: np.ndarray) -> float:
        weighted = g[:, w > 0]
        if (weighted.min(axis=1) <= 1e-9).all():
            return 0.0
        positive = weighted[(weighted > 1e-9).all(axis=1)]
        return math.exp(float((np.log(positive) @ w[w > 0]).max()))

    return {
        "utilitarian": float(u.sum(axis=1).max()),
        "egalitarian": float(g.min(axis=1).max()),
        "kalai-smorodinsky": float(ks),
        "nash": nash(np.ones(space.n_parties)),
        "asymmetric-nash": nash(nash_weights(space.capability)),
    }


def brute_max_min_margin(space: Space) -> float | None:
    """max over red-line-respecting packages of min_p (u_p - r_p); None if none."""
    packages = all_packages(space)
    ok = satisfies_constraints(space, packages) & ~vetoes_crossed(space, packages).any(axis=1)
    if not ok.any():
        return None
    return float((utilities(space, packages[ok]) - space.reservation).min(axis=1).max())
