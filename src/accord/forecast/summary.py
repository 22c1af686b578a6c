"""A forecast of a whole scenario, its errors against known outcomes, and its plain data
(the stable JSON of `accord forecast --json` and the forecast section of the HTML report).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import UsageError
from accord.forecast.base import ForecastModel, make_model
from accord.forecast.discrete import (
    ZoneOdds,
    issue_option_positions,
    option_probabilities,
    zone_probability,
)
from accord.forecast.montecarlo import (
    DEFAULT_NOISE,
    ForecastDistribution,
    Noise,
    Progress,
    monte_carlo,
)
from accord.forecast.problem import SpatialProblem, spatial_problem
from accord.model import Scenario

SCHEMA = "accord.forecast/1"
LEVEL = 0.8
"""Level of the reported intervals (10th to 90th percentile of the samples)."""
NO_POSITION = "no party has a position on the issue's 0-100 line"
"""Why an issue has no forecast: its options have no `position` and no party states one."""
BINS = np.linspace(0.0, 100.0, 11)
"""Histogram bins of the forecast distributions (10 points wide)."""


@dataclass(frozen=True)
class Forecast:
    """Everything `accord forecast` computes for one scenario."""

    scenario: Scenario
    problem: SpatialProblem
    model: ForecastModel
    distribution: ForecastDistribution
    options: list[np.ndarray | None]
    """Per issue: the probability of each option (None: options without positions)."""
    zone: ZoneOdds | None
    noise: Noise
    seed: int

    def interval(self) -> tuple[np.ndarray, np.ndarray]:
        """The reported 80% interval of every issue: from the 10th to the 90th percentile
        of the Monte Carlo forecasts, stretched to reach the point forecast where that lies
        outside them, so that the forecast is always inside its interval.

        Why the point can lie outside: it is the model on the inputs as given, the samples
        are the model on perturbed inputs, and the two are not centred alike. Noisy
        positions are clipped to the 0-100 line, so an actor at an end can only move
        inward (on DEU III issue d00062i3, 16 of 17 actors at 100, the samples sit about
        4 points below the forecast); a model whose forecast jumps (the weighted median
        at a knife edge) can leave most samples far from it. A stretched interval holds
        more than 80% of the samples; `sample_interval` in the JSON keeps the percentiles.
        """
        low, high = self.distribution.interval(LEVEL)
        point = self.distribution.point
        return np.fmin(low, point), np.fmax(high, point)


def forecast_scenario(scenario: Scenario, model: ForecastModel | str = "compromise", *,
                      samples: int = 1000, noise: Noise = DEFAULT_NOISE, seed: int = 0,
                      workers: int = 1, progress: Progress | None = None,
                      zone: bool = True) -> Forecast:
    """Forecast every issue of a scenario with a model and Monte Carlo uncertainty.

    Steps: the scenario's spatial form (`spatial_problem`); `monte_carlo` of the model;
    for issues whose options all have positions, the probability of each option (the
    option nearest each sample); when every issue has such options, some party states a
    demand (a red line or a positive reservation value) and `zone` is set, the
    probability that a zone of agreement exists (`zone_probability`, same seeds).
    `progress(done, total)` counts the forecast's samples and then the zone's (total:
    twice `samples` when the zone is estimated).
    """
    chosen = make_model(model) if isinstance(model, str) else model
    problem = spatial_problem(scenario)
    if not problem.present.any():
        raise UsageError(f"{scenario.id} has no positions to forecast from: the spatial models "
                         "need options with a `position` on the issue's 0-100 line, or "
                         "parties' `positions` (docs/forecast.md)")
    places = issue_option_positions(scenario)
    zone = zone and bool(places) and all(p is not None for p in places) \
        and _states_demands(scenario)
    steps = 2 if zone else 1  # progress runs over the forecast's samples, then the zone's

    def stage(offset: int) -> Progress | None:
        if progress is None:
            return None
        report = progress
        return lambda done, total: report(offset + done, steps * total)

    distribution = monte_carlo(problem, chosen, samples=samples, noise=noise, seed=seed,
                               workers=workers, progress=stage(0))
    options = [None if p is None else option_probabilities(distribution.samples[:, k], p)
               for k, p in enumerate(places)]
    odds = None
    if zone:
        odds = zone_probability(scenario, samples=samples, noise=noise, seed=seed,
                                workers=workers, progress=stage(samples))
    return Forecast(scenario, problem, chosen, distribution, options, odds, noise, seed)


def forecast_errors(forecast: np.ndarray, outcome: np.ndarray, low: np.ndarray | None = None,
                    high: np.ndarray | None = None) -> dict[str, float] | None:
    """Errors over the issues with outcomes: mean, median and root-mean-square absolute
    error, and the share of outcomes inside [low, high]; None without outcomes."""
    known = ~np.isnan(outcome) & ~np.isnan(forecast)
    if not known.any():
        return None
    error = np.abs(forecast[known] - outcome[known])
    result = {"issues": int(known.sum()), "mae": float(error.mean()),
              "median_absolute_error": float(np.median(error)),
              "rmse": float(np.sqrt((error ** 2).mean()))}
    if low is not None and high is not None:
        inside = (low[known] - 1e-9 <= outcome[known]) & (outcome[known] <= high[known] + 1e-9)
        result["coverage"] = float(inside.mean())
    return result


def forecast_to_dict(forecast: Forecast) -> dict[str, Any]:
    """Plain data (JSON-ready) of a forecast: per issue the forecast position, its 80%
    interval, distribution, option probabilities and error; overall errors and the odds
    of a zone of agreement. Positions are on the 0-100 lines; `native` gives them in the
    issue's own units where the data have a scale."""
    problem, dist = forecast.problem, forecast.distribution
    low, high = forecast.interval()
    issues = {}
    for k, issue in enumerate(forecast.scenario.issues):
        issues[issue.id] = _issue_dict(forecast, k, low[k], high[k])
    return {
        "schema": SCHEMA,
        "scenario": {"id": forecast.scenario.id, "title": forecast.scenario.title},
        "model": {"name": forecast.model.name, "parameters": forecast.model.parameters(),
                  "citation": forecast.model.citation},
        "samples": int(dist.samples.shape[0]), "seed": forecast.seed,
        "noise": {k: float(v) for k, v in vars(forecast.noise).items()},
        "interval_level": LEVEL,
        "issues": issues,
        "errors": forecast_errors(dist.point, problem.outcome, low, high),
        "zone": None if forecast.zone is None else {
            "probability": forecast.zone.probability,
            "probability_without_red_lines": forecast.zone.without_red_lines,
            "samples": forecast.zone.samples},
    }


def _issue_dict(forecast: Forecast, k: int, low: float, high: float) -> dict[str, Any]:
    issue, problem, dist = forecast.scenario.issues[k], forecast.problem, forecast.distribution
    samples = dist.samples[:, k]
    point = dist.point[k]
    percentiles = np.quantile(samples, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    entry: dict[str, Any] = {
        "title": issue.title, "forecast": _number(point), "interval": [_number(low),
                                                                        _number(high)],
        "sample_interval": [_number(v) for v in percentiles],
        "mean": _number(np.nanmean(samples)) if not np.isnan(samples).all() else None,
        "median": _number(np.nanmedian(samples)) if not np.isnan(samples).all() else None,
        "distribution": {"bins": BINS.tolist(),
                         "counts": np.histogram(samples[~np.isnan(samples)], BINS)[0].tolist()},
        "reference_point": _number(problem.reference[k]),
        "outcome": _number(problem.outcome[k]),
        "error": _number(abs(point - problem.outcome[k])),
    }
    if entry["forecast"] is None:
        entry["note"] = ("no forecast: " + NO_POSITION if not problem.present[k].any()
                         else "no forecast: the model gives none on these positions")
    if issue.scale is not None:
        lo, hi = issue.scale

        def convert(value: float | None) -> float | None:
            return None if value is None else lo + (hi - lo) * value / 100.0

        entry["native"] = {"scale": [lo, hi], "forecast": convert(entry["forecast"]),
                           "interval": [convert(v) for v in entry["interval"]],
                           "outcome": convert(entry["outcome"])}
    probabilities = forecast.options[k]
    if probabilities is not None:
        ids = issue.option_ids()
        entry["options"] = {i: float(p) for i, p in zip(ids, probabilities)}
        best = int(np.argmax(probabilities))
        entry["most_likely_option"] = ids[best]
        entry["most_likely_option_label"] = issue.options[best].label
    return entry


def _states_demands(scenario: Scenario) -> bool:
    """Whether the zone question has content: some party draws a red line or expects more
    than nothing from an agreement (otherwise every package is acceptable)."""
    return any(party.reservation > 0 or any(p.red_lines for p in party.preferences.values())
               for party in scenario.parties)


def _number(value: float) -> float | None:
    return None if value is None or np.isnan(value) else round(float(value), 6)
