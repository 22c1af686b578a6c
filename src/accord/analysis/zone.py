"""Zone of possible agreement: is there a package every party can accept?

A package is acceptable when it crosses no party's red line, meets every hard
constraint and gives every party at least its reservation value. We answer by
maximising the smallest margin over reservations, `max_x min_p (u_p(x) - r_p)`:
a zone exists iff that maximum is >= 0, and the maximiser is a witness.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis._milp import LINKED_WORK, MAX_MIN_WORK, PackageProgram
from accord.analysis.space import Space
from accord.analysis.utility import utilities

TOLERANCE = 1e-7
"""Margins above -TOLERANCE count as meeting a reservation: the solver's feasibility
tolerance, so that every question (zone, blocking sets, solutions) uses one rule."""


@dataclass(frozen=True)
class ZoneVerdict:
    """Whether a zone exists, with the package that leaves the tightest party best off.

    `package` is None when red lines and hard constraints alone leave no package.
    """

    exists: bool
    package: np.ndarray | None
    margin: float | None
    utilities: np.ndarray | None
    coalition: np.ndarray | None = None
    """Under a rule that is not unanimity: the parties that accept the package (bool per
    party), winning when `exists`; None under unanimity (everyone)."""


def max_min_margin(space: Space, respect_red_lines: bool = True,
                   forbidden: np.ndarray | None = None) -> tuple[np.ndarray, float] | None:
    """The package maximising the smallest margin over reservation, and that margin.
    `forbidden` (a mask over options) replaces the red lines when given.

    Utilities are only bounded from below here, so terms are linearised `monotone`."""
    if forbidden is None and respect_red_lines:
        forbidden = space.veto.any(axis=0)
    program, t = margin_program(space, forbidden)
    result = program.maximise(t, [1.0])
    if result is None:
        return None
    package = program.package(result)
    margins = utilities(space, package)[0] - space.reservation
    return package, float(margins.min())


def margin_program(space: Space, forbidden: np.ndarray | None
                   ) -> tuple[PackageProgram, np.ndarray]:
    """`max_min_margin`'s program and its margin variable t (maximise t): every party's
    margin over its reservation is at least t (benchmarks/floors.py times it too)."""
    program = PackageProgram(space, forbidden, monotone=True)
    program.solver_options = LINKED_WORK if program.linked() else MAX_MIN_WORK
    t = np.array([program.free_var()])
    for p in range(space.n_parties):
        program.require_gain(p, space.reservation[p], extra=([t[0]], [-1.0]))
    return program, t


def zone_of_agreement(space: Space) -> ZoneVerdict:
    """Exact zone verdict over the whole package space; under a rule that is not
    unanimity, whether some package passes (`passing.passing_zone`)."""
    if not space.unanimous:
        from accord.analysis.passing import passing_zone  # built on this module
        return passing_zone(space)
    found = max_min_margin(space)
    if found is None:
        return ZoneVerdict(False, None, None, None)
    package, margin = found
    return ZoneVerdict(margin >= -TOLERANCE, package, margin, utilities(space, package)[0])
