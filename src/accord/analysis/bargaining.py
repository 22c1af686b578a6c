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
stop when the bound meets the best package found. The first tangents touch at the best
package known beforehand too, so when it is optimal the first bound proves it (on one
issue of 1,001 options each round costs HiGHS about a second). Packages whose gain is so
small that they cannot beat the egalitarian package are cut off first, so logs stay finite.

`all_solutions` and `solutions_except_egalitarian` read the solutions off the exact Pareto
frontier instead when it is small (`frontier_solutions`: same definitions, no solver).

Under a decision rule that is not unanimity, each public function answers over the
packages that pass instead, with the coalition that carries its package
(`passing_bargaining`, whose definitions reduce to these under unanimity; docs/rules.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from accord.analysis._milp import FEW_HEURISTICS, LINKED_WORK, MAX_MIN_WORK, PackageProgram
from accord.analysis._progress import IDEAL, StageProgress, stage
from accord.analysis.pareto import Frontier
from accord.analysis.space import Space
from accord.analysis.utility import utilities
from accord.errors import AnalysisError

GAIN_TOLERANCE = 1e-9
MAX_ROUNDS = 500
SOLUTION_NAMES = ("utilitarian", "nash", "asymmetric-nash", "kalai-smorodinsky", "egalitarian")
"""Every bargaining solution, in the order they are reported."""


@dataclass(frozen=True)
class Solution:
    """A bargaining solution: its package, each party's utility, and the optimal value."""

    name: str
    package: np.ndarray
    utilities: np.ndarray
    value: float
    coalition: np.ndarray | None = None
    """Under a rule that is not unanimity: the parties that accept the package (bool per
    party, a winning coalition); None under unanimity (everyone)."""


def zone_program(space: Space) -> PackageProgram:
    """Program over acceptable packages (red lines, constraints, reservations).

    Every program built on it only maximises utilities (or increasing functions of them:
    sums, the smallest scaled gain, tangents of logs) or bounds them from below, so terms
    are linearised `monotone` (any solution's utilities are at most its package's)."""
    program = PackageProgram(space, space.veto.any(axis=0), monotone=True)
    if program.linked():
        program.solver_options = LINKED_WORK
    for p in range(space.n_parties):
        program.require_gain(p, space.reservation[p])
    return program


def _solution(space: Space, name: str, package: np.ndarray, value: float) -> Solution:
    return Solution(name, package, utilities(space, package)[0], value)


def sum_of_utilities(program: PackageProgram) -> tuple[np.ndarray, np.ndarray]:
    """(indices, coefficients) of the sum of every party's utility."""
    parts = [program.utility(p) for p in range(program.space.n_parties)]
    return np.concatenate([i for i, _ in parts]), np.concatenate([c for _, c in parts])


def _passing():
    """The rule-aware engine (imported late: it is built on this module)."""
    from accord.analysis import passing_bargaining
    return passing_bargaining


def utilitarian(space: Space) -> Solution | None:
    """Max sum of utilities over the zone; None when there is no zone."""
    if not space.unanimous:
        return _passing().passing_utilitarian(space)
    program = zone_program(space)
    result = program.maximise(*sum_of_utilities(program))
    if result is None:
        return None
    package = program.package(result)
    return _solution(space, "utilitarian", package, float(utilities(space, package)[0].sum()))


def max_min_scaled_gain(space: Space, scale: np.ndarray,
                        start: np.ndarray | None = None) -> tuple[np.ndarray, float] | None:
    """max t s.t. g_p >= t * scale_p, then max sum of utilities keeping that t.

    `start`, when given, is a package known to solve the first stage (e.g. the zone
    verdict's witness, which maximises the smallest margin), so only the second runs.
    """
    program, t, active = max_min_program(space, scale)
    if start is None:
        first = program.maximise(t, [1.0])
        if first is None:
            return None
        start = program.package(first)
    if not active:
        return start, 0.0
    package = start
    best = float(np.min((utilities(space, package)[0] - space.reservation)[active] / scale[active]))
    program.lower[t[0]] = best - GAIN_TOLERANCE
    program.solver_options = program.solver_options | FEW_HEURISTICS  # it starts at the optimum
    second = program.maximise(*sum_of_utilities(program), hint=program.hint_for(package))
    if second is not None:
        package = program.package(second)
    value = float(np.min((utilities(space, package)[0] - space.reservation)[active] / scale[active]))
    return package, value


def max_min_program(space: Space, scale: np.ndarray
                    ) -> tuple[PackageProgram, np.ndarray, list[int]]:
    """`max_min_scaled_gain`'s first-stage program, its variable t (maximise t) and the
    parties with a scale: g_p >= t * scale_p for each of them, over the zone
    (benchmarks/floors.py times it too)."""
    program = zone_program(space)
    if not program.linked():
        program.solver_options = MAX_MIN_WORK
    t = np.array([program.free_var()])
    active = [p for p in range(space.n_parties) if scale[p] > GAIN_TOLERANCE]
    for p in active:
        program.require_gain(p, space.reservation[p], extra=([t[0]], [-scale[p]]))
    return program, t, active


def egalitarian(space: Space, start: np.ndarray | None = None) -> Solution | None:
    """Max of the smallest gain over reservation (ties: max sum).

    `start`: a package known to maximise the smallest gain (the zone witness), if any.
    """
    if not space.unanimous:
        return _passing().passing_solutions(space, names=("egalitarian",)).get("egalitarian")
    found = max_min_scaled_gain(space, np.ones(space.n_parties), start)
    return None if found is None else _solution(space, "egalitarian", *found)


def ideal_point(space: Space) -> np.ndarray | None:
    """Each party's best utility within the zone (None when there is no zone)."""
    if not space.unanimous:
        return _passing().passing_ideal(space)
    found = _ideal_packages(space)
    return None if found is None else found[0]


def _ideal_packages(space: Space, progress: StageProgress | None = None,
                    ) -> tuple[np.ndarray, list[np.ndarray]] | None:
    best, packages = np.zeros(space.n_parties), []
    with stage(progress, IDEAL, space.n_parties) as advance:
        for p in range(space.n_parties):
            program = zone_program(space)
            result = program.maximise(*program.utility(p))
            if result is None:
                return None
            packages.append(program.package(result))
            best[p] = utilities(space, packages[-1])[0][p]
            advance(p + 1)
    return best, packages


def kalai_smorodinsky(space: Space, ideal: np.ndarray | None = None) -> Solution | None:
    """Max of the smallest gain as a share of the ideal gain (ties: max sum)."""
    if not space.unanimous:
        return _passing().passing_solutions(space, names=("kalai-smorodinsky",),
                                            ideal=ideal).get("kalai-smorodinsky")
    ideal = ideal_point(space) if ideal is None else ideal
    if ideal is None:
        return None
    found = max_min_scaled_gain(space, ideal - space.reservation)
    return None if found is None else _solution(space, "kalai-smorodinsky", *found)


def nash_bargaining_solution(space: Space, weights: np.ndarray | None = None,
                             ideal: np.ndarray | None = None, name: str = "nash",
                             candidates: list[np.ndarray] | tuple = (),
                             node_limit: int | None = None) -> Solution | None:
    """Max of prod g_p^{w_p} over the zone (w = 1: symmetric Nash). Value = the product.

    Parties with weight 0 do not enter the product (they keep their reservation only).
    Gains at or below GAIN_TOLERANCE (1e-9) count as no gain; the value is 0 when every
    acceptable package leaves some weighted party no gain.

    `candidates` are acceptable packages known beforehand (e.g. other solutions); the
    best of them bounds the search from below. Without `ideal`, the ideal packages and the
    utilitarian package join them. Without one whose gains are all positive, the max-min
    package is computed to decide whether any exists.
    `node_limit` (branch-and-bound nodes per solver call) raises `SolverLimit` when reached.
    """
    if not space.unanimous:
        found = _passing().passing_solutions(space, names=("nash",), nash_weights=weights,
                                             ideal=ideal).get("nash")
        return None if found is None else replace(found, name=name)
    w = np.ones(space.n_parties) if weights is None else np.asarray(weights, dtype=float)
    candidates = list(candidates)
    if ideal is None:  # the ideal packages and the utilitarian one are candidates too
        found_ideal = _ideal_packages(space)
        if found_ideal is None:
            return None
        ideal, candidates = found_ideal[0], candidates + found_ideal[1]
        util = utilitarian(space)  # cheap, and usually a good start
        candidates += [] if util is None else [util.package]
    incumbent = _best_candidate(space, w, candidates)
    if incumbent is None or _log_objective(space, w, incumbent) == -math.inf:
        # the max-min package (a hard program when terms link issues) decides
        egal = max_min_scaled_gain(space, (w > 0).astype(float))
        if egal is None:
            return None
        incumbent = egal[0]
        if egal[1] <= GAIN_TOLERANCE:  # every acceptable package leaves a weighted party no gain
            return _solution(space, name, incumbent, 0.0)
    top = ideal - space.reservation
    return _outer_approximation(space, w, top, incumbent, name, node_limit)


def _best_candidate(space: Space, w: np.ndarray,
                    candidates: list[np.ndarray]) -> np.ndarray | None:
    """The candidate of the largest `_log_objective` (the first among ties)."""
    return max(candidates, key=lambda pkg: _log_objective(space, w, pkg), default=None)


def _gain_floor(space: Space, w: np.ndarray, top: np.ndarray, incumbent: np.ndarray) -> np.ndarray:
    """Gains below the floor cannot beat the incumbent's objective F0:
    w_p log g_p + sum_{q != p} w_q log top_q < F0  when  g_p < floor_p."""
    f0 = _log_objective(space, w, incumbent)
    floor = np.zeros(len(w))
    active = np.flatnonzero(w > 0)
    for p in active:
        rest = float(sum(w[q] * math.log(top[q]) for q in active if q != p))
        floor[p] = max(GAIN_TOLERANCE, 0.5 * math.exp((f0 - rest) / w[p]))
    return floor


def _outer_approximation(space: Space, w: np.ndarray, top: np.ndarray,
                         start: np.ndarray, name: str,
                         node_limit: int | None = None) -> Solution:
    floor = _gain_floor(space, w, top, start)
    program = zone_program(space)
    program.solver_options = program.solver_options | FEW_HEURISTICS
    active = [p for p in range(space.n_parties) if w[p] > 0]
    z = np.array([program.free_var() for _ in active], dtype=np.int64)
    for k, p in enumerate(active):
        program.lower[z[k]] = math.log(floor[p])
        program.upper[z[k]] = math.log(top[p])
        program.require_gain(p, space.reservation[p] + floor[p])
        for point in np.geomspace(floor[p], top[p], 8):
            _add_tangent(program, p, z[k], point)
    best_package, best_value = start, _log_objective(space, w, start)
    start_gains = utilities(space, start)[0] - space.reservation
    for k, p in enumerate(active):  # tangents at the incumbent: its bound is exact at once
        _add_tangent(program, p, z[k], start_gains[p])
    seen: set[bytes] = set()
    for _ in range(MAX_ROUNDS):
        result = program.maximise(z, w[active], node_limit=node_limit)
        if result is None:  # the incumbent is feasible, so only numerical trouble gets here
            raise AnalysisError(f"{name}: the solver lost the incumbent package (numerical "
                                "trouble; check for extreme saliences or capabilities)")
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
    """sum w_p log g_p; -inf when a weighted party's gain is not above GAIN_TOLERANCE."""
    gains = utilities(space, package)[0] - space.reservation
    if np.any(gains[w > 0] <= GAIN_TOLERANCE):
        return -math.inf
    return float(np.sum(w[w > 0] * np.log(gains[w > 0])))


def solutions_except_egalitarian(space: Space, progress: StageProgress | None = None,
                                 frontier: bool = True) -> dict[str, Solution]:
    """Utilitarian, Nash, asymmetric Nash and Kalai-Smorodinsky (empty when no zone).

    `progress` hears of the ideal points and of each solution as a stage (see _progress).
    `frontier`: read them off the exact Pareto frontier when it is small
    (`frontier_solutions`); False always solves the programs.
    """
    if not space.unanimous:
        return _passing().passing_solutions(space, progress, SOLUTION_NAMES[:-1])
    if frontier:
        found_on_frontier = _frontier_solutions(space, SOLUTION_NAMES[:-1], progress)
        if found_on_frontier is not None:
            return found_on_frontier
    util, tasks = solution_tasks(space, progress)
    found: dict[str, Solution | None] = {"utilitarian": util}
    for name, task in tasks.items():
        found[name] = task()
    return {key: value for key, value in found.items() if value is not None}


def solution_tasks(space: Space, progress: StageProgress | None = None,
                   ) -> tuple[Solution | None, dict[str, Callable[[], Solution | None]]]:
    """The programs' path of `solutions_except_egalitarian` (under unanimity) in two parts:
    the utilitarian solution, found with the ideal packages now, and the Nash, asymmetric
    Nash and Kalai-Smorodinsky solutions as independent tasks (in the order they are
    reported, each reporting its stage), which `analyze` runs on its threads and
    `solutions_except_egalitarian` one after another: the same programs either way. No
    utilitarian solution and no tasks when there is no zone."""
    found_ideal = _ideal_packages(space, progress)
    if found_ideal is None:
        return None, {}
    ideal, candidates = found_ideal
    with stage(progress, "utilitarian"):
        util = utilitarian(space)
    if util is not None:
        candidates = [util.package] + candidates

    def staged(name: str, solve: Callable[[], Solution | None]) -> Callable[[], Solution | None]:
        def task() -> Solution | None:
            with stage(progress, name):
                return solve()
        return task

    return util, {
        "nash": staged("nash", lambda: nash_bargaining_solution(
            space, None, ideal, "nash", candidates)),
        "asymmetric-nash": staged("asymmetric-nash", lambda: nash_bargaining_solution(
            space, _capability_weights(space), ideal, "asymmetric-nash", candidates)),
        "kalai-smorodinsky": staged("kalai-smorodinsky",
                                    lambda: kalai_smorodinsky(space, ideal)),
    }


def all_solutions(space: Space, max_min_package: np.ndarray | None = None,
                  frontier: bool | Frontier = True) -> dict[str, Solution]:
    """The five solutions over the zone (empty when there is no zone).

    `max_min_package`: the zone verdict's witness, which already solves the first stage
    of the egalitarian solution. `frontier`: read them off the exact Pareto frontier when
    it is small (`frontier_solutions`); False always solves the programs. A `Frontier`
    the caller already has (`pareto_frontier`) is read directly when it is complete and
    of the packages no party vetoes (`respect_red_lines`, or a space without red lines),
    as NegMAS's solution functions take the frontier they are given.
    """
    if not space.unanimous:
        return _passing().passing_solutions(space)
    if frontier is not False:
        found_on_frontier = _frontier_solutions(
            space, SOLUTION_NAMES, known=frontier if isinstance(frontier, Frontier) else None)
        if found_on_frontier is not None:
            return found_on_frontier
    found = solutions_except_egalitarian(space, frontier=False)
    if not found:
        return {}
    egal = egalitarian(space, max_min_package)
    return found | ({"egalitarian": egal} if egal is not None else {})


def _frontier_solutions(space: Space, names: tuple[str, ...],
                        progress: StageProgress | None = None,
                        known: Frontier | None = None) -> dict[str, Solution] | None:
    """The solutions from a small exact frontier, or None (imported late: built on this
    module)."""
    from accord.analysis.frontier_solutions import frontier_solutions
    return frontier_solutions(space, names, progress, known)


def nash_weights(capability: np.ndarray) -> np.ndarray:
    """Capabilities as asymmetric-Nash weights, scaled so the largest is 1.

    Weights below a millionth of the largest count as 0 (such a party does not enter the
    product); all-zero capabilities mean equal weights.
    """
    capability = np.asarray(capability, dtype=float)
    if capability.max(initial=0.0) <= 0:
        return np.ones(len(capability))
    weights = capability / capability.max()
    return np.where(weights < 1e-6, 0.0, weights)


def _capability_weights(space: Space) -> np.ndarray:
    return nash_weights(space.capability)
