"""The bargaining solutions over the packages that pass under a decision rule.

Definitions (docs/rules.md). The utilitarian package maximises
the sum of every party's utility over passing packages (the left-out parties' welfare
counts). The others are carried by a winning coalition C (a minimal one is always among
the best: Riker 1962; as proposers build coalitions in Baron & Ferejohn 1989): over C and
packages every member of C accepts, egalitarian maximises the smallest gain
`g_p = u_p - r_p` in C, Kalai–Smorodinsky the smallest `g_p / ĝ_p`, and Nash (asymmetric
Nash: weights = capability) the product `prod_{p in C} (g_p / ĝ_p)^{w_p}`, where ĝ_p is
p's best gain over the passing packages it accepts (`passing_ideal`). Every factor is at
most 1, so adding a member never raises the product; under unanimity C is everyone and
these are the classic solutions (the Nash product divided by a constant). Ties: the
largest sum of utilities.

Each is one exact program over packages and coalitions (`passing.PassingProgram`):
egalitarian and Kalai–Smorodinsky a max-min with a big-M row per party (`t <= g_p / s_p`
when p is in), then the largest sum at that value; Nash by outer approximation (as
`bargaining`), each log's tangents switched off with its party. Where a weight or an ideal
gain is zero (a party whose factor is always 1 or always 0) the minimal winning coalitions
are solved one by one by the unanimity engine instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from accord.analysis import bargaining
from accord.analysis._progress import IDEAL, StageProgress, stage
from accord.analysis.blocking import relax
from accord.analysis.passing import NO_SUB_MIPS, PassingProgram, carrying, loosened
from accord.analysis.space import Demand, Space
from accord.analysis.utility import utilities, utility_bounds
from accord.analysis.zone import TOLERANCE
from accord.errors import AnalysisError

MAX_COALITIONS = 512
"""Minimal winning coalitions solved one by one by the fall-back (20 parties with a quorum
of 10 have 184,756: beyond this the question is refused with a reason)."""
GAIN_TOLERANCE = bargaining.GAIN_TOLERANCE
MIN_RATIO = 1e-6
"""No tangent of a member's log touches below this share of its ideal gain (its slope grows
as 1 / ratio); when the search cannot prove its answer without one, Nash falls back to the
coalitions one by one."""


def passing_ideal(space: Space, progress: StageProgress | None = None) -> np.ndarray | None:
    """Each party's best utility over the passing packages it accepts (ĝ_p + r_p); a
    party no passing package satisfies gets its reservation. None: nothing passes."""
    best = np.array(space.reservation, dtype=float)
    anything = False
    required = space.winning_rule.required
    # a required party first: when no passing package suits it, none passes at all
    order = sorted(range(space.n_parties), key=lambda p: not required[p])
    with stage(progress, IDEAL, space.n_parties) as advance:
        for done, p in enumerate(order, start=1):
            program = PassingProgram(space)
            program.lower[program.z[p]] = 1.0
            result = program.maximise(*program.utility(p))
            if result is not None:
                anything = True
                best[p] = utilities(space, program.package(result))[0][p]
            elif required[p]:
                return None
            advance(done)
    return best if anything else None


def passing_utilitarian(space: Space) -> bargaining.Solution | None:
    """Max of the sum of every party's utility over passing packages."""
    program = PassingProgram(space)
    result = program.maximise(*bargaining.sum_of_utilities(program))
    if result is None:
        return None
    package = program.package(result)
    u = utilities(space, package)[0]
    return bargaining.Solution("utilitarian", package, u, float(u.sum()),
                               coalition=carrying(space, package))


def passing_solutions(space: Space, progress: StageProgress | None = None,
                      names: tuple[str, ...] = bargaining.SOLUTION_NAMES,
                      nash_weights: np.ndarray | None = None,
                      ideal: np.ndarray | None = None) -> dict[str, bargaining.Solution]:
    """The solutions `names` over passing packages (empty when nothing passes).
    `nash_weights` replaces the equal weights of "nash"; `ideal`: `passing_ideal`'s (the
    egalitarian solution alone needs none, and does not compute it)."""
    if ideal is None and set(names) - {"egalitarian"}:
        ideal = passing_ideal(space, progress)
        if ideal is None:
            return {}
    found: dict[str, bargaining.Solution] = {}
    util = None
    if "utilitarian" in names or {"nash", "asymmetric-nash"} & set(names):
        with stage(progress, "utilitarian"):  # also the Nash search's start: one fast program
            util = passing_utilitarian(space)
        if util is not None and "utilitarian" in names:
            found["utilitarian"] = util
    top = ideal - space.reservation if ideal is not None else np.zeros(space.n_parties)
    weights = {"nash": (np.ones(space.n_parties) if nash_weights is None
                        else np.asarray(nash_weights, dtype=float)),
               "asymmetric-nash": bargaining.nash_weights(space.capability)}
    egal = None
    candidates = () if util is None else (util,)
    for name in names:
        if name == "utilitarian":
            continue
        with stage(progress, name):
            w = weights.get(name)
            if _needs_enumeration(name, top, w):
                best = _by_coalitions(space, name, top, w)
            elif name == "egalitarian":
                best = egal = egal or _max_min(space, np.ones(space.n_parties), name)
            elif name == "kalai-smorodinsky":
                best = _max_min(space, top, name)
            else:
                def egalitarian() -> bargaining.Solution | None:
                    nonlocal egal
                    egal = egal or _max_min(space, np.ones(space.n_parties), "egalitarian")
                    return egal
                best = _nash(space, w, top, egalitarian, name, candidates)
            if best is not None and not isinstance(best, tuple):
                candidates += (best,)
        if best is not None:
            found[name] = best[2] if isinstance(best, tuple) else best
    return found


def _needs_enumeration(name: str, top: np.ndarray, w: np.ndarray | None) -> bool:
    """Whether a zero weight or ideal gain calls for the coalition-by-coalition fall-back
    (a party whose factor is 1 or 0 whatever the package: the program's rows assume
    neither)."""
    if name == "egalitarian":
        return False
    small = GAIN_TOLERANCE + MIN_RATIO * float(np.max(top, initial=0.0))
    if name == "kalai-smorodinsky":
        return bool(np.any(top <= small))
    return bool(np.any(np.asarray(w) <= 0) or np.any(top <= small))


def _by_coalitions(space: Space, name: str, top: np.ndarray,
                   w: np.ndarray | None) -> bargaining.Solution | None:
    """The fall-back: each minimal winning coalition solved by the unanimity engine."""
    coalitions = space.winning_rule.minimal_winning()
    if len(coalitions) > MAX_COALITIONS:
        raise AnalysisError(f"{len(coalitions):,} minimal winning coalitions: solving each is "
                         f"too much (at most {MAX_COALITIONS:,})")
    best = None
    for members in coalitions:
        candidate = _carried_by(space, members, name, top, w)
        if candidate is not None and (best is None or _better(candidate, best)):
            best = candidate
    return None if best is None else best[2]


def _max_min(space: Space, scale: np.ndarray, name: str) -> bargaining.Solution | None:
    """max over packages and winning coalitions of min over members of g_p / scale_p, then
    the largest sum of utilities at that value (scale > 0 for every party)."""
    program = PassingProgram(space, reservations=False)  # t >= 0 is acceptance
    _, high = utility_bounds(space)
    # members accept (t >= 0), and a member's best gain caps t, so the smallest member's
    # over the best coalition does (`bottleneck`); for Kalai–Smorodinsky (scale = ideal
    # gain over passing packages) no member passes 1
    t_max = max(0.0, space.winning_rule.bottleneck((high - space.reservation) / scale))
    if name == "kalai-smorodinsky":
        t_max = min(t_max, 1.0)
    # t >= 0 is acceptance, to the engine's tolerance (a gain of -1e-13 accepts: `accepting`)
    t = program.smallest_scaled_gain(scale, -TOLERANCE / float(np.max(scale)),
                                     loosened(t_max))
    first = program.maximise([t], [1.0])
    if first is None:
        return None
    package, members = program.package(first), program.coalition(first.values)
    best = _scaled_min(space, package, members, scale)
    program.lower[t] = best - 1e-9 * (1 + abs(best))
    second = program.maximise(*bargaining.sum_of_utilities(program),
                              hint=program.hint_for(package) | {
                                  int(program.z[p]): float(members[p])
                                  for p in range(space.n_parties)})
    if second is not None:
        package, members = program.package(second), program.coalition(second.values)
    value = _scaled_min(space, package, members, scale)
    return bargaining.Solution(name, package, utilities(space, package)[0], value,
                               coalition=carrying(space, package))


def _scaled_min(space: Space, package: np.ndarray, members: np.ndarray,
                scale: np.ndarray) -> float:
    gains = utilities(space, package)[0] - space.reservation
    return float(np.min(gains[members] / scale[members]))


def _nash(space: Space, w: np.ndarray, top: np.ndarray,
          egalitarian: Callable[[], bargaining.Solution | None], name: str,
          candidates: tuple[bargaining.Solution, ...] = ()) -> bargaining.Solution | None:
    """max sum over members of w_p log(g_p / top_p), by outer approximation; every weight
    and ideal gain positive. It starts from the best of `candidates` (other solutions;
    their tangents too), or else from the egalitarian solution: when that leaves a member
    no gain, so does every passing package, and the product is 0."""
    coalitions = minimal_subsets(space)
    scored = [(best_coalition(space, s.package, w, top, coalitions), s.package)
              for s in candidates]
    if all(value == -math.inf for (value, _), _ in scored):
        egal = egalitarian()
        if egal is None:
            return None
        if egal.value <= GAIN_TOLERANCE:
            return bargaining.Solution(name, egal.package, egal.utilities, 0.0, egal.coalition)
        scored.append((best_coalition(space, egal.package, w, top, coalitions), egal.package))
    (f0, members0), package0 = max(scored, key=lambda found: found[0][0])
    floor = 0.5 * top * np.exp(f0 / w)  # a member's own term must beat f0 (the others <= 0)
    # tangents steeper than at MIN_RATIO would upset the solver: below it (uneven weights
    # make tiny floors) the tangent there still bounds the log, and if the search cannot
    # then prove its answer, the coalitions are solved one by one
    steep = floor < MIN_RATIO * top
    program = PassingProgram(space)
    # the root's reduced-cost sub-MIP also costs more than it saves here (it helps the
    # max-min programs, which keep it)
    program.solver_options = NO_SUB_MIPS | {"mip_heuristic_run_root_reduced_cost": False}
    low, _ = utility_bounds(space)
    logs = np.array([program.free_var() for _ in range(space.n_parties)], dtype=np.int64)
    # g̃_p: p's gain when it is in the coalition, 0 when it is out (one big-M row per party;
    # the tangents are then written on g̃ with no big-M of their own, which keeps the
    # relaxation tight: g̃ <= top z, g̃ <= g + M (1 - z), g̃ >= floor z)
    kept = program.add_vars(space.n_parties, integer=False)
    for p in range(space.n_parties):
        program.lower[logs[p]] = math.log(floor[p] / top[p]) if floor[p] > 0 else -math.inf
        program.upper[logs[p]] = 0.0
        program.upper[kept[p]] = top[p]
        program.add_row([kept[p], program.z[p]], [1.0, -top[p]], upper=0.0)
        if not steep[p]:
            program.add_row([kept[p], program.z[p]], [1.0, -floor[p]], lower=0.0)
        big_m = top[p] + max(0.0, space.reservation[p] - low[p])
        program.require_gain(p, space.reservation[p] - big_m,
                             extra=([kept[p], program.z[p]], [-1.0, -big_m]))
        for ratio in np.geomspace(max(floor[p] / top[p], MIN_RATIO), 1.0, 8):
            _tangent(program, logs[p], kept[p], program.z[p], ratio, top[p])
    for (value, members), package in scored:  # tangents where the candidates are
        gains = utilities(space, package)[0] - space.reservation
        for p in np.flatnonzero(members) if value > -math.inf else ():
            _tangent(program, logs[p], kept[p], program.z[p], _touching(gains[p], top[p]),
                     top[p])
    best_value, best_package, best_members = f0, package0, members0
    seen: set[bytes] = set()
    for _ in range(bargaining.MAX_ROUNDS):
        hint = program.hint_for(best_package) | {int(program.z[p]): float(best_members[p])
                                                 for p in range(space.n_parties)}
        result = program.maximise(logs, w, hint=hint)
        if result is None:
            raise AnalysisError(f"{name}: the solver lost the incumbent package "
                                           "(numerical trouble)")
        package, members = program.package(result), program.coalition(result.values)
        value, found_members = best_coalition(space, package, w, top, coalitions, members)
        if value > best_value:
            best_value, best_package, best_members = value, package, found_members
        key = package.tobytes() + members.tobytes()
        proven = result.objective <= best_value + 1e-9 * (1 + abs(best_value))
        if key in seen and not proven:
            # back where a tangent already touches: the solver's tolerance is all that is
            # left, unless a member's gain is below MIN_RATIO, where no tangent touches
            gains = utilities(space, package)[0] - space.reservation
            if np.any(gains[members] < MIN_RATIO * top[members]):
                return _by_coalitions(space, name, top, w)
        if proven or key in seen:
            u = utilities(space, best_package)[0]
            return bargaining.Solution(name, best_package, u, math.exp(best_value),
                                       coalition=carrying(space, best_package))
        seen.add(key)
        gains = utilities(space, package)[0] - space.reservation
        for p in np.flatnonzero(members):
            if gains[p] > 0:
                _tangent(program, logs[p], kept[p], program.z[p], _touching(gains[p], top[p]),
                         top[p])
    raise AnalysisError(f"{name}: outer approximation did not converge in "
                                   f"{bargaining.MAX_ROUNDS} rounds")


def _touching(gain: float, top: float) -> float:
    """Where a tangent touches for a gain: its ratio to the ideal gain, within
    [MIN_RATIO, 1]."""
    return min(1.0, max(MIN_RATIO, gain / top))


def _tangent(program: PassingProgram, log_var: int, kept: int, z: int, at: float,
             top: float) -> None:
    """L_p <= (log(at) - 1) z_p + g̃_p / (top at): the tangent of log(g / top) at `at`
    when p is in the coalition, and L_p <= 0 when it is out (g̃_p = 0)."""
    program.add_row([log_var, z, kept], [1.0, -(math.log(at) - 1.0), -1.0 / (top * at)],
                    upper=0.0)


def minimal_subsets(space: Space) -> list[np.ndarray] | None:
    """The minimal winning coalitions, to score a package by its best one (None when too
    many parties to list them: a package is then scored by the program's coalition)."""
    try:
        return space.winning_rule.minimal_winning()
    except AnalysisError:
        return None


def passing_nash_product(space: Space, package: np.ndarray, ideal: np.ndarray,
                         coalitions: list[np.ndarray] | tuple | None = None,
                         weights: np.ndarray | None = None) -> float:
    """A package's Nash product under the rule, as defined above: the most, over the
    winning coalitions whose members all accept it, of prod (g_p / ĝ_p)^{w_p} (ĝ from
    `ideal`, `passing_ideal`'s); 0 when it does not pass or every such coalition has a
    member without gain. `coalitions`: the minimal winning ones, when the caller has them."""
    w = np.ones(space.n_parties) if weights is None else np.asarray(weights, dtype=float)
    listed = list(coalitions) if coalitions is not None else minimal_subsets(space)
    value, _ = best_coalition(space, np.asarray(package), w, ideal - space.reservation, listed)
    return 0.0 if value == -math.inf else math.exp(value)


def best_coalition(space: Space, package: np.ndarray, w: np.ndarray, top: np.ndarray,
                    coalitions: list[np.ndarray] | None,
                    given: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """The package's Nash log-value under its best winning coalition of acceptors."""
    gains = utilities(space, package)[0] - space.reservation
    accepts = carrying(space, package)
    options = [] if accepts is None else [
        c for c in (coalitions or []) if np.all(accepts[c])]
    if given is not None:
        options.append(given)
    best, best_members = -math.inf, given if given is not None else accepts
    for members in options:
        if np.any(gains[members] <= GAIN_TOLERANCE):
            continue
        value = float(np.sum(w[members] * np.log(gains[members] / top[members])))
        if value > best:
            best, best_members = value, members
    return best, best_members


def _carried_by(space: Space, members: np.ndarray, name: str, top: np.ndarray,
                w: np.ndarray | None) -> tuple[float, float, bargaining.Solution] | None:
    """One solution over the packages every member accepts, scored comparably across
    coalitions: (value, sum of utilities, solution)."""
    others = tuple(Demand(p, kind, i) for p in np.flatnonzero(~members)
                   for kind, i in [("reservation", None)] + [
                       ("red-line", int(i)) for i in np.unique(space.issue_of[space.veto[p]])])
    sub = replace(relax(space, others), rule=None)
    gains_scale = np.where(members, np.maximum(top, 0.0), 0.0)
    if name == "egalitarian":
        found = bargaining.max_min_scaled_gain(sub, members.astype(float))
    elif name == "kalai-smorodinsky":
        found = bargaining.max_min_scaled_gain(sub, gains_scale)
    elif not (np.where(members, w, 0.0) > 0).any():  # an empty product: any package will do
        found = bargaining.max_min_scaled_gain(sub, members.astype(float))
    else:
        weight = np.where(members, w, 0.0)
        ideal = np.where(members, top + space.reservation, sub.reservation + 1.0)
        solution = bargaining.nash_bargaining_solution(sub, weight, ideal, name)
        found = None if solution is None else (solution.package, 0.0)
    if found is None:
        return None
    package = found[0]
    u = utilities(space, package)[0]
    gains = u - space.reservation
    if name == "egalitarian":
        value = float(gains[members].min())
    elif name == "kalai-smorodinsky":
        active = members & (top > bargaining.GAIN_TOLERANCE)
        # no member with anything to gain: none is short of its best
        value = float((gains[active] / top[active]).min()) if active.any() else 1.0
    else:  # members of weight 0 do not enter the product (nor, when all are, does anyone)
        weight = np.where(members, w, 0.0)
        active = weight > 0
        ratios = gains[active] / np.where(top[active] > 0, top[active], 1.0)
        value = (0.0 if np.any(gains[active] <= bargaining.GAIN_TOLERANCE)
                 else math.exp(float(np.sum(weight[active] * np.log(ratios)))))
    solution = bargaining.Solution(name, package, u, value, coalition=carrying(space, package))
    return value, float(u.sum()), solution


def _better(candidate: tuple, best: tuple) -> bool:
    """A higher value, or an equal one (to 1e-9) with a larger sum of utilities."""
    gap = 1e-9 * (1 + abs(best[0]))
    return candidate[0] > best[0] + gap or (
        abs(candidate[0] - best[0]) <= gap and candidate[1] > best[1] + 1e-9)


