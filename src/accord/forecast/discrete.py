"""Forecasts for scenarios whose issues have discrete options placed on 0-100 lines.

The spatial models forecast a point on each line; the option nearest to it is the
forecast option, and over Monte Carlo samples that gives each option a probability. The
probability that a zone of agreement exists comes from the exact engine: each sample
perturbs the scenario's saliences and valuations as the forecast sample perturbs the
inputs, and `accord.analysis.zone_of_agreement` decides it exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from accord.analysis import compile_space, zone_of_agreement
from accord.analysis.space import Space
from accord.analysis.utility import utilities, vetoes_crossed
from accord.analysis.zone import TOLERANCE
from accord.forecast.montecarlo import (
    DEFAULT_NOISE,
    Noise,
    Progress,
    draws,
    map_chunks,
    sample_seeds,
)
from accord.forecast.problem import SpatialProblem, option_positions, spatial_problem
from accord.model import Scenario

CHUNK = 25
"""Samples per task (fixed: results never depend on the number of workers)."""


def nearest_option(values: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Index of the option nearest to each value (ties: the first option)."""
    return np.argmin(np.abs(np.asarray(values)[..., None] - places), axis=-1)


def option_probabilities(samples: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Share of the samples whose nearest option is each option."""
    hits = nearest_option(samples[~np.isnan(samples)], places)
    return np.bincount(hits, minlength=len(places)) / max(len(hits), 1)


@dataclass(frozen=True)
class ZoneOdds:
    """How often a zone of agreement exists across the Monte Carlo samples."""

    probability: float
    """With every red line (except those a sample waives)."""
    without_red_lines: float
    """Reservation values only: how often red lines alone stand in the way."""
    samples: int


def zone_probability(scenario: Scenario, *, samples: int = 1000, noise: Noise = DEFAULT_NOISE,
                     seed: int = 0, workers: int = 1,
                     progress: Progress | None = None) -> ZoneOdds:
    """Probability that a zone of agreement exists under uncertain preferences.

    Steps, for every sample (seeded as in `monte_carlo`, so sample n of both shares its
    salience draws):
    1. Draw the forecast noise of the sample; every party's salience of an issue is
       multiplied by the same factor exp(sd * z) as in the forecast.
    2. Every valuation moves by N(0, position sd / 100), clipped to [0, 1] (a position
       error of d points is read as a valuation error of d/100, valuations falling
       linearly along the line).
    3. Each party's red lines on an issue are waived with probability `noise.red_lines`.
    4. The exact engine decides the zone on the perturbed space, with the red lines and
       without any.
    Reservation values, constraints and interactions are kept as given.
    """
    space = compile_space(scenario)
    problem = spatial_problem(scenario)
    salience = _saliences(scenario)
    valuation = np.divide(space.weights, salience[:, space.issue_of],
                          out=np.zeros_like(space.weights),
                          where=salience[:, space.issue_of] > 0)
    seeds = sample_seeds(seed, samples)
    chunks = [seeds[a:a + CHUNK] for a in range(0, samples, CHUNK)]
    tasks = [(space, problem, salience, valuation, noise, c) for c in chunks]
    results = map_chunks(_zone_chunk, tasks, workers, progress, [len(c) for c in chunks])
    found = np.concatenate(results, axis=0)
    return ZoneOdds(probability=float(found[:, 0].mean()),
                    without_red_lines=float(found[:, 1].mean()), samples=samples)


def issue_option_positions(scenario: Scenario) -> list[np.ndarray | None]:
    """Positions of every issue's options, None where an option has none or where parties
    give their ideal points (`positions`): such an issue is a continuous line, and its
    options only mark its ends."""
    stated = {issue_id for party in scenario.parties for issue_id in party.positions}
    return [None if issue.id in stated else option_positions(issue)
            for issue in scenario.issues]


def _saliences(scenario: Scenario) -> np.ndarray:
    """`[party, issue]` saliences as the scenario gives them."""
    return np.array([[party.preferences[issue.id].salience if issue.id in party.preferences
                      else 0.0 for issue in scenario.issues] for party in scenario.parties])


def _zone_chunk(space: Space, problem: SpatialProblem, salience: np.ndarray,
                valuation: np.ndarray, noise: Noise,
                seeds: list[np.random.SeedSequence]) -> np.ndarray:
    found = np.zeros((len(seeds), 2), dtype=bool)
    no_veto = np.zeros_like(space.veto)
    witnesses: list[np.ndarray] = []
    for n, seed in enumerate(seeds):
        rng = np.random.default_rng(seed)
        _, ds, _, _ = draws(problem, rng)
        factor = np.exp(noise.salience * ds).T  # [party, issue]
        values = np.clip(valuation + noise.position / 100.0
                         * rng.standard_normal(valuation.shape), 0.0, 1.0)
        weights = (salience * factor)[:, space.issue_of] * values
        waived = (rng.random(salience.shape) < noise.red_lines)[:, space.issue_of]
        perturbed = replace(space, weights=weights, veto=space.veto & ~waived)
        found[n, 0] = _zone_exists(perturbed, witnesses)
        found[n, 1] = _zone_exists(replace(perturbed, veto=no_veto), witnesses)
    return found


def _zone_exists(space: Space, witnesses: list[np.ndarray]) -> bool:
    """Exact zone verdict, trying the packages that proved a zone in earlier samples
    first: one that crosses no red line and meets every reservation is a witness, and
    only a 'no' needs the solver."""
    if witnesses:
        packages = np.array(witnesses)
        margin = (utilities(space, packages) - space.reservation).min(axis=1)
        if ((margin >= -TOLERANCE) & ~vetoes_crossed(space, packages).any(axis=1)).any():
            return True
    verdict = zone_of_agreement(space)
    if verdict.exists and verdict.package is not None:
        witnesses.append(verdict.package)
    return verdict.exists
