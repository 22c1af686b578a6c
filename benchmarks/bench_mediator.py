"""How close the engine mediator gets to the Nash package, and how long it takes.

The single negotiating text with `sincere` delegations, 50 rounds, on every ANAC/GENIUS
scenario in ../shared/data/external/genius-anac (read from there, never shipped) that
the mediator test covers, and on ukraine-2025 with the Donetsk red lines relaxed. Prints,
per scenario, the share of the Nash product reached and the seconds the negotiation took,
then a summary: how many reach 99%, the median and mean share, and the median time.

    .venv/bin/python benchmarks/bench_mediator.py [--seeds 0 1 2] [--workers 2] [--only NAME ...]
        [--set worlds=64 ...]
"""

from __future__ import annotations

import argparse
import inspect
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "shared" / "data" / "external" / "genius-anac"
UKRAINE = ("ukraine-2025/russia+ukraine", "ukraine-2025/russia", "ukraine-2025/ukraine")
GOAL = 0.99
MAX_OPTIONS = 200
MAX_WORK = 1_000_000


def space_of(name: str):
    """The scenario's space, or None when the mediator test leaves it out."""
    from accord.analysis import compile_space, relax
    from accord.analysis.space import Demand
    from accord.errors import ScenarioError
    from accord.io import resolve

    if name.startswith("ukraine-2025/"):
        space = compile_space(resolve("ukraine-2025"))
        donetsk = space.issue_ids.index("donetsk-remainder")
        return relax(space, tuple(Demand(space.party_ids.index(p), "red-line", donetsk)
                                  for p in name.split("/")[1].split("+")))
    try:
        space = compile_space(resolve(ROOT / name))
    except ScenarioError:
        return None
    if space.terms:  # non-linear (ANAC 2014): the 10-issue ones, as the test takes them
        return space if space.n_parties >= 2 and space.n_issues <= 10 else None
    if (space.n_parties < 2 or space.n_vars > MAX_OPTIONS
            or space.n_packages() * space.n_parties > MAX_WORK):
        return None
    return space


def anac_names() -> list[str]:
    """Every ANAC/GENIUS scenario folder under ROOT, as a name relative to it."""
    return sorted(str(p.relative_to(ROOT)) for p in list(ROOT.glob("anac/y20*/*"))
                  + list(ROOT.glob("other/*")) if p.is_dir())


def results(work, jobs: list, workers: int):
    """`work(job)` for every job on `workers` processes, in order, skipping None."""
    with ProcessPoolExecutor(workers) as pool:
        yield from (row for row in pool.map(work, jobs) if row is not None)


def run(job: tuple[str, int, dict[str, float]]) -> tuple[str, int, float, float] | None:
    from accord.negotiation import negotiate, references
    from accord.negotiation.mediator import EngineMediator

    name, seed, params = job
    space = space_of(name)
    if space is None:
        return None
    refs = references(space)
    if refs.nash_package is None or refs.nash_product <= 1e-12:
        return None
    start = time.perf_counter()
    _, result = negotiate(space, "single-text", ["sincere"] * space.n_parties, seed=seed,
                          mediator=EngineMediator(**params), refs=refs, deadline=50)
    return name, seed, result.nash_share, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="only these scenarios (e.g. anac/y2012/CameraB)")
    parser.add_argument("--set", nargs="+", default=[], metavar="PARAM=NUMBER",
                        help="engine mediator parameters (e.g. worlds=64), for tuning")
    args = parser.parse_args()
    try:
        params = {key: (float(v) if "." in v else int(v))
                  for key, v in (item.split("=", 1) for item in args.set)}
    except ValueError:
        parser.error("--set takes PARAM=NUMBER pairs, e.g. worlds=64")
    from accord.negotiation.mediator import EngineMediator

    known = set(inspect.signature(EngineMediator).parameters)
    if set(params) - known:
        parser.error(f"--set: unknown parameter(s) {', '.join(sorted(set(params) - known))}; "
                     f"known: {', '.join(sorted(known))}")
    if not ROOT.is_dir():
        print(f"missing {ROOT}: the ANAC scenarios live in ../shared (not shipped)")
        return 1
    names = list(args.only) if args.only else anac_names() + list(UKRAINE)
    jobs = [(name, seed, params) for name in names for seed in args.seeds]
    rows = []
    for row in results(run, jobs, args.workers):
        rows.append(row)
        name, seed, share, seconds = row
        mark = "" if share >= GOAL else "  < 99%"
        print(f"{name:<42} seed {seed}  share {share:.4f}  {seconds:6.2f} s{mark}", flush=True)
    anac = [r for r in rows if not r[0].startswith("ukraine")]
    shares = [r[2] for r in anac]
    if shares:
        summarise(anac, shares)
    for name, seed, share, seconds in rows:
        if name.startswith("ukraine"):
            print(f"{name}: share {share:.4f} ({seconds:.1f} s, seed {seed})")
    return 0


def summarise(anac: list[tuple[str, int, float, float]], shares: list[float]) -> None:
    print(f"\nANAC/GENIUS: {len(shares)} runs, {sum(s >= GOAL for s in shares)} reach 99% of the "
          f"Nash product ({sum(s >= GOAL for s in shares) / max(1, len(shares)):.0%}); "
          f"median {statistics.median(shares):.4f}, mean {statistics.fmean(shares):.4f}, "
          f">= 95%: {sum(s >= 0.95 for s in shares)}, >= 90%: {sum(s >= 0.9 for s in shares)}")
    print(f"median seconds per 50-round negotiation: {statistics.median(r[3] for r in anac):.2f}"
          f" (max {max(r[3] for r in anac):.1f})")


if __name__ == "__main__":
    sys.exit(main())
