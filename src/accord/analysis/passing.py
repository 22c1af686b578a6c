"""The mediator's questions under a decision rule that is not unanimity.

A party *accepts* a package when the package crosses none of its red lines and gives it
at least its reservation value. A package *passes* when the parties that accept it form a
winning coalition (`analysis.rule`); that set is the coalition that *carries* it, and the
others are left out. Every question is exact, a MILP with one binary `z_p` per party
("p is in the carrying coalition") beside the package's choice variables:

    x_v + z_p <= 1                    for every option v that crosses a red line of p,
    u_p(x) - r_p >= -M_p (1 - z_p)    (p's reservation binds only if p is in),
    sum_p z_p >= k,  z_p = 1 for required p,  W z >= q   (the rule).

- `passing_zone`: max over packages and winning coalitions of the smallest margin
  `u_p - r_p` among the coalition's members; a package passes iff that is >= 0.
- `passing_blocking_sets`: the minimal sets of demands (a party's red lines on an issue,
  or its reservation) whose relaxation lets some package pass, smallest first, by the
  same switches and no-superset cuts as `blocking` (Liffiton & Sakallah 2008).
- the bargaining solutions over passing packages: `passing_bargaining`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from accord.analysis._milp import PackageProgram
from accord.analysis._progress import StageProgress
from accord.analysis.blocking import BlockingSet, minimal_relaxations
from accord.analysis.rule import pivotal
from accord.analysis.space import Space
from accord.analysis.utility import utilities, utility_bounds, vetoes_crossed
from accord.analysis.zone import TOLERANCE, ZoneVerdict


@dataclass(frozen=True)
class DraftCoalition:
    """Who accepts a draft under the rule, and whether they carry it."""

    draft_id: str
    accepting: np.ndarray
    """Bool per party: accepts it whatever the open points become."""
    passes: bool
    pivotal: np.ndarray
    """Bool per party: an acceptor whose leaving sinks it (when it passes), or a refuser
    whose joining would carry it (when it does not)."""


def accepting(space: Space, packages: np.ndarray) -> np.ndarray:
    """Bool (n_packages, n_parties): which parties accept each package."""
    packages = np.atleast_2d(np.asarray(packages, dtype=np.int64))
    meets = utilities(space, packages) >= space.reservation - TOLERANCE
    return meets & ~vetoes_crossed(space, packages)


def carrying(space: Space, package: np.ndarray) -> np.ndarray | None:
    """The parties that accept a package, when they win under the rule; else None."""
    accepts = accepting(space, package)[0]
    return accepts if space.winning_rule.is_winning(accepts) else None


NO_SUB_MIPS = {"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False}
"""HiGHS's RINS and RENS sub-MIP heuristics took 60-70% of these small programs' time at
the root (30 x 4 x 8 with a quorum: 0.3-0.6 s of sub-MIPs for 15 branch-and-bound nodes);
without them the same optimum is proven about twice as fast (benchmarks/bench_rule.py)."""


class PassingProgram(PackageProgram):
    """Packages and the winning coalitions whose members all accept them (with
    `reservations=False`: whose members' red lines they respect)."""

    solver_options = NO_SUB_MIPS

    def __init__(self, space: Space, reservations: bool = True) -> None:
        super().__init__(space)
        rule = space.winning_rule
        self.z = self.add_vars(space.n_parties)
        low, _ = utility_bounds(space)
        self.big_m = np.maximum(0.0, space.reservation - low) + 1.0
        for p in range(space.n_parties):
            if rule.required[p]:
                self.lower[self.z[p]] = 1.0
            for v in np.flatnonzero(space.veto[p]):
                self.add_row([self.x[v], self.z[p]], [1.0, 1.0], upper=1.0)
            if reservations:
                self.require_gain(p, space.reservation[p] - self.big_m[p],
                                  extra=([self.z[p]], [-self.big_m[p]]))
        self.add_row(self.z, np.ones(space.n_parties), lower=float(rule.min_count))
        for row, amount in zip(rule.weights, rule.thresholds):
            self.add_row(self.z, row, lower=float(amount) - 1e-9 * (1 + abs(amount)))

    def coalition(self, values: np.ndarray) -> np.ndarray:
        return values[self.z] > 0.5

    def smallest_scaled_gain(self, scale: np.ndarray, lower: float, upper: float) -> int:
        """A variable t in [lower, upper] with t <= g_p / scale_p for every party p in the
        coalition (the max-min programs: the zone's margin, egalitarian, Kalai–Smorodinsky).
        Each row's big-M is the least that frees a party out of it, so tight bounds on t
        keep the relaxation, and the search, tight."""
        low, _ = utility_bounds(self.space)
        reservation = self.space.reservation
        t = int(self.add_vars(1, lower=lower, upper=upper, integer=False)[0])
        for p in range(self.space.n_parties):  # g_p >= scale_p t - M_p (1 - z_p)
            big_m = max(0.0, scale[p] * upper - (low[p] - reservation[p])) + SLACK
            self.require_gain(p, reservation[p] - big_m,
                              extra=([t, self.z[p]], [-scale[p], -big_m]))
        return t


SLACK = 1e-6
"""Room left above a max-min program's bound on t (relative), and in its big-Ms: HiGHS's
presolve must not find a bound exactly tight (it then calls feasible models infeasible)."""


def loosened(bound: float) -> float:
    """A bound on t with SLACK's room."""
    return bound + SLACK * (1 + abs(bound))


def passing_zone(space: Space) -> ZoneVerdict:
    """Whether some package passes: the package and winning coalition that maximise the
    smallest margin among the coalition's members (their red lines respected), and the
    coalition that carries it when it passes (everyone who accepts it; else the
    coalition of that maximum). Package None: red lines leave no package to any winning
    coalition."""
    program = PassingProgram(space, reservations=False)
    _, high = utility_bounds(space)
    # a member's best margin caps t, so the smallest-margin's best coalition does
    t_max = space.winning_rule.bottleneck(high - space.reservation)
    if t_max == -np.inf:
        return ZoneVerdict(False, None, None, None, coalition=None)
    t = program.smallest_scaled_gain(np.ones(space.n_parties), -program.scale,
                                     min(program.scale, loosened(t_max)))
    result = program.maximise([t], [1.0])
    if result is None:
        return ZoneVerdict(False, None, None, None, coalition=None)
    package = program.package(result)
    members = program.coalition(result.values)
    margins = utilities(space, package)[0] - space.reservation
    margin = float(margins[members].min())
    exists = margin >= -TOLERANCE
    return ZoneVerdict(exists, package, margin, utilities(space, package)[0],
                       coalition=carrying(space, package) if exists else members)


def passing_blocking_sets(space: Space, max_sets: int = 10, max_size: int | None = None,
                          progress: StageProgress | None = None) -> list[BlockingSet]:
    """Minimal sets of demands whose relaxation lets a package pass, smallest first
    (empty when one passes already). Each comes with a witness package."""
    demands = space.demands()
    program = PassingProgram(_without_demands(space))
    switches = program.add_vars(len(demands))
    issue_of = space.issue_of
    low, _ = utility_bounds(space)
    for k, demand in enumerate(demands):
        p = demand.party
        if demand.kind == "red-line":  # x_v <= d_k + (1 - z_p)
            for v in np.flatnonzero(space.veto[p] & (issue_of == demand.issue)):
                program.add_row([program.x[v], switches[k], program.z[p]], [1.0, -1.0, 1.0],
                                upper=1.0)
        else:  # u_p + M d_k + M (1 - z_p) >= r_p
            big_m = max(0.0, space.reservation[p] - low[p]) + 1.0
            program.require_gain(p, space.reservation[p] - big_m,
                                 extra=([switches[k], program.z[p]], [big_m, -big_m]))
    return minimal_relaxations(program, switches, demands, max_sets, max_size, progress)


def _without_demands(space: Space) -> Space:
    """The space with no red lines and reservations at the floor: the program's own
    acceptance rows are then void, and the switchable ones of the blocking program rule."""
    low, _ = utility_bounds(space)
    return replace(space, veto=np.zeros_like(space.veto),
                   reservation=np.minimum(space.reservation, low))


def draft_coalition(space: Space, draft_id: str, low: np.ndarray,
                    crossed: tuple[tuple[int, int, int], ...]) -> DraftCoalition:
    """Who accepts a draft whatever its open points become (`low`: each party's lowest
    utility over its completions; `crossed`: the red lines it crosses), and who is pivotal."""
    accepts = low >= space.reservation - TOLERANCE
    for party, _, _ in crossed:
        accepts[party] = False
    passes, pivots = pivotal(space.winning_rule, accepts)
    return DraftCoalition(draft_id, accepts, passes, pivots)
