"""The compromise model and the weighted median: where the weight of the actors lies.

Both read an actor's weight on an issue as capability x salience, the "effective power"
of the collective-decision literature (Bueno de Mesquita & Stokman 1994; Thomson et al.
2006, *The European Union Decides*, ch. 1 and 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from accord.forecast.base import ForecastModel, grid_fit, register
from accord.forecast.problem import SpatialProblem


def compromise_model(positions: np.ndarray, saliences: np.ndarray,
                     capabilities: np.ndarray) -> np.ndarray:
    """The compromise model: the mean of the positions weighted by capability x salience.

    Van den Bos (1991) *Dutch EC Policy Making*; Achen (2006) "Evaluating political
    decision-making models", in Thomson et al. (eds) *The European Union Decides*, who
    derives it as an approximation of the Nash bargaining solution.

    Works on the last axis (actors); NaN positions are actors taking no part.

    Steps:
    1. w_a = c_a * s_a for every actor with a position.
    2. forecast = sum_a w_a x_a / sum_a w_a.
    3. When no actor has weight (every salience or capability is 0), the plain mean of
       the positions; NaN when no actor has a position.
    """
    present = ~np.isnan(positions)
    weights = np.where(present, capabilities * saliences, 0.0)
    x = np.where(present, positions, 0.0)
    total = weights.sum(axis=-1)
    count = present.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted = (weights * x).sum(axis=-1) / total
        plain = x.sum(axis=-1) / count
    return np.where(total > 0, weighted, plain)


def weighted_median(positions: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The weighted median of the positions: the point no coalition of more than half the
    weight wants to move away from (Black 1948, "On the rationale of group
    decision-making", J. Political Economy 56(1)).

    Works on the last axis; NaN positions take no part; zero total weight counts every
    present actor equally.

    Steps:
    1. Sort the positions and accumulate their weights.
    2. The median is the first position where the cumulative weight reaches half the total.
    3. When the cumulative weight equals exactly half at a position (a tie between the two
       sides), the median is the midpoint between it and the next position, so the rule
       treats the two ends of the line alike.
    """
    present = ~np.isnan(positions)
    w = np.where(present, weights, 0.0)
    no_weight = w.sum(axis=-1, keepdims=True) <= 0
    w = np.where(no_weight & present, 1.0, w)
    x = np.where(present, positions, np.inf)
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    ws = np.take_along_axis(w, order, axis=-1)
    cumulative = np.cumsum(ws, axis=-1)
    half = cumulative[..., -1:] / 2.0
    tolerance = 1e-12 * np.maximum(1.0, cumulative[..., -1:])
    first = np.argmax(cumulative >= half - tolerance, axis=-1)[..., None]
    at = np.take_along_axis(xs, first, axis=-1)
    tie = np.abs(np.take_along_axis(cumulative, first, axis=-1) - half) <= tolerance
    following = np.take_along_axis(xs, np.minimum(first + 1, xs.shape[-1] - 1), axis=-1)
    median = np.where(tie & np.isfinite(following), (at + following) / 2.0, at)[..., 0]
    return np.where(present.any(axis=-1), median, np.nan)


EXPONENTS = np.arange(0.0, 2.01, 0.25)
"""The grid over which the fitted models search their capability and salience exponents."""


@register
@dataclass(frozen=True)
class Compromise(ForecastModel):
    """Compromise model: mean position weighted by capability^alpha x salience^gamma
    (alpha = gamma = 1 is the model of the literature)."""

    name = "compromise"
    citation = ("Van den Bos (1991); Achen (2006) in Thomson et al. (eds) The European "
                "Union Decides, Cambridge UP")
    capability_exponent: float = 1.0
    salience_exponent: float = 1.0

    def __post_init__(self) -> None:
        if self.capability_exponent < 0 or self.salience_exponent < 0:
            raise ValueError("exponents must be >= 0")

    def predict(self, problem: SpatialProblem) -> np.ndarray:
        return compromise_model(problem.positions,
                                problem.saliences ** self.salience_exponent,
                                problem.capabilities ** self.capability_exponent)


@register
@dataclass(frozen=True)
class FittedCompromise(Compromise):
    """The compromise model with its two exponents fitted to outcomes (least absolute
    error over a grid), so that cross-validation can test whether power and salience
    should count more or less than linearly."""

    name = "compromise-fitted"
    fitted = ("capability_exponent", "salience_exponent")

    def fit(self, problem: SpatialProblem) -> ForecastModel:
        """Exponents in {0, 0.25, ..., 2} with the least mean absolute error on the issues
        with outcomes (ties: the smaller exponents)."""
        return grid_fit(problem, (FittedCompromise(float(a), float(g))
                                  for a, g in product(EXPONENTS, EXPONENTS)))


@register
@dataclass(frozen=True)
class WeightedMedian(ForecastModel):
    """Weighted median of the positions (weights capability x salience)."""

    name = "weighted-median"
    citation = "Black (1948) J. Political Economy 56(1)"

    def predict(self, problem: SpatialProblem) -> np.ndarray:
        return weighted_median(problem.positions, problem.capabilities * problem.saliences)
