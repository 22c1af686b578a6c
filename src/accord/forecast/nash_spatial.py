"""The Nash bargaining solution on an issue line, with the status quo as disagreement point."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from accord.forecast.base import ForecastModel, grid_fit, register
from accord.forecast.compromise import EXPONENTS
from accord.forecast.problem import SpatialProblem

BISECTION_STEPS = 80
"""Halvings of the bargaining interval: 100 / 2**80 is far below any meaningful digit."""


def nash_bargaining_in_space(positions: np.ndarray, weights: np.ndarray,
                             disagreement: np.ndarray) -> np.ndarray:
    """The asymmetric Nash bargaining solution of actors with linear (distance) utilities
    on a line: the point z maximising sum_a w_a log(u_a(z) - u_a(d)).

    Nash (1950) "The bargaining problem", Econometrica 18(2); the asymmetric form of
    Kalai (1977) Int. J. Game Theory 6(3); in space as in Achen (2006), in Thomson et al.
    (eds) *The European Union Decides*, ch. 4. Arrays are `[issue, actor]`; NaN positions
    take no part; `disagreement[k]` is issue k's status quo, NaN where unknown.

    Steps:
    1. u_a(z) = -|z - x_a|. An actor's gain over the disagreement point is
       g_a(z) = D_a - |z - x_a|, with D_a = |d - x_a| when the status quo d is known and,
       when it is not, D_a = the distance to the farther end of the 0-100 line (no
       agreement is as bad as the worst outcome). Salience scales an actor's utility,
       which does not move the maximiser; it counts through the weight w_a = c_a s_a.
    2. Only outcomes every weighted actor prefers to the disagreement point are possible:
       the interval [max_a (x_a - D_a), min_a (x_a + D_a)], within [0, 100]. It always
       holds d; when it is that single point (an actor with weight holds the status quo
       as its ideal), the solution is d.
    3. The objective is concave on the interval, so its maximiser is where the
       derivative sum_a w_a sign(x_a - z) / g_a(z) changes sign: found by bisection.
    4. Actors without weight are left out; when no actor has weight, all present actors
       count equally.
    """
    present = ~np.isnan(positions)
    w = np.where(present, weights, 0.0)
    w = np.where((w.sum(axis=-1, keepdims=True) <= 0) & present, 1.0, w)
    x = np.where(present, positions, 0.0)
    d = disagreement[..., None]
    reach = np.where(np.isnan(d), np.maximum(x, 100.0 - x), np.abs(np.nan_to_num(d) - x))
    active = w > 0
    low = np.maximum(np.where(active, x - reach, -np.inf).max(axis=-1), 0.0)
    high = np.minimum(np.where(active, x + reach, np.inf).min(axis=-1), 100.0)
    for _ in range(BISECTION_STEPS):
        z = (low + high) / 2.0
        slope = _slope(z, x, reach, w, active)
        low = np.where(slope > 0, z, low)
        high = np.where(slope > 0, high, z)
    solution = (low + high) / 2.0
    return np.where(present.any(axis=-1), solution, np.nan)


def _slope(z: np.ndarray, x: np.ndarray, reach: np.ndarray, w: np.ndarray,
           active: np.ndarray) -> np.ndarray:
    """Derivative of sum_a w_a log g_a at z (issues along the first axis)."""
    gap = z[..., None] - x
    gain = reach - np.abs(gap)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(active & (gain > 0), -w * np.sign(gap) / gain, 0.0)
    return terms.sum(axis=-1)


@register
@dataclass(frozen=True)
class NashBargaining(ForecastModel):
    """Nash bargaining solution in space; disagreement point = the reference point (status
    quo) where the data give one, else each actor's worst outcome. Bargaining weights are
    capability^alpha x salience^gamma (alpha = gamma = 1 as in the literature)."""

    name = "nash"
    citation = "Nash (1950) Econometrica 18(2); Achen (2006) in The European Union Decides"
    use_reference_point: bool = True
    """False: ignore reference points and use the worst outcomes everywhere."""
    capability_exponent: float = 1.0
    salience_exponent: float = 1.0

    def __post_init__(self) -> None:
        if self.capability_exponent < 0 or self.salience_exponent < 0:
            raise ValueError("exponents must be >= 0")

    def predict(self, problem: SpatialProblem) -> np.ndarray:
        d = problem.reference if self.use_reference_point else np.full(problem.n_issues, np.nan)
        weights = (problem.capabilities ** self.capability_exponent
                   * problem.saliences ** self.salience_exponent)
        return nash_bargaining_in_space(problem.positions, weights, d)


@register
@dataclass(frozen=True)
class FittedNashBargaining(NashBargaining):
    """The Nash bargaining solution with its disagreement rule and exponents fitted to
    outcomes (least absolute error over a grid)."""

    name = "nash-fitted"
    fitted = ("use_reference_point", "capability_exponent", "salience_exponent")

    def fit(self, problem: SpatialProblem) -> ForecastModel:
        """Reference point or worst outcome, and exponents in {0, 0.25, ..., 2}, with the
        least mean absolute error on the issues with outcomes (ties: the first in that
        order)."""
        return grid_fit(problem, (FittedNashBargaining(bool(r), float(a), float(g))
                                  for r in (True, False)
                                  for a, g in product(EXPONENTS, EXPONENTS)))
