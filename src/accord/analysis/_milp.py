"""A small builder for the mixed-integer programs of the analysis, solved by HiGHS.

Every exact analysis is a MILP over the one-hot choice variables `x[v]` (one per
issue-option pair) plus auxiliary variables. `PackageProgram` sets up the part every
question shares: one option per issue, hard constraints, red lines, and a linear
expression of each party's utility. A term over several issues is linearised exactly with
one indicator `y = AND_k c_k`, where `c_k` (the sum of the term's variables on its k-th
issue) is 0 or 1: `y <= c_k` for each k and `y >= sum_k c_k - (K - 1)`; a term over one
issue needs no indicator (its value goes on its variables).
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass

import highspy
import numpy as np

from accord.analysis.space import Space
from accord.analysis.utility import utility_bounds
from accord.errors import AnalysisError, SolverLimit

SOLVER_OPTIONS: dict[str, object] = {
    "output_flag": False,
    "mip_rel_gap": 0.0,
    "mip_abs_gap": 0.0,
    "mip_feasibility_tolerance": 1e-7,
    "primal_feasibility_tolerance": 1e-7,
    "small_matrix_value": 1e-12,
    "threads": 1,
    "time_limit": 600.0,
}
"""Solve to proven optimality (no gap) with tight feasibility tolerances."""
INF = np.inf

LINKED_WORK: dict[str, object] = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_pscost_minreliable": 0,
    "mip_allow_cut_separation_at_nodes": False,
}
"""Work settings for the zone and bargaining programs of spaces with terms (never a gap or
a tolerance): no RINS/RENS sub-MIPs, pseudocosts trusted from the first branching (strong
branching took more than half of the simplex iterations) and cuts at the root only. On
30 x 4 x 5 with 50 interactions per party the max-min program proves the same optimum
about twice as fast (benchmarks/bench_linked.py); spaces without such terms keep
HiGHS's defaults, but for the max-min programs (MAX_MIN_WORK)."""

FEW_HEURISTICS: dict[str, object] = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_feasibility_jump": False,
}
"""Work settings (never a gap or a tolerance): no RINS/RENS sub-MIPs and no feasibility
jump, for programs that start from a package known to be optimal (the second stage of a
max-min, from the first stage's optimum) or are almost always solved at their root (the
Nash solutions' outer-approximation rounds), where these heuristics look for what the
program already has: they took 30-50% of those programs' time at 8 parties. The searches,
and the packages found, stay the same."""

MAX_MIN_WORK: dict[str, object] = {"mip_allow_cut_separation_at_nodes": False} | FEW_HEURISTICS
"""Work settings of the max-min programs (zone, egalitarian, Kalai-Smorodinsky) of spaces
without terms (never a gap or a tolerance): cuts at the root only, and FEW_HEURISTICS. Their
proofs of optimality are long searches among near-ties (thousands of nodes at 8 parties),
where separating cuts at every node, and those heuristics, cost more than they save: on
generated 60-80 issues x 4-6 options x 8 parties (seeds 0 and 1) the same optima come in
0.5-1.1 times the time (the Kalai-Smorodinsky program up to 3 times faster); small spaces
solve at the root either way. LINKED_WORK's trust in pseudocosts helps some of these
spaces and hurts others."""


@dataclass
class Result:
    """An optimal solution: variable values and objective value (as maximised)."""

    values: np.ndarray
    objective: float


_banner_silenced = False
_banner_lock = threading.Lock()


def _new_solver() -> highspy.Highs:
    """A HiGHS instance; the first one of a process prints a banner on the C stdout,
    which would corrupt `--json` output, so it is made with fd 1 pointed at /dev/null."""
    global _banner_silenced
    if _banner_silenced:
        return highspy.Highs()
    with _banner_lock:
        if _banner_silenced:
            return highspy.Highs()
        solver = _quietly_new_solver()
        _banner_silenced = True
        return solver


def _quietly_new_solver() -> highspy.Highs:
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), 1)
            solver = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return solver


class Program:
    """Variables with bounds and integrality, linear rows; maximise a linear objective.

    `solver_options` adds to or overrides `SOLVER_OPTIONS` for this program (work
    settings only, such as which heuristics run: never a gap or a tolerance).
    """

    solver_options: dict[str, object] = {}

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[np.ndarray, np.ndarray, float, float]] = []

    def add_vars(self, count: int, lower: float = 0.0, upper: float = 1.0,
                 integer: bool = True) -> np.ndarray:
        """Add `count` variables; returns their indices."""
        start = len(self.lower)
        self.lower += [lower] * count
        self.upper += [upper] * count
        self.integer += [int(integer)] * count
        return np.arange(start, start + count)

    def add_row(self, index: np.ndarray, coef: np.ndarray, lower: float = -INF,
                upper: float = INF) -> None:
        """Add the row `lower <= sum(coef * var[index]) <= upper` (repeated indices add up)."""
        index = np.asarray(index, dtype=np.int64)
        coef = np.asarray(coef, dtype=float)
        if len(np.unique(index)) < len(index):
            index, inverse = np.unique(index, return_inverse=True)
            coef = np.bincount(inverse, weights=coef, minlength=len(index))
        self.rows.append((index, coef, lower, upper))

    def maximise(self, index: np.ndarray, coef: np.ndarray,
                 hint: dict[int, float] | None = None,
                 node_limit: int | None = None) -> Result | None:
        """Solve to proven optimality with HiGHS; None when infeasible.

        `hint` gives values of some variables in a known feasible point; HiGHS completes it
        and starts from it (a good incumbent prunes the search, it never changes the optimum).
        `node_limit` (branch-and-bound nodes: a limit of work, so the outcome does not
        depend on the machine's speed) stops the search early with `SolverLimit`.
        """
        n = len(self.lower)
        cost = np.zeros(n)
        np.add.at(cost, np.asarray(index, dtype=np.int64), np.asarray(coef, dtype=float))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, len(self.rows)
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, np.array(self.lower), np.array(self.upper)
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.row_lower_ = np.array([r[2] for r in self.rows], dtype=float)
        lp.row_upper_ = np.array([r[3] for r in self.rows], dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum([len(r[0]) for r in self.rows])])
        lp.a_matrix_.index_ = np.concatenate([r[0] for r in self.rows]) if self.rows else []
        lp.a_matrix_.value_ = np.concatenate([r[1] for r in self.rows]) if self.rows else []
        lp.integrality_ = [highspy.HighsVarType.kInteger if k else highspy.HighsVarType.kContinuous
                           for k in self.integer]
        result = self._solve(lp, cost, hint, node_limit)
        if result is None:
            # seen with HiGHS 1.16: its presolve can call a feasible model with small
            # coefficients infeasible (a bound loosened by 1e-7 decides it); the answer
            # "no such package" is confirmed without presolve
            result = self._solve(lp, cost, hint, node_limit, presolve=False)
        if result is not None and hint and not _consistent(result, cost):
            # seen with HiGHS 1.16: a model its presolve solves outright can come back with
            # the optimum's objective but the MIP start's values; solve again without one
            result = self._solve(lp, cost, None, node_limit)
        if result is not None and not _consistent(result, cost):
            raise AnalysisError("the solver's solution and objective disagree (internal "
                                "error)")
        return result

    def _solve(self, lp: highspy.HighsLp, cost: np.ndarray, hint: dict[int, float] | None,
               node_limit: int | None, presolve: bool = True) -> Result | None:
        solver = _new_solver()
        for name, value in (SOLVER_OPTIONS | self.solver_options).items():
            solver.setOptionValue(name, value)
        if not presolve:
            solver.setOptionValue("presolve", "off")
        if node_limit is not None:
            solver.setOptionValue("mip_max_nodes", int(node_limit))
        if solver.passModel(lp) == highspy.HighsStatus.kError:
            raise AnalysisError("the solver rejected the model (internal error)")
        if hint:
            keys = np.fromiter(hint.keys(), dtype=np.int32)
            solver.setSolution(len(keys), keys, np.fromiter(hint.values(), dtype=np.float64))
        solver.run()
        status = solver.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if node_limit is not None and status in (highspy.HighsModelStatus.kSolutionLimit,
                                                 highspy.HighsModelStatus.kIterationLimit):
            raise SolverLimit(f"the solver reached its limit of {node_limit} nodes")
        if status != highspy.HighsModelStatus.kOptimal:
            raise AnalysisError(f"the solver stopped without an optimum: "
                                f"{solver.modelStatusToString(status)}")
        values = np.array(solver.getSolution().col_value)
        return Result(values, float(solver.getInfo().objective_function_value))


def _consistent(result: Result, cost: np.ndarray) -> bool:
    """Whether a solution's values give its objective (to the solver's tolerances)."""
    scale = 1 + abs(result.objective) + float(np.abs(cost) @ np.abs(result.values))
    return abs(float(cost @ result.values) - result.objective) <= 1e-6 * scale


class PackageProgram(Program):
    """A program whose feasible points are packages of a space.

    `forbidden` marks variables that may not be chosen (red lines); `relaxable`
    turns demands into switchable constraints (see `blocking`).

    `monotone` promises that every utility is only ever maximised or bounded from below
    (never minimised, never bounded from above). A term's indicator then needs only the
    rows that keep it from overstating the utility (`y <= c_k` for a positive value,
    `y >= sum c_k - (K - 1)` for a negative one): any solution's utilities are at most
    the package's true ones, and an optimum sets them equal. The other rows are implied
    at an optimum and cost the solver (3x on GENIUS's 40-issue spaces).

    Terms over two issues whose other issue is named by a single option are also bounded
    together: for a group `G` on issue i and another issue j, the indicators of the
    boxes (G, {b}) over distinct options b of j sum to at most `c_G` (one option of j is
    chosen): the same integer points, a tighter relaxation. For boxes of two single options
    these rows and `y <= c_k` are every upper bound on the indicators that the joint choice
    on the two issues implies; a single box needs no such row.
    """

    def __init__(self, space: Space, forbidden: np.ndarray | None = None,
                 monotone: bool = False) -> None:
        super().__init__()
        self.space = space
        self.x = self.add_vars(space.n_vars)
        if forbidden is not None:
            for v in np.flatnonzero(forbidden):
                self.upper[self.x[v]] = 0.0
        for i in range(space.n_issues):
            block = self.x[space.offsets[i]:space.offsets[i + 1]]
            self.add_row(block, np.ones(len(block)), 1.0, 1.0)
        for c in space.constraints:
            if c.kind == "requires":  # x_a <= x_b
                self.add_row([self.x[c.a], self.x[c.b]], [1.0, -1.0], upper=0.0)
            else:  # x_a + x_b <= 1
                self.add_row([self.x[c.a], self.x[c.b]], [1.0, 1.0], upper=1.0)
        self._indicators = self._linearise_terms(monotone)
        low, high = utility_bounds(space)
        self.scale = float(np.max(np.abs(np.concatenate([low, high, space.reservation])),
                                  initial=0.0)) * 2 + 1.0
        """Bound on any utility, gain or margin: keeps auxiliary variables' ranges modest,
        which HiGHS's presolve needs to stay numerically safe."""

    def linked(self) -> bool:
        """Whether some term spans two or more issues (the program has indicators)."""
        return bool(self._indicators)

    def free_var(self) -> int:
        """A continuous variable for margins and gains, bounded by +-scale."""
        return int(self.add_vars(1, lower=-self.scale, upper=self.scale, integer=False)[0])

    def _linearise_terms(self, monotone: bool) -> dict[tuple[tuple[int, ...], ...], int]:
        """One indicator per distinct box of two or more issues (shared by the parties)."""
        signs: dict[tuple[tuple[int, ...], ...], set[bool]] = {}
        for term in self.space.terms:
            if len(term.groups) >= 2:
                signs.setdefault(term.groups, set()).add(term.value > 0)
        indicators: dict[tuple[tuple[int, ...], ...], int] = {}
        for groups, sign in signs.items():
            y = int(self.add_vars(1, integer=False)[0])
            everything: list[int] = [y]
            for group in groups:
                chosen = [int(self.x[v]) for v in group]
                if True in sign or not monotone:  # y <= c_k
                    self.add_row([y, *chosen], [1.0] + [-1.0] * len(chosen), upper=0.0)
                everything += chosen
            if False in sign or not monotone:  # y >= sum c_k - (K - 1)
                self.add_row(everything, [1.0] + [-1.0] * (len(everything) - 1),
                             lower=-(len(groups) - 1.0))
            indicators[groups] = y
        self._bound_pairs(indicators)
        return indicators

    def _bound_pairs(self, indicators: dict[tuple[tuple[int, ...], ...], int]) -> None:
        """`sum_b y_(G,{b}) <= c_G` over the boxes of two issues sharing the group G on one
        issue and naming single (hence distinct) options b of the other."""
        issue_of = self.space.issue_of
        together: dict[tuple[tuple[int, ...], int], list[int]] = {}
        for groups, y in indicators.items():
            if len(groups) != 2:
                continue
            for k in (0, 1):
                other = groups[1 - k]
                if len(other) == 1:
                    together.setdefault((groups[k], int(issue_of[other[0]])), []).append(y)
        for (group, _), ys in together.items():
            if len(ys) >= 2:
                chosen = [int(self.x[v]) for v in group]
                self.add_row([*ys, *chosen], [1.0] * len(ys) + [-1.0] * len(chosen), upper=0.0)

    def utility(self, party: int) -> tuple[np.ndarray, np.ndarray]:
        """(indices, coefficients) of party's utility as a linear expression."""
        index = list(self.x)
        coef = list(self.space.weights[party])
        for term in self.space.terms:
            if term.party != party:
                continue
            if len(term.groups) == 1:  # on one issue: a value on each listed option
                index += [int(self.x[v]) for v in term.groups[0]]
                coef += [term.value] * len(term.groups[0])
            else:
                index.append(self._indicators[term.groups])
                coef.append(term.value)
        return np.array(index, dtype=np.int64), np.array(coef, dtype=float)

    def require_gain(self, party: int, at_least: float, extra: tuple = ((), ())) -> None:
        """Add `u_party + sum(extra) >= at_least`."""
        index, coef = self.utility(party)
        self.add_row(np.concatenate([index, np.asarray(extra[0], dtype=np.int64)]),
                     np.concatenate([coef, np.asarray(extra[1], dtype=float)]), lower=at_least)

    def hint_for(self, package: np.ndarray) -> dict[int, float]:
        """Values of the choice variables for a package (a `maximise` hint)."""
        chosen = set(self.space.package_vars(package).tolist())
        return {int(self.x[v]): float(v in chosen) for v in range(self.space.n_vars)}

    def package(self, result: Result) -> np.ndarray:
        """The package (option index per issue) in a solution."""
        chosen = result.values[self.x] > 0.5
        return np.array([int(np.argmax(chosen[self.space.offsets[i]:self.space.offsets[i + 1]]))
                         for i in range(self.space.n_issues)], dtype=np.int64)
