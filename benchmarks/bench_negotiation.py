"""Negotiations per second: accord's offer protocols and tournaments, optionally beside NegMAS.

    python benchmarks/bench_negotiation.py [NEGMAS_PYTHON] [--repeats 200]

Prints, per core (one process):
- a 100-round bilateral alternating-offers negotiation on ANAC's CameraB (3,600 outcomes),
  between two hard-liners (no agreement: all 100 rounds, 200 offers) and between two
  Boulware agents;
- a 100-round stacked alternating-offers negotiation on a 3-party scenario (ANAC 2015
  group2-politics, 23,040 outcomes), hard-liners;
and tournament throughput (CameraB, 6 agents x every role x 10 repetitions = 360
negotiations) with 1 and 2 local workers and on a local Ray cluster of 2 CPUs (its
start-up timed apart; the first run also ships the scenario and warms the workers).

NEGMAS_PYTHON, when given (e.g. /tmp/negmas-venv/bin/python), is an interpreter with
NegMAS installed; NegMAS is not a dependency of accord. This script starts it on itself
(`--negmas-child`) to run the same negotiations with NegMAS's SAOMechanism (n_steps=100:
one step is one move by every negotiator, as our round), ToughNegotiator for the
hard-liner and BoulwareTBNegotiator for Boulware, and prints the ratio of speeds.
Scenario set-up (loading, ladders, references) is done once and not timed, for both.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ANAC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external" / \
    "genius-anac" / "anac"
CAMERA = ANAC / "y2012" / "CameraB"
POLITICS = ANAC / "y2015" / "group2-politics"
ROUNDS = 100


# ---------------------------------------------------------------- NegMAS side

def negmas_child(repeats: int) -> int:
    """Runs under NEGMAS_PYTHON: NegMAS only (never accord)."""
    from negmas.inout import Scenario
    from negmas.sao import BoulwareTBNegotiator, SAOMechanism, ToughNegotiator

    def timed(folder: Path, cls: type, count: int) -> dict:
        # accord never discounts: NegMAS must not either (CameraB has a discount factor)
        scenario = Scenario.load(str(folder), ignore_discount=True)
        times, steps = [], 0
        for _ in range(count):
            started = time.perf_counter()
            mechanism = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=ROUNDS)
            for ufun in scenario.ufuns:
                mechanism.add(cls(), ufun=ufun)
            mechanism.run()
            times.append(time.perf_counter() - started)
            steps = mechanism.state.step
        return {"seconds": statistics.median(times), "rounds": steps}

    out = {
        "camera-hard": timed(CAMERA, ToughNegotiator, repeats),
        "camera-boulware": timed(CAMERA, BoulwareTBNegotiator, max(3, repeats // 50)),
        "politics-hard": timed(POLITICS, ToughNegotiator, max(3, repeats // 4)),
    }
    print(json.dumps(out))
    return 0


# ---------------------------------------------------------------- accord side

def accord_timed(folder: Path, protocol: str, agent: str, count: int) -> dict:
    from accord.analysis import compile_space
    from accord.io import resolve
    from accord.negotiation import agenda_of, make_agent, make_protocol, negotiate, view_of
    from accord.negotiation.transcript import references

    space = compile_space(resolve(folder))
    refs = references(space)
    agenda = agenda_of(space)
    views = [view_of(space, p, agenda) for p in range(space.n_parties)]
    rule = make_protocol(protocol, ROUNDS)
    times, rounds = [], 0
    for seed in range(count + 1):
        started = time.perf_counter()
        _, result = negotiate(space, rule, [make_agent(agent) for _ in views], seed=seed,
                              refs=refs, views=views)
        if seed:  # the first run builds the ladders
            times.append(time.perf_counter() - started)
        rounds = result.rounds
    return {"seconds": statistics.median(times), "rounds": rounds}


def tournament_throughput() -> dict[str, float]:
    from accord.negotiation.runners import run_tournament
    from accord.negotiation.tournament import TournamentConfig, load_bundles, plan

    config = TournamentConfig.from_dict({
        "seed": 0, "repetitions": 10, "scenarios": [str(CAMERA)],
        "agents": ["boulware", "linear", "conceder", "tit-for-tat", "hard-liner", "random"],
        "protocols": ["alternating-offers"], "deadline": ROUNDS})
    bundles = load_bundles(config)
    tasks = plan(config, bundles)
    rates = {}
    for label, engine, workers in (("1 worker", "local", 1), ("2 workers", "local", 2)):
        started = time.perf_counter()
        run_tournament(tasks, bundles, engine, workers)
        rates[label] = len(tasks) / (time.perf_counter() - started)
    try:
        import ray
    except ImportError:
        print("  ray: not installed (pip install 'accord[ray]')")
        return {"negotiations": len(tasks), **rates}
    started = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    rates["ray start-up (s)"] = time.perf_counter() - started
    try:
        for label in ("ray, first run", "ray, warm"):
            started = time.perf_counter()
            run_tournament(tasks, bundles, "ray")
            rates[label] = len(tasks) / (time.perf_counter() - started)
    finally:
        ray.shutdown()
    return {"negotiations": len(tasks), **rates}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("negmas_python", nargs="?")
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--negmas-child", action="store_true")
    args = parser.parse_args()
    if args.negmas_child:
        return negmas_child(args.repeats)
    if not CAMERA.is_dir():
        print(f"missing {CAMERA}: the ANAC scenarios live in ../shared (not shipped)")
        return 1
    ours = {
        "camera-hard": accord_timed(CAMERA, "alternating-offers", "hard-liner", args.repeats),
        "camera-boulware": accord_timed(CAMERA, "alternating-offers", "boulware", args.repeats),
        "politics-hard": accord_timed(POLITICS, "stacked-alternating-offers", "hard-liner",
                                      args.repeats),
    }
    theirs = {}
    if args.negmas_python:
        done = subprocess.run([args.negmas_python, __file__, "--negmas-child", "--repeats",
                               str(args.repeats)], capture_output=True, text=True, check=True)
        theirs = json.loads(done.stdout.strip().splitlines()[-1])
    labels = {"camera-hard": "CameraB, 2 hard-liners, alternating offers",
              "camera-boulware": "CameraB, 2 Boulware, alternating offers",
              "politics-hard": "group2-politics, 3 hard-liners, stacked offers"}
    print(f"{'negotiation':<48} {'rounds':>6} {'ms':>8} {'per s/core':>11}"
          + (f" {'NegMAS ms':>10} {'rounds':>6} {'speed-up':>9}" if theirs else ""))
    for key, label in labels.items():
        mine = ours[key]
        line = (f"{label:<48} {mine['rounds']:>6} {mine['seconds'] * 1e3:>8.2f} "
                f"{1 / mine['seconds']:>11.0f}")
        if key in theirs:
            other = theirs[key]
            line += (f" {other['seconds'] * 1e3:>10.2f} {other['rounds']:>6} "
                     f"{other['seconds'] / mine['seconds']:>8.1f}x")
        print(line)
    rates = tournament_throughput()
    print(f"\ntournament: {rates.pop('negotiations')} negotiations (CameraB, 100 rounds)")
    for label, rate in rates.items():
        unit = "s" if label.endswith("(s)") else "negotiations/s"
        print(f"  {label:<18} {rate:>8.1f} {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
