"""Analysis under a decision rule: seconds per question on generated scenarios with a
quorum and veto players (issue 18's goal: a 30 x 4 x 8 scenario, a quorum and two veto
players, each question under a second).

For each size and seed it generates a scenario (`accord.model.synthetic`), sets the rule
"at least Q of the parties, including the first two", and times, one at a time on one
thread: does a package pass (`zone_of_agreement`), the minimal blocking sets (when none
passes; with --blocking-reservations tight reservations force some), the five solutions
over passing packages, each party's Shapley–Shubik and Banzhaf index, and who carries each
draft. Prints seconds per question and the slowest.

    python benchmarks/bench_rule.py
    python benchmarks/bench_rule.py --sizes 30x4x8 60x4x8 --seeds 0 1 2 --quorum 5
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from accord.analysis import (
    blocking_sets,
    compile_space,
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining_solution,
    utilitarian,
    zone_of_agreement,
)
from accord.analysis.bargaining import nash_weights
from accord.analysis.drafts import draft_package, profile_draft
from accord.analysis.passing import draft_coalition
from accord.analysis.passing_bargaining import passing_ideal
from accord.analysis.rule import power_indices
from accord.model import Rule
from accord.model.synthetic import random_scenario


def ruled(issues: int, options: int, parties: int, seed: int, quorum: int,
          reservation: tuple[float, float]):
    scenario = random_scenario(issues, options, parties, seed=seed, reservation=reservation)
    rule = Rule(at_least=quorum, required=(scenario.parties[0].id, scenario.parties[1].id))
    return scenario.model_copy(update={"rule": rule})


def timed(call):
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["30x4x8"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--quorum", type=int, default=5)
    parser.add_argument("--reservation", nargs=2, type=float, default=[0.3, 0.5],
                        help="reservations drawn from this range of each party's scale")
    args = parser.parse_args()
    print(f"{'scenario':>10} {'seed':>4} {'question':<28} {'seconds':>8}  answer")
    slowest = (0.0, "")
    for size in args.sizes:
        issues, options, parties = (int(x) for x in size.split("x"))
        for seed in args.seeds:
            scenario = ruled(issues, options, parties, seed, args.quorum,
                             tuple(args.reservation))
            space = compile_space(scenario)
            ideal = passing_ideal(space)
            profiles = [profile_draft(space, d.id, draft_package(space, d.options, {}))
                        for d in scenario.drafts]
            questions = [
                ("passes? (zone)", lambda: zone_of_agreement(space),
                 lambda z: f"{'yes' if z.exists else 'no'}, margin {z.margin:.4f}"
                 if z.margin is not None else "no package"),
                ("blocking sets (up to 5)", lambda: blocking_sets(space, max_sets=5),
                 lambda b: f"{len(b)} sets"),
                ("ideal gains", lambda: passing_ideal(space), lambda _: ""),
                ("utilitarian", lambda: utilitarian(space), _value),
                ("nash", lambda: nash_bargaining_solution(space, ideal=ideal), _value),
                ("asymmetric nash", lambda: nash_bargaining_solution(
                    space, nash_weights(space.capability), ideal=ideal), _value),
                ("kalai-smorodinsky", lambda: kalai_smorodinsky(space, ideal), _value),
                ("egalitarian", lambda: egalitarian(space), _value),
                ("power indices", lambda: power_indices(space.winning_rule),
                 lambda p: "max Shapley-Shubik " f"{p.shapley_shubik.max():.3f}"),
                ("draft coalitions", lambda: [
                    draft_coalition(space, profile.draft_id, profile.utility_low,
                                    profile.red_lines_crossed) for profile in profiles],
                 lambda c: f"{sum(x.passes for x in c)} of {len(c)} pass"),
            ]
            for name, call, show in questions:
                seconds, result = timed(call)
                print(f"{size:>10} {seed:>4} {name:<28} {seconds:8.3f}  {show(result)}",
                      flush=True)
                if seconds > slowest[0]:
                    slowest = (seconds, f"{name} on {size} seed {seed}")
    print(f"slowest question: {slowest[0]:.3f} s ({slowest[1]})")


def _value(solution) -> str:
    if solution is None:
        return "none passes"
    members = int(np.sum(solution.coalition)) if solution.coalition is not None else "all"
    return f"value {solution.value:.4f}, carried by {members} parties"


if __name__ == "__main__":
    main()
