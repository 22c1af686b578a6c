"""Where no mediator can be sure of 99%: twin worlds on the ANAC/GENIUS scenarios.

For every scenario the mediator benchmark covers (read from ../shared, never shipped)
with at most `--max-packages` packages, `accord.negotiation.twins.find_twin` looks for
other preferences that give the same sincere answers to every question a single-text
mediator could ask, checked draft by draft and pair by pair. Prints, per scenario, the
true Nash package's share of the Nash product in the twin and the most any text gets in
both worlds; where that is below 99%, no mediator that learns only from the answers can
reach 99% in both, whatever it asks.

    .venv/bin/python benchmarks/twin_worlds.py [--only NAME ...] [--workers 2]
        [--max-packages 5000] [--targets 8]
"""

from __future__ import annotations

import argparse
import sys
import time

from bench_mediator import GOAL, ROOT, anac_names, results, space_of


def run(job: tuple[str, int, int]) -> tuple[str, int, object, float] | None:
    from accord.negotiation.twins import find_twin
    from accord.negotiation.view import agenda_of, view_of

    name, max_packages, targets = job
    space = space_of(name)
    if space is None or space.n_packages() > max_packages or space.interactions:
        return None
    agenda = agenda_of(space)
    views = [view_of(space, k, agenda) for k in range(space.n_parties)]
    start = time.perf_counter()
    twin = find_twin(views, targets=targets, max_packages=max_packages)
    return name, space.n_packages(), twin, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these scenarios")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-packages", type=int, default=5_000)
    parser.add_argument("--targets", type=int, default=8,
                        help="texts after the Nash package to build twins for")
    args = parser.parse_args()
    if not ROOT.is_dir():
        print(f"missing {ROOT}: the ANAC scenarios live in ../shared (not shipped)")
        return 1
    names = list(args.only) if args.only else anac_names()
    jobs = [(name, args.max_packages, args.targets) for name in names]
    rows = []
    for row in results(run, jobs, args.workers):
        rows.append(row)
        name, packages, twin, seconds = row
        if twin is None:
            print(f"{name:<42} {packages:>6} packages  no twin found  {seconds:6.1f} s",
                  flush=True)
            continue
        mark = "  no mediator can be sure of 99%" if twin.best_for_both < GOAL else ""
        print(f"{name:<42} {packages:>6} packages  Nash package in the twin "
              f"{twin.nash_share_in_twin:.4f}  best in both {twin.best_for_both:.4f}"
              f"  {seconds:6.1f} s{mark}", flush=True)
    proven = [r for r in rows if r[2] is not None and r[2].best_for_both < GOAL]
    print(f"\n{len(rows)} scenarios searched; in {len(proven)} no text reaches "
          f"{GOAL:.0%} of the Nash product both in the scenario and in a twin that "
          f"answers every question alike: {', '.join(r[0] for r in proven) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
