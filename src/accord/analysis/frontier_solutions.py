"""The bargaining solutions read off the exact Pareto frontier, when it is small.

Each of the five solutions of `bargaining` (with its tie-breaking) is a Pareto-optimal
package of the zone, and the zone's Pareto-optimal packages are those of the packages no
party vetoes (and that meet the hard constraints) whose gains meet every reservation: a
package dominating one in the zone is in the zone too. So when `pareto.pareto_frontier`
with red lines respected completes within a small budget, every solution is a scan of
its rows, with no solver. Definitions, tolerances and ties are those of `bargaining`:

- the zone: gains `u_p - r_p >= -TOLERANCE` (the solver's feasibility tolerance, as
  `zone` and the brute-force oracle);
- ideal point: each party's best utility in the zone;
- egalitarian and Kalai–Smorodinsky (`max_min_scaled_gain`): the largest smallest scaled
  gain over the parties whose scale is above GAIN_TOLERANCE, then the largest sum of
  utilities among the packages within GAIN_TOLERANCE of it (0 and the largest sum when no
  party has a scale);
- Nash and asymmetric Nash: the largest `sum w_p log g_p` over packages whose weighted
  gains are all above GAIN_TOLERANCE (ties: the largest sum), value `prod g_p^{w_p}`; when
  no package has such gains, the max-min package over the weighted parties, value 0.

The maximisers with these tie-breaks lie on the frontier: the set of packages at least as
good as a threshold is closed upwards, so its largest sum is not dominated.

Only under unanimity (a rule's solutions are over coalitions: `passing_bargaining`), and
only from the issue-by-issue recursion (the two-party ε-constraint walk is MILPs, and
too slow to be worth it here).
"""

from __future__ import annotations

import math

import numpy as np

from accord.analysis import pareto
from accord.analysis._progress import IDEAL, StageProgress, stage
from accord.analysis.bargaining import (
    GAIN_TOLERANCE,
    SOLUTION_NAMES,
    Solution,
    nash_weights,
)
from accord.analysis.space import Space
from accord.analysis.zone import TOLERANCE

MAX_STATES = 500_000
"""Candidates in one step of the recursion, at most (a few tens of ms for two parties)."""
MAX_WORK = 30_000_000
"""`pareto_frontier`'s work budget for three and four parties (the work of every step so
far): tens of milliseconds, about what the solutions' programs cost on a small space;
beyond it they are solved as MILPs."""
MAX_STEP_WORK = 3_000_000
"""The same for five or more parties, where the budget bounds each step (candidates x
states kept) rather than their total: a step of this size takes a few milliseconds, so a
space past it (30 issues x 4 options x 5 parties) gives up in about 15 ms."""


def zone_frontier(space: Space, max_states: int | None = None,
                  max_work: int | None = None) -> pareto.Frontier | None:
    """The exact frontier of the packages no party vetoes that meet the hard constraints,
    or None: under a rule that is not unanimity, when issues are linked beyond the
    recursion, or when it would pass the budget (MAX_STATES and MAX_WORK or MAX_STEP_WORK
    unless given)."""
    if not space.unanimous:
        return None
    if max_work is None:
        max_work = MAX_WORK if space.n_parties < 5 else MAX_STEP_WORK
    # linked past the recursion: no MILP walk here (the programs answer instead)
    found = pareto.pareto_frontier(space, True,
                                   MAX_STATES if max_states is None else max_states, max_work,
                                   walk=False)
    if not found.complete or found.method != "recursion":
        return None
    return found


def solutions_from_frontier(space: Space, frontier: pareto.Frontier,
                            names: tuple[str, ...] = SOLUTION_NAMES,
                            progress: StageProgress | None = None) -> dict[str, Solution]:
    """The solutions `names` (in SOLUTION_NAMES' order) from a complete frontier of the
    packages no party vetoes (`zone_frontier`); empty when no package is in the zone.

    `progress` hears the same stages as the programs' path (ideal points, each solution).
    """
    gains_all = frontier.utilities - space.reservation
    inside = np.all(gains_all >= -TOLERANCE, axis=1)
    packages, u = frontier.packages[inside], frontier.utilities[inside]
    with stage(progress, IDEAL, space.n_parties):
        if not len(packages):
            return {}
        ideal = u.max(axis=0)
    gains, sums = u - space.reservation, u.sum(axis=1)
    found: dict[str, Solution] = {}
    for name in (n for n in SOLUTION_NAMES if n in names):
        with stage(progress, name):
            if name == "utilitarian":
                best, value = int(np.argmax(sums)), None
            elif name == "egalitarian":
                best, value = _max_min(gains, sums, np.ones(space.n_parties))
            elif name == "kalai-smorodinsky":
                best, value = _max_min(gains, sums, ideal - space.reservation)
            else:
                w = (np.ones(space.n_parties) if name == "nash"
                     else nash_weights(space.capability))
                best, value = _nash(gains, sums, w)
            found[name] = _solution(name, packages[best], u[best], value)
    return found


def usable(space: Space, frontier: pareto.Frontier) -> bool:
    """Whether a frontier computed earlier holds the solutions: complete, from the
    recursion, of the packages no party vetoes, under unanimity."""
    return (space.unanimous and frontier.complete and frontier.method == "recursion"
            and frontier.red_lines_respected)


def frontier_solutions(space: Space, names: tuple[str, ...] = SOLUTION_NAMES,
                       progress: StageProgress | None = None,
                       known: pareto.Frontier | None = None) -> dict[str, Solution] | None:
    """`solutions_from_frontier` over `known` when it is `usable` (a caller's own
    frontier: no second recursion), else over `zone_frontier`; None when there is no such
    frontier (the caller then solves the programs)."""
    frontier = known if known is not None and usable(space, known) else zone_frontier(space)
    return None if frontier is None else solutions_from_frontier(space, frontier, names,
                                                                 progress)


def _solution(name: str, package: np.ndarray, u: np.ndarray, value: float | None) -> Solution:
    """As `bargaining` reports it: the package's utilities (the frontier's row, which
    `utility.utilities` computed as it does for one package, bit for bit); the utilitarian
    value is their sum."""
    u = u.copy()
    return Solution(name, np.array(package, dtype=np.int64), u,
                    float(u.sum()) if value is None else value)


def _max_min(gains: np.ndarray, sums: np.ndarray, scale: np.ndarray) -> tuple[int, float]:
    """`bargaining.max_min_scaled_gain` over the rows (the row and its value): the largest
    smallest g_p / scale_p (parties with scale above GAIN_TOLERANCE), then the largest sum
    within GAIN_TOLERANCE of it."""
    active = scale > GAIN_TOLERANCE
    if not active.any():
        return int(np.argmax(sums)), 0.0
    scaled = np.min(gains[:, active] / scale[active], axis=1)
    near = np.flatnonzero(scaled >= scaled.max() - GAIN_TOLERANCE)
    best = int(near[np.argmax(sums[near])])
    return best, float(scaled[best])


def _nash(gains: np.ndarray, sums: np.ndarray, w: np.ndarray) -> tuple[int, float]:
    """`bargaining.nash_bargaining_solution` over the rows (ties: the largest sum)."""
    active = w > 0
    weighted = gains[:, active]
    positive = np.all(weighted > GAIN_TOLERANCE, axis=1)
    if not positive.any():  # every package leaves a weighted party no gain
        return _max_min(gains, sums, active.astype(float))[0], 0.0
    logs = np.full(len(gains), -math.inf)
    logs[positive] = np.sum(w[active] * np.log(weighted[positive]), axis=1)
    top = np.flatnonzero(logs == logs.max())
    best = int(top[np.argmax(sums[top])])
    return best, math.exp(float(np.sum(w[active] * np.log(weighted[best]))))
