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
    return _minimal_sets(space, max_size, lambda combo: acceptable(space, packages, combo).any())


def _minimal_sets(space: Space, max_size: int, opens) -> list[frozenset[Demand]]:
    """Every set of demands up to `max_size` that `opens` a deal and holds no smaller one;
    empty when the empty set already does."""
    minimal: list[frozenset[Demand]] = []
    for size in range(0, max_size + 1):
        for combo in itertools.combinations(space.demands(), size):
            candidate = frozenset(combo)
            if any(m <= candidate for m in minimal):
                continue
            if opens(combo):
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


def _passing_masks(space: Space, packages: np.ndarray,
                   relaxed: tuple[Demand, ...] = ()) -> tuple[np.ndarray, np.ndarray]:
    """(respects, accepts), each (packages, parties): red lines respected, and red lines
    respected with the reservation met, once `relaxed` demands are dropped; packages that
    break a hard constraint respect and accept nothing."""
    u = utilities(space, packages)
    chosen = space.offsets[:-1] + packages
    ok = satisfies_constraints(space, packages)
    respects = np.repeat(ok[:, None], space.n_parties, axis=1)
    meets = np.ones_like(respects)
    for p in range(space.n_parties):
        for i in range(space.n_issues):
            if Demand(p, "red-line", i) not in relaxed:
                respects[:, p] &= ~space.veto[p, chosen[:, i]]
        if Demand(p, "reservation") not in relaxed:
            meets[:, p] = u[:, p] >= space.reservation[p] - TOLERANCE
    return respects, respects & meets


def _coalitions(space: Space) -> np.ndarray:
    """Every winning coalition (bool rows), by listing all 2^n coalitions."""
    rule = space.winning_rule
    members = np.array(list(itertools.product([False, True], repeat=space.n_parties)),
                       dtype=bool).reshape(-1, space.n_parties)
    return members[np.asarray(rule.is_winning(members), dtype=bool)]


def brute_passing_margin(space: Space) -> float | None:
    """max over packages and winning coalitions whose members' red lines the package
    respects of the smallest member margin u_p - r_p; None if there is no such pair."""
    packages = all_packages(space)
    respects, _ = _passing_masks(space, packages)
    margins = utilities(space, packages) - space.reservation
    best = None
    for members in _coalitions(space):
        fits = respects[:, members].all(axis=1)
        if fits.any():
            value = float(margins[fits][:, members].min(axis=1).max())
            best = value if best is None else max(best, value)
    return best


def brute_passes(space: Space, relaxed: tuple[Demand, ...] = ()) -> np.ndarray:
    """Per package: do the parties that accept it win under the rule?"""
    _, accepts = _passing_masks(space, all_packages(space), relaxed)
    winners = {tuple(row) for row in _coalitions(space)}
    return np.array([any(all(a >= w for a, w in zip(row, win)) for win in winners)
                     for row in accepts], dtype=bool)


def brute_passing_blocking_sets(space: Space, max_size: int = 3) -> list[frozenset[Demand]]:
    """All minimal sets of demands (up to `max_size`) whose relaxation lets a package pass."""
    return _minimal_sets(space, max_size, lambda combo: brute_passes(space, combo).any())


def brute_passing_values(space: Space) -> dict[str, float] | None:
    """The five solutions' values under the rule, by their definitions (docs/rules.md), over every package and every winning coalition; None when
    nothing passes."""
    packages = all_packages(space)
    _, accepts = _passing_masks(space, packages)
    coalitions = _coalitions(space)
    u = utilities(space, packages)
    g = u - space.reservation
    carried = [accepts[:, members].all(axis=1) for members in coalitions]
    passes = np.any(carried, axis=0)
    if not passes.any():
        return None
    top = np.array([g[passes & accepts[:, p], p].max() if (passes & accepts[:, p]).any()
                    else 0.0 for p in range(space.n_parties)])

    def best(score) -> float:
        return max(float(score(members)[ok].max()) for members, ok in zip(coalitions, carried)
                   if ok.any())

    def ks(members: np.ndarray) -> np.ndarray:
        active = members & (top > 1e-9)
        if not active.any():  # no member has anything to gain: none is short of its best
            return np.ones(len(packages))
        return (g[:, active] / top[active]).min(axis=1)

    def nash(w: np.ndarray):
        def score(members: np.ndarray) -> np.ndarray:
            weight = np.where(members, w, 0.0)  # weight 0: not in the product
            active = weight > 0
            ratios = g[:, active] / np.where(top[active] > 0, top[active], 1.0)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                logs = np.where(g[:, active] > 1e-9, np.log(np.maximum(ratios, 1e-300)),
                                -np.inf)
            total = logs @ weight[active]
            return np.where(np.isfinite(total), np.exp(total), 0.0)
        return score

    return {
        "utilitarian": float(u[passes].sum(axis=1).max()),
        "egalitarian": best(lambda members: g[:, members].min(axis=1)),
        "kalai-smorodinsky": best(ks),
        "nash": best(nash(np.ones(space.n_parties))),
        "asymmetric-nash": best(nash(nash_weights(space.capability))),
    }
