"""Floors of two goals of issue 21: the least work either can take on this machine.

- `eight-parties`: `accord analyze` of a generated 80 x 6 x 8 scenario (seed 0) in under
  5 s. Its time is HiGHS proving three max-min programs optimal (the zone, which is also
  the egalitarian solution's first stage, the egalitarian second stage and
  Kalai-Smorodinsky). This times the zone and Kalai-Smorodinsky programs as the engine
  builds them twice: as `analyze` solves them, and handed their optimum as a start, so that
  only the proof is left (what a perfect heuristic would leave); the egalitarian second
  stage already starts from its optimum. With `--scip PYTHON` (an interpreter with
  PySCIPOpt) the zone program, written as MPS, is also solved by SCIP with the same gap
  (none) and feasibility tolerance.
- `mediator`: the engine mediator 10x faster per round on group2-politics with the same
  transcripts. The same transcripts need the same log Nash product of every package in
  every world (35: 32 drawn, 3 worst cases) and the same picks from it (each world's
  runners-up, the best mean); this times just that, as `log_products` computes it
  (`_grid_losses`, `_log_gain`), against a tenth of the measured time per round.

    .venv/bin/python benchmarks/floors.py eight-parties [--seed 0] [--scip /tmp/scip-venv/bin/python]
    .venv/bin/python benchmarks/floors.py mediator
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SCIP_SOLVE = """
import sys, time
from pyscipopt import Model
model = Model()
model.readProblem(sys.argv[1])
model.hideOutput()
model.setParam("limits/gap", 0.0)
model.setParam("limits/absgap", 0.0)
model.setParam("numerics/feastol", 1e-7)
start = time.process_time()
model.optimize()
print("SCIP", time.process_time() - start, model.getObjVal(), model.getNNodes())
"""


def max_min_program(space, scale: np.ndarray):
    """The engine's own max-min program and its variable: `zone.margin_program` (the zone
    verdict's) for scale 1, `bargaining.max_min_program` (Kalai-Smorodinsky's first stage)
    otherwise."""
    from accord.analysis.bargaining import max_min_program as scaled_program
    from accord.analysis.zone import margin_program

    if np.all(scale == 1.0):
        return margin_program(space, space.veto.any(axis=0))
    program, t, _ = scaled_program(space, scale)
    return program, t


def cpu(call):
    """(CPU seconds, result) of one call."""
    start = time.process_time()
    result = call()
    return time.process_time() - start, result


def eight_parties(seed: int, scip: str | None) -> None:
    from accord.analysis import compile_space, nash_bargaining_solution
    from accord.analysis.bargaining import ideal_point, max_min_scaled_gain, nash_weights
    from accord.model.synthetic import random_scenario

    space = compile_space(random_scenario(80, 6, 8, seed=seed))
    print(f"80 x 6 x 8, seed {seed}: CPU seconds of each max-min program (HiGHS, one thread)")
    ideal_seconds, ideal = cpu(lambda: ideal_point(space))
    total_plain, total_proof, optima = 0.0, 0.0, {}
    for name, scale in (("zone", np.ones(space.n_parties)),
                        ("kalai-smorodinsky", ideal - space.reservation)):
        program, t = max_min_program(space, scale)
        plain, found = cpu(lambda: program.maximise(t, [1.0]))
        optimum = optima[name] = program.package(found)
        program, t = max_min_program(space, scale)
        proof, again = cpu(lambda: program.maximise(t, [1.0],
                                                    hint=program.hint_for(optimum)))
        total_plain, total_proof = total_plain + plain, total_proof + proof
        print(f"  {name:<18} as analyze solves it {plain:6.2f} s; from its optimum {proof:6.2f}"
              f" s (objective {found.objective:.9f} / {again.objective:.9f})")
    second, _ = cpu(lambda: max_min_scaled_gain(space, np.ones(space.n_parties),
                                                 start=optima["zone"]))
    nash, _ = cpu(lambda: nash_bargaining_solution(space))
    weighted, _ = cpu(lambda: nash_bargaining_solution(space, nash_weights(space.capability),
                                                       name="asymmetric-nash"))
    floor = total_proof + second + ideal_seconds + nash + weighted
    print(f"  egalitarian second stage (from its optimum, as analyze) {second:.2f} s; the ideal "
          f"point (8 programs) {ideal_seconds:.2f} s; Nash {nash:.2f} s; asymmetric Nash "
          f"{weighted:.2f} s")
    print(f"  with every max-min program handed its optimum: {floor:.2f} s of CPU, at least "
          f"{floor / 2:.2f} s on 2 cores (before the frontier and the drafts)")
    if scip:
        scip_zone(space, scip)


def scip_zone(space, python: str) -> None:
    """The zone program solved by SCIP (from an MPS file HiGHS writes) against HiGHS."""
    import highspy

    program, t = max_min_program(space, np.ones(space.n_parties))
    written = {}
    run = highspy.Highs.run

    def write_then_run(solver):
        path = Path(tempfile.mkdtemp()) / "zone.mps"
        solver.writeModel(str(path))
        written["path"] = path
        return run(solver)

    highspy.Highs.run = write_then_run
    try:
        highs_seconds, found = cpu(lambda: program.maximise(t, [1.0]))
    finally:
        highspy.Highs.run = run
    printed = subprocess.run([python, "-c", SCIP_SOLVE, str(written["path"])],
                             capture_output=True, text=True, check=True).stdout
    answer = printed.strip().splitlines()[-1].split()[1:]  # after SCIP's own lines
    print(f"  zone program, SCIP {answer[0][:6]} s ({answer[2]} nodes, objective "
          f"{float(answer[1]):.9f}) against HiGHS {highs_seconds:.2f} s "
          f"({found.objective:.9f})")


def mediator() -> None:
    sys.path.insert(0, str(HERE))
    from bench_mediator import run, space_of

    from accord.negotiation.mediator import EngineMediator, _grid_losses, _log_gain

    name = "anac/y2015/group2-politics"
    space = space_of(name)
    worlds = 35
    rng = np.random.default_rng(0)
    samples = [rng.random((worlds, space.n_vars)) / space.n_issues
               for _ in range(space.n_parties)]

    def one_round() -> np.ndarray:
        value = np.zeros((worlds, space.n_packages()))
        for x in samples:
            loss = _grid_losses(x, space.offsets)
            value += _log_gain(np.subtract(1.0, loss, out=loss))
        np.argpartition(-value, 2, axis=1)
        value.mean(axis=0).argmax()
        return value

    floor = min(cpu(one_round)[0] for _ in range(20))
    _, _, share, seconds = run((name, 0, {}))
    rounds = 50
    opening = min(EngineMediator().cover, int(space.sizes.max()))
    print(f"{name}: {space.n_packages():,} packages x {worlds} worlds x {space.n_parties} "
          f"parties; of {rounds} rounds, {rounds - opening} weigh worlds (the first "
          f"{opening} show every option)")
    print(f"  a {rounds}-round negotiation now: {seconds:.2f} s (share of the Nash product "
          f"{share:.4f}); 10x faster: {seconds / 10:.2f} s")
    print(f"  the log products of every package and world and their picks: {1e3 * floor:.1f} "
          f"ms a round (min of 20), {floor * (rounds - opening):.2f} s over the rounds that "
          "weigh worlds (once a round: the worst-case worlds and the question need more)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("goal", choices=("eight-parties", "mediator"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scip", help="an interpreter with PySCIPOpt, to compare SCIP")
    args = parser.parse_args()
    if args.goal == "eight-parties":
        eight_parties(args.seed, args.scip)
    else:
        mediator()
    return 0


if __name__ == "__main__":
    sys.exit(main())
