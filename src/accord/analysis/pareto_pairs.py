"""The exact two-party Pareto frontier when terms link too many issues for the recursion.

When a party values options only together (terms over several issues, hard constraints),
the issue-by-issue recursion of `pareto` must enumerate each linked group's joint options;
past `MAX_BLOCK_COMBINATIONS` (GENIUS's non-linear spaces link 10 to 50 issues of 10
values: up to 10^50 packages) it cannot. For two parties the frontier is then walked with
the lexicographic ε-constraint method (Haimes, Lasdon & Wismer 1971; Mavrotas 2009):

1. the package that maximises party A's utility, then B's among those;
2. repeatedly, the best utility for A among packages that give B more than the last
   point, then the best for B at that utility of A; until no package gives B more.

Every point found is Pareto-optimal and no point is skipped when "more" is measured on
B's utility grid: when every coefficient of B's utility is a whole multiple of a unit `g`
(GENIUS's hyper-rectangles carry integers divided by a maximum), two different utilities
differ by at least `g`, and asking for `g / 2` more is exact. Without such a unit the step
is `RESOLUTION` of B's utility range, and the frontier says so (`reason`).

With units, a step is one MILP: maximise `W·A/g_A + B/g_B` with `W` above B's range in
units, which is lexicographic (A first, then B) on whole numbers. Without, it is two.
Two walks run at once, one from each end (A's best and B's best, in threads: HiGHS
releases the interpreter lock), and stop where they meet. Options that nothing tells
apart are merged first (`quotient`). Measured on GENIUS's 40-issue spaces, HiGHS spends
its time at the root node (one to five nodes per step), so the steps are solved without
its restarts.
"""

from __future__ import annotations

import math
import threading
from fractions import Fraction

import numpy as np

from accord.analysis._milp import PackageProgram
from accord.analysis._nondominated import nondominated
from accord.analysis.quotient import merge_equivalent_options
from accord.analysis.space import Space
from accord.analysis.utility import utilities, utility_bounds
from accord.errors import AnalysisError

DEFAULT_MAX_POINTS = 2_000
"""Frontier points walked before stopping (two MILPs each)."""
RESOLUTION = 1e-6
"""Step, relative to a party's utility range, when its utilities have no common unit."""
MIN_STEP = 1e-6
"""No step is smaller: ten times the solver's feasibility tolerance, which would absorb it."""
MAX_UNITS = 1e9
"""The one-MILP lexicographic step needs both ranges in units to multiply to at most this
(its objective must stay exact in floating point); beyond, a step is two MILPs."""
MAX_DENOMINATOR = 1_000_000
"""Largest denominator tried when looking for a common unit of a party's coefficients."""


def utility_unit(space: Space, party: int) -> float | None:
    """A unit `g` such that every utility of `party` is a whole multiple of it (to 1e-9
    relative), or None. Found from the party's weights and term values as fractions."""
    values = [float(v) for v in space.weights[party] if v != 0.0]
    values += [t.value for t in space.terms if t.party == party]
    if not values:
        return None
    scale = max(abs(v) for v in values)
    numerators: list[int] = []
    denominator = 1
    fractions = []
    for value in values:
        fraction = Fraction(value).limit_denominator(MAX_DENOMINATOR)
        if abs(float(fraction) - value) > 1e-12 * scale:
            return None
        fractions.append(fraction)
        denominator = math.lcm(denominator, fraction.denominator)
        if denominator > 10**12:
            return None
    numerators = [int(f * denominator) for f in fractions]
    common = math.gcd(*numerators)
    return common / denominator if common else None


def epsilon_frontier(space: Space, respect_red_lines: bool = False,
                     max_points: int = DEFAULT_MAX_POINTS
                     ) -> tuple[np.ndarray, np.ndarray, bool, str | None]:
    """(packages, utilities, complete, reason) of the exact frontier of two parties.

    Points come in decreasing utility of the first party. `complete` is False when
    `max_points` were walked before the walks met (the points found are exact frontier
    points, from both ends); `reason` says why the walk stopped or what limits its
    resolution.
    """
    if space.n_parties != 2:
        raise ValueError("the ε-constraint frontier is for two parties")
    quotient = merge_equivalent_options(space)
    merged = quotient.space
    steps, units, note = _steps(merged)
    meeting = _Meeting(max_points)
    walks = [_Walk(merged, respect_red_lines, lead, steps, units, meeting) for lead in (0, 1)]
    threads = [threading.Thread(target=walk.run, daemon=True) for walk in walks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for walk in walks:
        if walk.error is not None:
            raise walk.error
    found = [p for walk in walks for p in walk.packages]
    packages = quotient.lift(np.array(found, dtype=np.int64).reshape(-1, space.n_issues))
    values = utilities(space, packages)
    if len(packages):
        keep = nondominated(values)  # the walks meet on a shared point: drop the copy
        order = keep[np.lexsort((values[keep, 1], -values[keep, 0]))]
        packages, values = packages[order], values[order]
    if meeting.met or not found:
        return packages, values, True, note
    reason = (f"the walks stopped after {max_points:,} frontier points (the points listed "
              "are exact, from both ends)")
    return packages, values, False, "; ".join(filter(None, [reason, note]))


class _Meeting:
    """Where the two walks have got to, so that each stops when it reaches the other."""

    def __init__(self, max_points: int) -> None:
        self.lock = threading.Lock()
        self.latest: list[np.ndarray | None] = [None, None]
        self.count = 0
        self.max_points = max_points
        self.met = False

    def record(self, lead: int, point: np.ndarray) -> bool:
        """Note a walk's new point; whether that walk should go on."""
        with self.lock:
            self.latest[lead] = point
            self.count += 1
            other = self.latest[1 - lead]
            if other is not None and point[1 - lead] >= other[1 - lead]:
                self.met = True  # this walk reached the other's ground
            return not self.met and self.count < self.max_points

    def done(self, lead: int) -> None:
        """A walk found no further point: the frontier is complete."""
        with self.lock:
            self.met = True


class _Walk:
    """The ε-constraint walk led by party `lead`: its best, then the best for it among
    packages giving the other party more than the last point, and so on."""

    def __init__(self, space: Space, respect_red_lines: bool, lead: int,
                 steps: tuple[float, float], units: tuple[float | None, float | None],
                 meeting: _Meeting) -> None:
        self.space, self.lead, self.steps, self.meeting = space, lead, steps, meeting
        self.units = units
        self.respect_red_lines = respect_red_lines
        self.packages: list[np.ndarray] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._run()
        except BaseException as error:  # re-raised in the calling thread
            self.error = error

    def _run(self) -> None:
        space, lead, other = self.space, self.lead, 1 - self.lead
        forbidden = space.veto.any(axis=0) if self.respect_red_lines else None
        program = _StepProgram(space, forbidden, monotone=True)
        mine, theirs = program.utility(lead), program.utility(other)
        floor: float | None = None
        while True:
            if floor is not None:
                program.add_row(*theirs, lower=floor + self.steps[other])
            try:
                package = self._step(program, mine, theirs)
            finally:
                if floor is not None:
                    program.rows.pop()
            if package is None:
                self.meeting.done(lead)
                return
            self.packages.append(package)
            point = utilities(space, package)[0]
            if floor is not None and point[other] <= floor:  # cannot happen past MIN_STEP
                raise AnalysisError("the frontier walk did not advance (internal error)")
            floor = float(point[other])
            if not self.meeting.record(lead, point):
                return

    def _step(self, program: PackageProgram, mine: tuple, theirs: tuple) -> np.ndarray | None:
        """The lexicographic best (lead, then other) under the program's rows."""
        lead, other = self.lead, 1 - self.lead
        low, high = utility_bounds(self.space)
        unit_lead, unit_other = self.units[lead], self.units[other]
        if unit_lead is not None and unit_other is not None:
            weight = (high[other] - low[other]) / unit_other + 1.0
            if weight * ((high[lead] - low[lead]) / unit_lead + 1.0) <= MAX_UNITS:
                best = program.maximise(np.concatenate([mine[0], theirs[0]]),
                                        np.concatenate([mine[1] * (weight / unit_lead),
                                                        theirs[1] / unit_other]))
                return None if best is None else program.package(best)
        best = program.maximise(*mine)
        if best is None:
            return None
        start = program.package(best)
        program.add_row(*mine, lower=best.objective - self.steps[lead])
        try:
            result = program.maximise(*theirs, hint=program.hint_for(start))
        finally:
            program.rows.pop()
        return start if result is None else program.package(result)


class _StepProgram(PackageProgram):
    """Measured: the steps spend their time at HiGHS's root node; restarting it after
    root presolve rounds does not pay (about 20 % slower on 40-issue spaces)."""

    solver_options = {"mip_allow_restart": False}


def _steps(space: Space) -> tuple[tuple[float, float], tuple[float | None, float | None],
                                   str | None]:
    """Per party: the step (half a utility unit; or RESOLUTION of its range, at least
    MIN_STEP, without a usable unit), the unit if usable, and a note on what is not exact."""
    low, high = utility_bounds(space)
    steps, units, notes = [], [], []
    for party in range(2):
        unit = utility_unit(space, party)
        span = float(high[party] - low[party])
        if unit is not None and unit / 2 >= MIN_STEP:
            steps.append(unit / 2)
            units.append(unit)
            continue
        step = max(RESOLUTION * span, MIN_STEP)
        steps.append(step)
        units.append(None)
        notes.append(f"{space.party_ids[party]}'s utilities have no common unit: points "
                     f"closer than {step:.2g} in its utility may be merged")
    return (steps[0], steps[1]), (units[0], units[1]), "; ".join(notes) or None
