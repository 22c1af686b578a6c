"""The exact two-party frontier of every non-linear GENIUS space against GENIUS's pareto.xml.

    python benchmarks/bench_nonlinear.py [--only NAME ...]

For each of the 19 non-linear spaces in ../shared/data/external/genius-anac (ANAC 2014 and
their copies): the number of issues and packages, hyper-rectangles (terms), the points
GENIUS recorded, the points of accord's exact frontier, how many of GENIUS's points it
weakly dominates (to 1e-6: the file rounds to 8 digits), how many frontier points lie
beyond everything GENIUS recorded, each party's true maximum against GENIUS's `maxutility`
(the frontier's extreme utilities: above 1 where the estimate was low), and the time of
the frontier (in this process, after a warm-up). tests/test_anac_frontier.py checks the
same domination and re-evaluates the points beyond with an independent evaluator.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external" / "genius-anac"


def nonlinear_folders() -> list[Path]:
    folders = sorted(ROOT.glob("anac/y20*/*")) + sorted(ROOT.glob("other/*"))
    return [f for f in folders if (f / "pareto.xml").is_file() and any(
        ET.parse(p).getroot().get("type") == "nonlinear" for p in f.glob("profile-*.xml"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", help="folder names to run (default: all 19)")
    args = parser.parse_args()
    if not ROOT.is_dir():
        print(f"skipped: {ROOT} not found (the shared data folder is absent)")
        return 0
    from accord.analysis import compile_space, pareto_frontier
    from accord.io import resolve

    folders = [f for f in nonlinear_folders() if not args.only or f.name in args.only]
    pareto_frontier(compile_space(resolve(folders[0])))  # warm-up: imports, first solver
    print(f"non-linear GENIUS spaces, {time.strftime('%Y-%m-%d %H:%M')}: accord's exact "
          "two-party frontier against pareto.xml")
    print(f"{'space':<34} {'issues':>6} {'terms':>5} {'GENIUS':>6} {'accord':>6} "
          f"{'dominated':>9} {'beyond':>6} {'max u1':>7} {'max u2':>7} {'seconds':>8}")
    total = 0.0
    for folder in folders:
        space = compile_space(resolve(folder))
        started = time.perf_counter()
        frontier = pareto_frontier(space)
        seconds = time.perf_counter() - started
        total += seconds
        recorded = np.array([[float(x) for x in line.split(",")]
                             for line in (folder / "pareto.xml").read_text().splitlines()
                             if line.strip()])
        ours = frontier.utilities
        dominated = sum(bool((ours >= p - 1e-6).all(axis=1).any()) for p in recorded)
        beyond = sum(not (recorded >= u - 1e-6).all(axis=1).any() for u in ours)
        name = str(folder.relative_to(ROOT))
        print(f"{name:<34} {space.n_issues:>6} {len(space.terms):>5} {len(recorded):>6} "
              f"{len(ours):>6} {dominated:>5}/{len(recorded):<3} {beyond:>6} "
              f"{ours[:, 0].max():>7.4f} {ours[:, 1].max():>7.4f} {seconds:>8.2f}"
              + ("" if frontier.complete else "  (incomplete)"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"all {len(folders)}: {total:.1f} s of frontier; peak memory of this process "
          f"{peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
