"""Validating forecasts against outcomes: k-fold cross-validation and calibrated intervals.

Anything fitted to outcomes is fitted on the training folds only and scored on the held-out
fold. Folds keep the issues of one dossier together (issues of one legislative proposal
are decided together, so splitting them would leak), and are drawn from a seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.forecast.base import ForecastModel
from accord.forecast.problem import SpatialProblem

LEVEL = 0.8
MODEL_ERROR_GRID = np.arange(0.0, 80.01, 0.5)
"""Candidate standard deviations (points) of the model-error term, searched in order."""


def dossier_folds(problem: SpatialProblem, k: int = 10, seed: int = 0) -> np.ndarray:
    """Fold number (0..k-1) of every issue: dossiers shuffled with `seed` and dealt out in
    turn, so each fold holds whole dossiers and about 1/k of them."""
    names = sorted(set(problem.dossier))
    order = np.random.default_rng(seed).permutation(len(names))
    fold_of = {names[n]: rank % k for rank, n in enumerate(order)}
    return np.array([fold_of[d] for d in problem.dossier], dtype=np.int64)


def cross_validated(problem: SpatialProblem, model: ForecastModel,
                    folds: np.ndarray) -> tuple[np.ndarray, list[ForecastModel]]:
    """Out-of-sample point forecasts: for each fold, the model fitted on the other folds'
    outcomes forecasts the fold. Returns the forecasts and the model of each fold."""
    forecast = np.full(problem.n_issues, np.nan)
    fitted = []
    for fold in range(int(folds.max()) + 1):
        test = np.flatnonzero(folds == fold)
        train = problem.take(np.flatnonzero(folds != fold))
        chosen = model.fit(train) if model.fitted else model
        fitted.append(chosen)
        forecast[test] = chosen.predict(problem.take(test))
    return forecast, fitted


def interval_coverage(samples: np.ndarray, outcome: np.ndarray,
                      level: float = LEVEL) -> float:
    """Share of the outcomes inside the central `level` interval of their samples
    (`samples` is `[sample, issue]`; issues without outcome are left out)."""
    known = ~np.isnan(outcome)
    tail = (1 - level) / 2
    low = np.quantile(samples[:, known], tail, axis=0)
    high = np.quantile(samples[:, known], 1 - tail, axis=0)
    inside = (low - 1e-9 <= outcome[known]) & (outcome[known] <= high + 1e-9)
    return float(inside.mean()) if known.any() else float("nan")


def with_model_error(samples: np.ndarray, sd: float, noise: np.ndarray) -> np.ndarray:
    """Samples plus `sd` x the given standard normal draws, clipped to the 0-100 line."""
    return np.clip(samples + sd * noise, 0.0, 100.0)


def calibrate_model_error(samples: np.ndarray, noise: np.ndarray, outcome: np.ndarray,
                          level: float = LEVEL) -> float:
    """The model-error standard deviation (from `MODEL_ERROR_GRID`) whose intervals cover
    the given outcomes closest to `level` (ties: the smaller). Call it on training issues
    only."""
    gaps = [abs(interval_coverage(with_model_error(samples, sd, noise), outcome, level) - level)
            for sd in MODEL_ERROR_GRID]
    return float(MODEL_ERROR_GRID[int(np.argmin(gaps))])


@dataclass(frozen=True)
class Scores:
    """Errors of point forecasts and coverage of 80% intervals on the issues with outcomes."""

    issues: int
    mae: float
    median_absolute_error: float
    rmse: float
    coverage: float | None = None
    width: float | None = None


def scores(forecast: np.ndarray, outcome: np.ndarray, samples: np.ndarray | None = None,
           level: float = LEVEL) -> Scores:
    """Mean, median and root-mean-square absolute error; with samples, the coverage and
    mean width of their central `level` intervals."""
    known = ~np.isnan(outcome) & ~np.isnan(forecast)
    error = np.abs(forecast[known] - outcome[known])
    coverage = width = None
    if samples is not None:
        coverage = interval_coverage(samples[:, known], outcome[known], level)
        tail = (1 - level) / 2
        width = float(np.mean(np.quantile(samples[:, known], 1 - tail, axis=0)
                              - np.quantile(samples[:, known], tail, axis=0)))
    return Scores(int(known.sum()), float(error.mean()), float(np.median(error)),
                  float(np.sqrt(np.mean(error ** 2))), coverage, width)
