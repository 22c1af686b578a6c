"""Time of `accord validate` on generated scenarios of several sizes.

    python benchmarks/bench_validate.py [--repeats 3] [--sizes 100x10x10 1000x10x10 ...]

For each size (issues x options x parties) a scenario is generated (seed 0) and written
once; then we report the median, over `repeats`, of
- load: reading, parsing and validating the file in this process (`accord.load_scenario`),
- per line: that time divided by the file's lines (flat when loading is linear),
- cli: `accord validate FILE` in a fresh process, start-up included,
and the target (1000 x 10 x 10 loads in under 2 s) with PASS/MISS. A benchmark, never a
timed test: the tests check linearity by counting calls (tests/test_issue14_scale.py).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = ["100x10x10", "300x10x10", "1000x10x10", "2000x10x10", "200x50x20"]
TARGET = ("1000x10x10", 2.0)
BIN = Path(sys.executable).parent


def median_seconds(run, repeats: int) -> float:
    """Median wall time of `run()` over `repeats` calls."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", nargs="+", default=SIZES)
    args = parser.parse_args()

    from accord.io import load_scenario, save_scenario
    from accord.model.synthetic import random_scenario

    print(f"{'size':>12} {'lines':>9} {'MiB':>6} {'load s':>8} {'µs/line':>8} {'cli s':>7}")
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            issues, options, parties = (int(n) for n in size.split("x"))
            path = Path(folder) / f"{size}.yaml"
            save_scenario(random_scenario(issues, options, parties, seed=0), path)
            lines = path.read_text(encoding="utf-8").count("\n")
            load = median_seconds(lambda path=path: load_scenario(path), args.repeats)
            command = [str(BIN / "accord"), "validate", str(path)]
            cli = median_seconds(lambda command=command: subprocess.run(command, check=True,
                                                        stdout=subprocess.DEVNULL), args.repeats)
            results[size] = load
            print(f"{size:>12} {lines:>9,} {path.stat().st_size / 2**20:>6.1f} {load:>8.2f} "
                  f"{load / lines * 1e6:>8.2f} {cli:>7.2f}", flush=True)
    size, limit = TARGET
    if size in results:
        verdict = "PASS" if results[size] < limit else "MISS"
        print(f"target: {size} loads in under {limit:.0f} s: {results[size]:.2f} s {verdict}")


if __name__ == "__main__":
    main()
