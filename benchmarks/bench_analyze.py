"""Time and peak memory of `accord analyze --json` on generated scenarios.

    python benchmarks/bench_analyze.py [--repeats 5] [--seeds 3]

For each size (30 issues x 4 options x 5 parties, 14 x 3 x 3) and seed, the scenario is
written with `accord generate`, then `accord analyze FILE --json` runs in a fresh process
`repeats` times; we report the median wall time and the peak resident memory (ru_maxrss of
the child, from wait4), and, separately, the median in-process analysis time (imports and
start-up excluded). The start-up cost of the CLI alone (`accord --help`) is printed for
reference. A brute-force estimate (vectorised enumeration, measured on 10^6 packages and
extrapolated) gives the ratio to the naive method.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = [(30, 4, 5), (14, 3, 3)]
BIN = Path(sys.executable).parent


def run_child(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def in_process_seconds(path: Path, repeats: int) -> float:
    import accord

    scenario = accord.load_scenario(path)
    accord.analyze(scenario)  # warm-up: first solver instance, caches
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        accord.analyze(scenario)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def brute_force_rate() -> float:
    """Packages per second for vectorised enumeration (utilities of every party)."""
    import numpy as np

    from accord.analysis import compile_space, utilities
    from accord.model.synthetic import random_scenario

    space = compile_space(random_scenario(30, 4, 5, seed=0))
    packages = np.random.default_rng(0).integers(0, 4, size=(1_000_000, 30))
    started = time.perf_counter()
    utilities(space, packages)
    return 1_000_000 / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    accord_bin = str(BIN / "accord")
    # Child processes first, while this process is small: a forked child's peak RSS
    # starts from its parent's, so heavy work here would inflate the figures.
    startup = [run_child([accord_bin, "--help"]) for _ in range(args.repeats)]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for issues, options, parties in SIZES:
            for seed in range(args.seeds):
                path = Path(folder) / f"s{issues}x{options}x{parties}-{seed}.yaml"
                subprocess.run([accord_bin, "generate", "-o", str(path), "--issues", str(issues),
                                "--options", str(options), "--parties", str(parties),
                                "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
                runs = [run_child([accord_bin, "analyze", str(path), "--json"])
                        for _ in range(args.repeats)]
                rows.append(((issues, options, parties), seed, path, runs))
        print(f"CLI start-up alone (accord --help): median "
              f"{statistics.median(r[0] for r in startup):.3f} s, "
              f"peak {max(r[1] for r in startup):.0f} MiB")
        rate = brute_force_rate()
        print(f"brute force: {rate:,.0f} packages/s (vectorised utilities only)\n")
        print(f"{'size':>10} {'seed':>4} {'packages':>10} {'CLI wall s':>10} {'peak MiB':>9} "
              f"{'analysis s':>10} {'brute-force est.':>18} {'ratio':>10}")
        for (issues, options, parties), seed, path, runs in rows:
            wall = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            inner = in_process_seconds(path, args.repeats)
            n = options ** issues
            brute = n / rate
            print(f"{issues:>4}x{options}x{parties:<3} {seed:>4} {n:>10.2e} {wall:>10.3f} "
                  f"{peak:>9.0f} {inner:>10.3f} {_duration(brute):>18} {brute / inner:>10.1e}")
    return 0


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / (86400 * 365.25):.2e} years"


if __name__ == "__main__":
    sys.exit(main())
