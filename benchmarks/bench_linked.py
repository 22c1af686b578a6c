"""Linked spaces (issue 21): seconds per question on 30 x 4 x 5 generated scenarios with
0, 5, 20 and 50 pairwise interactions per party (the goal: zone and Nash under a second
each with 50).

For each number of interactions and each seed it generates a scenario
(`accord.model.synthetic.random_scenario`) and times, one at a time on one thread, the zone
verdict and the Nash, utilitarian, egalitarian and Kalai-Smorodinsky solutions, each called
alone (as a caller asking one question would). Prints the median over the seeds per
question and the slowest. The machine's load moves these figures: compare a row with the
row of 0 interactions of the same run.

    python benchmarks/bench_linked.py
    python benchmarks/bench_linked.py --interactions 0 50 --seeds 0 1 2 3
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from accord.analysis import (
    compile_space,
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining_solution,
    utilitarian,
    zone_of_agreement,
)
from accord.model.synthetic import random_scenario

QUESTIONS: dict[str, Callable] = {
    "zone": zone_of_agreement,
    "nash": nash_bargaining_solution,
    "utilitarian": utilitarian,
    "egalitarian": egalitarian,
    "ks": kalai_smorodinsky,
}


def timed(call: Callable[[], object]) -> float:
    """Wall seconds of one call."""
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="30x4x5")
    parser.add_argument("--interactions", nargs="+", type=int, default=[0, 5, 20, 50])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3])
    args = parser.parse_args()
    issues, options, parties = (int(n) for n in args.size.split("x"))
    print(f"{args.size}, seeds {args.seeds}: median (max) seconds per question")
    print(f"{'interactions':>12} " + " ".join(f"{name:>14}" for name in QUESTIONS))
    for k in args.interactions:
        seconds: dict[str, list[float]] = {name: [] for name in QUESTIONS}
        for seed in args.seeds:
            space = compile_space(random_scenario(issues, options, parties, seed=seed,
                                                  n_interactions=k))
            for name, question in QUESTIONS.items():
                seconds[name].append(timed(lambda: question(space)))
        print(f"{k:>12} " + " ".join(
            f"{statistics.median(v):>7.2f} ({max(v):4.2f})" for v in seconds.values()),
            flush=True)


if __name__ == "__main__":
    main()
