"""Every forecasting model on the DEU III issues with outcomes: errors and 80% intervals.

    .venv/bin/python benchmarks/forecast_deu.py [--samples 100] [--folds 10] [--workers 2]

Reads `../shared/data/external/deu3-blksv/deu3.csv` (never copied; skipped with a message
when absent). For each model and capability proxy:

Every model sees all 364 issues (the exchange model trades between the issues of one
proposal, with or without a coded outcome); scores are over the 353 with outcomes:
- point forecasts: mean (MAE), median (MdAE) and root mean
  square (RMSE) absolute error, on the 0-100 scale. Models with fitted parameters
  (`*-fitted`) are scored out of sample: k-fold cross-validation over proposals (the
  issues of one proposal stay in one fold), fitted on the training folds only;
- 80% intervals from Monte Carlo (`--samples` draws of the default input noise: positions
  sd 10 points, log-saliences and log-capabilities sd 0.25). "input only" is their
  coverage as they come; "calibrated" adds a model-error term whose standard deviation is
  chosen on the training folds to cover 80% there, and is scored on the held-out fold.

The status quo (forecast = reference point) is scored on the issues that have one. The
procedural models read each proposal's Council voting rule, which the loader puts in the
scenario (`accord.io.eu_council`); capabilities matter to their Nash fallback only.
`--only procedural procedural-fitted` runs those two models alone.
Runtime: a few minutes on 2 cores (the expected-utility and exchange models dominate).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "external"
DEU = SHARED / "deu3-blksv" / "deu3.csv"
RUNS = [  # (model, capability proxy)
    ("compromise", "equal"), ("compromise", "gdp"), ("compromise", "votes"),
    ("compromise-fitted", "equal"), ("compromise-fitted", "gdp"),
    ("weighted-median", "equal"), ("weighted-median", "gdp"),
    ("nash", "equal"), ("nash", "gdp"),
    ("nash-fitted", "equal"), ("nash-fitted", "gdp"), ("nash-fitted", "votes"),
    ("expected-utility", "equal"), ("expected-utility", "gdp"),
    ("exchange", "equal"), ("exchange", "gdp"),
    ("procedural", "equal"), ("procedural", "gdp"), ("procedural", "votes"),
    ("procedural-fitted", "equal"), ("procedural-fitted", "gdp"), ("procedural-fitted", "votes"),
]
REFERENCE = {("compromise", "equal"): "23.44", ("compromise", "gdp"): "23.03",
             ("exchange", "equal"): "24.62", ("expected-utility", "equal"): "~27.9",
             ("weighted-median", "equal"): "~28", ("status quo", "-"): "51.1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", help="model names to run (default: all)")
    args = parser.parse_args()
    if not DEU.is_file():
        print(f"skipped: {DEU} not found (the shared data folder is absent)")
        return
    from accord.forecast import spatial_problem
    from accord.forecast.evaluate import dossier_folds, scores
    from accord.io.deu import load_deu

    problems = {proxy: spatial_problem(load_deu(DEU, proxy)) for proxy in ("equal", "gdp", "votes")}
    base = problems["equal"]
    known = ~np.isnan(base.outcome)
    folds = dossier_folds(base, args.folds, args.seed)
    print(f"DEU III: {base.n_issues} issues ({known.sum()} with outcomes) in "
          f"{len(set(base.dossier))} proposals, {base.n_actors} actors; {args.folds}-fold "
          f"cross-validation over proposals; {args.samples} Monte Carlo samples; "
          f"{args.workers} workers\n")
    rows = []
    rows.append(("status quo", "-", "", scores(base.reference, base.outcome), None, None, 0.0))
    for name, proxy in RUNS:
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        rows.append(evaluate(name, proxy, problems[proxy], folds, args))
        print(f"  {name} ({proxy}) done in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    print(table(rows))


def evaluate(name: str, proxy: str, problem, folds: np.ndarray, args):  # type: ignore[no-untyped-def]
    """Scores of one model: point forecasts (cross-validated when fitted), intervals from
    input noise alone, and intervals with a model error calibrated on the training folds."""
    from accord.forecast import make_model, monte_carlo
    from accord.forecast.evaluate import (
        calibrate_model_error,
        cross_validated,
        scores,
        with_model_error,
    )

    started = time.perf_counter()
    model = make_model(name)
    forecast, fitted = cross_validated(problem, model, folds)
    samples = np.empty((args.samples, problem.n_issues))
    if model.fitted:
        for fold, chosen in enumerate(fitted):
            test = np.flatnonzero(folds == fold)
            samples[:, test] = monte_carlo(problem.take(test), chosen, samples=args.samples,
                                           seed=args.seed, workers=args.workers).samples
        train_samples = {fold: monte_carlo(problem.take(np.flatnonzero(folds != fold)), chosen,
                                           samples=args.samples, seed=args.seed,
                                           workers=args.workers).samples
                         for fold, chosen in enumerate(fitted)}
    else:
        samples = monte_carlo(problem, model, samples=args.samples, seed=args.seed,
                              workers=args.workers).samples
        train_samples = {fold: samples[:, folds != fold] for fold in range(folds.max() + 1)}
    z = np.random.default_rng(args.seed + 1).standard_normal(samples.shape)
    calibrated = np.empty_like(samples)
    sds = []
    for fold in range(folds.max() + 1):
        train, test = folds != fold, folds == fold
        sd = calibrate_model_error(train_samples[fold], z[:, train], problem.outcome[train])
        sds.append(sd)
        calibrated[:, test] = with_model_error(samples[:, test], sd, z[:, test])
    fitted_note = ""
    if model.fitted:
        values = [tuple(getattr(m, p) for p in model.fitted) for m in fitted]
        fitted_note = "; ".join(f"{v}" for v in sorted(set(values), key=values.count,
                                                        reverse=True)[:2])
    return (name, proxy, fitted_note, scores(forecast, problem.outcome, calibrated),
            scores(forecast, problem.outcome, samples).coverage, float(np.mean(sds)),
            time.perf_counter() - started)


def table(rows) -> str:  # type: ignore[no-untyped-def]
    lines = ["| model | capabilities | n | MAE | MdAE | RMSE | 80% coverage, input noise only "
             "| 80% coverage, calibrated (CV) | mean width | model-error sd | reference MAE "
             "| fitted (most frequent) | time |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, proxy, note, s, raw, sd, seconds in rows:
        lines.append(
            f"| {name} | {proxy} | {s.issues} | {s.mae:.2f} | {s.median_absolute_error:.2f} "
            f"| {s.rmse:.2f} | {_pct(raw)} | {_pct(s.coverage)} "
            f"| {'' if s.width is None else f'{s.width:.1f}'} "
            f"| {'' if sd is None else f'{sd:.1f}'} | {REFERENCE.get((name, proxy), '')} "
            f"| {note} | {seconds:.0f} s |")
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


if __name__ == "__main__":
    main()
