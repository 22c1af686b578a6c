"""Monte Carlo over uncertain positions, saliences and capabilities.

Each sample perturbs the inputs, runs the model and adds the model's own error; the
samples give every issue a forecast distribution and an interval. Seeds: one child seed
per sample is derived from the run's seed (numpy `SeedSequence.spawn`) before any work
is spread, and samples are evaluated in fixed chunks, so the result does not depend on
the number of worker processes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass

import numpy as np

from accord.forecast.base import ForecastModel
from accord.forecast.problem import SpatialProblem, stack

CHUNK = 25
"""Samples evaluated together (stacked into one problem); fixed, so results never depend
on how chunks are spread over workers."""
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Noise:
    """How uncertain the inputs are (the user sets it; these are the defaults)."""

    position: float = 10.0
    """Standard deviation of a position, in points of the 0-100 line (clipped to it)."""
    salience: float = 0.25
    """Standard deviation of log salience: each salience is multiplied by exp(N(0, sd))
    (then capped at 1)."""
    capability: float = 0.25
    """Standard deviation of log capability, one draw per actor and sample."""
    model_error: float = 0.0
    """Standard deviation of an error added to each forecast, in points (clipped to the
    line): the model's own inaccuracy, beyond its inputs. 0 = input uncertainty only."""
    red_lines: float = 0.0
    """Zone of agreement only: probability that a party's red lines on an issue are waived
    in a sample."""

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"noise {name} must be a finite number >= 0, got {value}")
        if self.red_lines > 1:
            raise ValueError("noise red_lines is a probability in [0, 1]")


DEFAULT_NOISE = Noise()


@dataclass(frozen=True)
class ForecastDistribution:
    """Point forecasts and Monte Carlo samples of every issue (0-100 lines)."""

    point: np.ndarray
    """`[issue]`: the model on the inputs as given."""
    samples: np.ndarray
    """`[sample, issue]`: forecasts under perturbed inputs, plus model error."""

    def quantile(self, q: float) -> np.ndarray:
        return np.quantile(self.samples, q, axis=0)

    def interval(self, level: float = 0.8) -> tuple[np.ndarray, np.ndarray]:
        """The central interval holding `level` of the samples (80%: 10th to 90th
        percentile)."""
        tail = (1.0 - level) / 2.0
        return self.quantile(tail), self.quantile(1.0 - tail)


def sample_seeds(seed: int, samples: int) -> list[np.random.SeedSequence]:
    """One independent seed per sample, derived before any work is spread."""
    return np.random.SeedSequence(seed).spawn(samples)


def perturb(problem: SpatialProblem, noise: Noise,
            rng: np.random.Generator) -> tuple[SpatialProblem, np.ndarray]:
    """One Monte Carlo draw: the problem with perturbed inputs, and the model errors.

    Draws, always in this order and shape (so a sample depends only on its seed):
    position noise `[issue, actor]`, salience noise `[issue, actor]`, capability noise
    `[actor]`, model error `[issue]`.
    """
    dx, ds, dc, de = draws(problem, rng)
    positions = np.clip(problem.positions + noise.position * dx, 0.0, 100.0)
    saliences = np.minimum(problem.saliences * np.exp(noise.salience * ds), 1.0)
    capabilities = problem.capabilities * np.exp(noise.capability * dc)[None, :]
    return problem.with_inputs(positions, saliences, capabilities), noise.model_error * de


def draws(problem: SpatialProblem, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """The standard normal draws of one sample: position `[issue, actor]`, salience
    `[issue, actor]`, capability `[actor]`, model error `[issue]`."""
    shape = problem.positions.shape
    return (rng.standard_normal(shape), rng.standard_normal(shape),
            rng.standard_normal(problem.n_actors), rng.standard_normal(problem.n_issues))


def monte_carlo(problem: SpatialProblem, model: ForecastModel, *, samples: int = 1000,
                noise: Noise = DEFAULT_NOISE, seed: int = 0, workers: int = 1,
                progress: Progress | None = None) -> ForecastDistribution:
    """Forecast distribution of every issue under uncertain inputs.

    Steps:
    1. Derive one seed per sample from `seed`.
    2. For every sample, perturb the inputs (`perturb`) with its own generator.
    3. Stack a chunk of samples into one problem and run the model once on it
       (vectorised; dossiers are kept apart); add each sample's model error and clip
       to the 0-100 line.
    4. Chunks run in `workers` processes when more than one; `progress(done, total)` is
       called as samples complete.
    """
    if samples < 1:
        raise ValueError("samples must be >= 1")
    seeds = sample_seeds(seed, samples)
    chunks = [seeds[a:a + CHUNK] for a in range(0, samples, CHUNK)]
    results = map_chunks(_forecast_chunk, [(problem, model, noise, c) for c in chunks],
                         workers, progress, [len(c) for c in chunks])
    return ForecastDistribution(point=model.predict(problem),
                                samples=np.concatenate(results, axis=0))


def map_chunks(function: Callable, tasks: list[tuple], workers: int,
               progress: Progress | None, sizes: list[int]) -> list:
    """`function(*task)` for every task, in order, in `workers` processes if > 1."""
    total, done, results = sum(sizes), 0, []
    if progress:
        progress(0, total)
    if workers <= 1 or len(tasks) <= 1:
        for task, size in zip(tasks, sizes):
            results.append(function(*task))
            done += size
            if progress:
                progress(done, total)
        return results
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=_quiet_on_interrupt) as pool:
        try:
            with _interrupts_held():  # until each worker's _quiet_on_interrupt
                futures = [pool.submit(function, *task) for task in tasks]
            for future, size in zip(futures, sizes):
                results.append(future.result())
                done += size
                if progress:
                    progress(done, total)
        except BaseException:  # interrupted or failed: drop the chunks not yet started
            pool.shutdown(cancel_futures=True)
            raise
    return results


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C (block SIGINT) while the pool spawns its workers. They inherit the block,
    so a Ctrl-C during their start-up (seconds of imports) prints no traceback of theirs;
    `_quiet_on_interrupt` lifts it. Here a Ctrl-C held meanwhile arrives when the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _quiet_on_interrupt() -> None:
    """In a worker: Ctrl-C (sent to the terminal's whole process group) ends it at once,
    without a traceback of its own; the parent reports the interruption."""
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _forecast_chunk(problem: SpatialProblem, model: ForecastModel, noise: Noise,
                    seeds: list[np.random.SeedSequence]) -> np.ndarray:
    draws = [perturb(problem, noise, np.random.default_rng(s)) for s in seeds]
    forecasts = model.predict(stack([d[0] for d in draws])).reshape(len(seeds), -1)
    errors = np.stack([d[1] for d in draws])
    return np.clip(forecasts + errors, 0.0, 100.0)
