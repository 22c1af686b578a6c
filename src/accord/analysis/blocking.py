"""What blocks the deal: minimal sets of demands whose relaxation opens a zone.

A demand is one party's red lines on one issue, or one party's reservation value.
With a switch `d_k` per demand (1 = relaxed) the program

    min sum_k d_k  s.t.  x_v <= d_k for every option v vetoed by red-line demand k,
                         u_p(x) + M_p d_k >= r_p for every reservation demand k of p,

finds a smallest relaxation; adding `sum_{k in S} d_k <= |S| - 1` for each set S found
and solving again enumerates the minimal correction sets by increasing size
(Liffiton & Sakallah 2008): a set that contains no earlier set is minimal, since
any smaller relaxing subset would have been found first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from accord.analysis._milp import PackageProgram
from accord.analysis._progress import BLOCKING, StageProgress
from accord.analysis.space import Demand, Space
from accord.analysis.utility import utility_bounds


@dataclass(frozen=True)
class BlockingSet:
    """Demands that together block every deal; relaxing them opens a zone (witness)."""

    demands: tuple[Demand, ...]
    package: np.ndarray


def blocking_sets(space: Space, max_sets: int = 10, max_size: int | None = None,
                  progress: StageProgress | None = None) -> list[BlockingSet]:
    """Minimal blocking sets, smallest first (empty when a zone exists). Under a rule that
    is not unanimity: the sets whose relaxation lets a package pass (`passing`).

    `progress` hears `(BLOCKING, found, max_sets)` after each set, and the stage's end.
    """
    if not space.unanimous:
        from accord.analysis.passing import passing_blocking_sets  # built on this module
        return passing_blocking_sets(space, max_sets, max_size, progress)
    demands = space.demands()
    program, switches = _relaxation_program(space, demands)
    return minimal_relaxations(program, switches, demands, max_sets, max_size, progress)


def minimal_relaxations(program: PackageProgram, switches: np.ndarray, demands: list[Demand],
                        max_sets: int, max_size: int | None,
                        progress: StageProgress | None) -> list[BlockingSet]:
    """The minimal sets of switched-on demands, by increasing size: solve for the fewest
    switches, forbid every superset of the set found, solve again (see the module
    docstring); `program` makes a switch `d_k = 1` relax `demands[k]`."""
    found: list[BlockingSet] = []
    if progress is not None:
        progress(BLOCKING, 0, max_sets)
    while len(found) < max_sets:
        result = program.maximise(switches, -np.ones(len(switches)))
        if result is None:
            break
        chosen = tuple(k for k in range(len(demands)) if result.values[switches[k]] > 0.5)
        if not chosen or (max_size is not None and len(chosen) > max_size):
            break
        found.append(BlockingSet(tuple(demands[k] for k in chosen), program.package(result)))
        program.add_row(switches[list(chosen)], np.ones(len(chosen)), upper=len(chosen) - 1)
        if progress is not None and len(found) < max_sets:
            progress(BLOCKING, len(found), max_sets)
    if progress is not None:
        progress(BLOCKING, max_sets, max_sets)  # the end, however many were found
    return order_blocking_sets(found)


def order_blocking_sets(found: list[BlockingSet]) -> list[BlockingSet]:
    """Smallest first, then a fixed order (see `_order`)."""
    return sorted(found, key=_order)


def _order(blocking: BlockingSet) -> tuple:
    """Smallest first; among equal sizes a fixed order (party, kind, issue), so the list
    does not depend on which optimum the solver happens to find first."""
    return (len(blocking.demands),
            [(d.party, d.kind, -1 if d.issue is None else d.issue) for d in blocking.demands])


def _relaxation_program(space: Space, demands: list[Demand]) -> tuple[PackageProgram, np.ndarray]:
    program = PackageProgram(space)
    switches = program.add_vars(len(demands))
    low, _ = utility_bounds(space)
    issue_of = space.issue_of
    for k, demand in enumerate(demands):
        if demand.kind == "red-line":
            for v in np.flatnonzero(space.veto[demand.party] & (issue_of == demand.issue)):
                program.add_row([program.x[v], switches[k]], [1.0, -1.0], upper=0.0)
        else:
            big_m = max(0.0, space.reservation[demand.party] - low[demand.party]) + 1.0
            program.require_gain(demand.party, space.reservation[demand.party],
                                 extra=([switches[k]], [big_m]))
    return program, switches


def relax(space: Space, demands: tuple[Demand, ...]) -> Space:
    """The space with these demands dropped (red lines lifted, reservations at the floor)."""
    veto = space.veto.copy()
    reservation = space.reservation.copy()
    low, _ = utility_bounds(space)
    for demand in demands:
        if demand.kind == "red-line":
            veto[demand.party, space.issue_of == demand.issue] = False
        else:
            reservation[demand.party] = min(reservation[demand.party], low[demand.party])
    return replace(space, veto=veto, reservation=reservation)
