"""Bargaining solutions, each the exact optimum over all acceptable packages.

The feasible set is the zone of agreement: packages that cross no red line, meet the
hard constraints and give each party at least its reservation value `r_p`; a party's
gain is `g_p = u_p - r_p`.

- utilitarian: max sum of utilities (Harsanyi 1955);
- egalitarian: max of the smallest gain, then the largest sum among those (Kalai 1977);
- Kalai-Smorodinsky: max of the smallest gain as a share of the party's ideal gain
  (Kalai & Smorodinsky 1975, for finite sets), then the largest sum;
- Nash: max product of gains (Nash 1950); asymmetric Nash: max prod g_p^{w_p} with
  weights w_p = capability (Kalai 1977; Roth 1979).

The Nash objective `sum w_p log g_p` is concave; we maximise it exactly by outer
approximation (Duran & Grossmann 1986): each log is replaced by the minimum of its
tangents, the MILP gives an upper bound, tangents are added at the new point, and we
stop when the bound meets the best package found. Packages whose gain is so small
that they cannot beat the egalitarian package are cut off first, so logs stay finite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from accord.analysis._milp import PackageProgram
from accord.analysis.space import Space
from accord.analysis.utility import utilities
from accord.errors import AnalysisError

GAIN_TOLERANCE = 1e-9
MAX_ROUNDS = 500


@dataclass(frozen=True)
class Solution:
    """A bargaining solution: its package, each party's utility, and the optimal value."""

    name: str
    package: np.ndarray
    utilities: np.ndarray
    value: float


def zone_program(space: Space) -> PackageProgram:
    """Program over acceptable packages (red lines, constraints, reservations)."""
    program = PackageProgram(space, space.veto.any(axis=0))
    for p in range(space.n_parties):
        program.require_gain(p, space.reservation[p])
    return program


def _solution(space: Space, name: str, package: np.ndarray, value: float) -> Solution:
    return Solution(name, package, utilities(space, package)[0], value)


def _sum_of_utilities(program: PackageProgram) -> tuple[np.ndarray, np.ndarray]:
    parts = [program.utility(p) for p in range(program.space.n_parties)]
    return np.concatenate([i for i, _ in parts]), np.concatenate([c for _, c in parts])


def utilitarian(space: Space) -> Solution | None:
    """Max sum of utilities over the zone; None when there is no zone."""
    program = zone_program(space)
    result = program.maximise(*_sum_of_utilities(program))
    if result is None:
        return None
    package = program.package(result)
    return _solution(space, "utilitarian", package, float(utilities(space, package)[0].sum()))


def _max_min_scaled_gain(space: Space, scale: np.ndarray) -> tuple[np.ndarray, float] | None:
    """max t s.t. g_p >= t * scale_p, then max sum of utilities keeping that t."""
    program = zone_program(space)
    t = program.add_vars(1, lower=-1e9, upper=1e9, integer=False)
    active = [p for p in range(space.n_parties) if scale[p] > GAIN_TOLERANCE]
    for p in active:
        program.require_gain(p, space.reservation[p], extra=([t[0]], [-scale[p]]))
    first = program.maximise(t, [1.0])
    if first is None:
        return None
    if not active:
        return program.package(first), 0.0
    package = program.package(first)
    best = float(np.min((utilities(space, package)[0] - space.reservation)[active] / scale[active]))
    program.lower[t[0]] = best - GAIN_TOLERANCE
    second = program.maximise(*_sum_of_utilities(program))
    if second is not None:
        package = program.package(second)
    value = float(np.min((utilities(space, package)[0] - space.reservation)[active] / scale[active]))
    return package, value


def egalitarian(space: Space) -> Solution | None:
    """Max of the smallest gain over reservation (ties: max sum)."""
    found = _max_min_scaled_gain(space, np.ones(space.n_parties))
    return None if found is None else _solution(space, "egalitarian", *found)


def ideal_point(space: Space) -> np.ndarray | None:
    """Each party's best utility within the zone."""
    best = np.zeros(space.n_parties)
    for p in range(space.n_parties):
        program = zone_program(space)
        result = program.maximise(*program.utility(p))
        if result is None:
            return None
        best[p] = utilities(space, program.package(result))[0][p]
    return best


def kalai_smorodinsky(space: Space, ideal: np.ndarray | None = None) -> Solution | None:
    """Max of the smallest gain as a share of the ideal gain (ties: max sum)."""
    ideal = ideal_point(space) if ideal is None else ideal
    if ideal is None:
        return None
    found = _max_min_scaled_gain(space, ideal - space.reservation)
    return None if found is None else _solution(space, "kalai-smorodinsky", *found)


def nash_bargaining_solution(space: Space, weights: np.ndarray | None = None,
                             ideal: np.ndarray | None = None,
                             name: str = "nash") -> Solution | None:
    """Max of prod g_p^{w_p} over the zone (w = 1: symmetric Nash). Value = the product."""
    w = np.ones(space.n_parties) if weights is None else np.asarray(weights, dtype=float)
    egal = _max_min_scaled_gain(space, np.ones(space.n_parties))
    if egal is None:
        return None
    egal_package, t_star = egal
    if t_star <= GAIN_TOLERANCE:  # every acceptable package leaves someone with no gain
        return _solution(space, name, egal_package, 0.0)
    ideal = ideal_point(space) if ideal is None else ideal
    top = np.maximum(ideal - space.reservation, t_star)
    return _outer_approximation(space, w, t_star, top, egal_package, name)


def _gain_floor(w: np.ndarray, t_star: float, top: np.ndarray) -> np.ndarray:
    """Gains below the floor cannot beat the egalitarian package's objective."""
    f0 = float(np.sum(w * math.log(t_star)))
    floor = np.zeros(len(w))
    for p in range(len(w)):
        if w[p] > 0:
            rest = float(np.sum(np.delete(w * np.log(top), p)))
            floor[p] = min(t_star, 0.5 * math.exp((f0 - rest) / w[p]))
    return floor


def _outer_approximation(space: Space, w: np.ndarray, t_star: float, top: np.ndarray,
                         start: np.ndarray, name: str) -> Solution:
    floor = _gain_floor(w, t_star, top)
    program = zone_program(space)
    active = [p for p in range(space.n_parties) if w[p] > 0]
    z = program.add_vars(len(active), lower=-1e9, upper=1e9, integer=False)
    for k, p in enumerate(active):
        program.lower[z[k]] = math.log(floor[p])
        program.upper[z[k]] = math.log(top[p])
        program.require_gain(p, space.reservation[p] + floor[p])
        for point in np.geomspace(floor[p], top[p], 8):
            _add_tangent(program, p, z[k], point)
    best_package, best_value = start, _log_objective(space, w, start)
    seen: set[bytes] = set()
    for _ in range(MAX_ROUNDS):
        result = program.maximise(z, w[active])
        if result is None:
            break
        package = program.package(result)
        value = _log_objective(space, w, package)
        if value > best_value:
            best_package, best_value = package, value
        # Tangents at a seen package make its bound exact, so a repeat proves optimality.
        if package.tobytes() in seen or result.objective <= best_value + 1e-9 * (1 + abs(best_value)):
            return _solution(space, name, best_package, math.exp(best_value))
        seen.add(package.tobytes())
        gains = utilities(space, package)[0] - space.reservation
        for k, p in enumerate(active):
            if gains[p] > 0:
                _add_tangent(program, p, z[k], gains[p])
    raise AnalysisError(f"{name}: outer approximation did not converge in {MAX_ROUNDS} rounds")


def _add_tangent(program: PackageProgram, party: int, z: int, at: float) -> None:
    """z <= log(at) + (g - at) / at, with g = u_party - r_party."""
    index, coef = program.utility(party)
    r = program.space.reservation[party]
    program.add_row(np.concatenate([[z], index]), np.concatenate([[1.0], -coef / at]),
                    upper=math.log(at) - 1.0 - r / at)


def _log_objective(space: Space, w: np.ndarray, package: np.ndarray) -> float:
    gains = utilities(space, package)[0] - space.reservation
    if np.any(gains[w > 0] <= 0):
        return -math.inf
    return float(np.sum(w[w > 0] * np.log(gains[w > 0])))


def all_solutions(space: Space) -> dict[str, Solution]:
    """The five solutions over the zone (empty when there is no zone)."""
    ideal = ideal_point(space)
    if ideal is None:
        return {}
    found = {
        "utilitarian": utilitarian(space),
        "nash": nash_bargaining_solution(space, ideal=ideal),
        "asymmetric-nash": nash_bargaining_solution(space, _capability_weights(space), ideal,
                                                    "asymmetric-nash"),
        "kalai-smorodinsky": kalai_smorodinsky(space, ideal),
        "egalitarian": egalitarian(space),
    }
    return {key: value for key, value in found.items() if value is not None}


def _capability_weights(space: Space) -> np.ndarray:
    """Capabilities as Nash weights; all-zero capabilities mean equal weights."""
    return space.capability if space.capability.sum() > 0 else np.ones(space.n_parties)
