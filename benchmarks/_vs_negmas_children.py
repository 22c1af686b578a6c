"""The child processes of `bench_vs_negmas.py`, one job per process (JSON on stdout).

    .venv/bin/python benchmarks/_vs_negmas_children.py accord TARGET
    NEGMAS_PYTHON benchmarks/_vs_negmas_children.py negmas TARGET genius|plain [PROBE]
    .venv/bin/python benchmarks/_vs_negmas_children.py check TARGET ACCORD_JSON NEGMAS_JSON
    .venv/bin/python benchmarks/_vs_negmas_children.py list FOLDER ...
    .venv/bin/python benchmarks/_vs_negmas_children.py generate SIZE VARIANT INTERACTIONS DIR

`accord` and `negmas` are the timed children: they import their library and load TARGET
(a GENIUS folder, a scenario YAML for accord, a NegMAS folder for NegMAS), then time the
first call in the process of the Pareto frontier and the bargaining solutions. `check`
(untimed) compares two such answers with compare_negmas.py's matching; `list` says what
accord can load; `generate` writes a generated scenario as YAML and as a NegMAS folder.
Only the standard library is imported at the top, so this file runs under either
interpreter, and the timed children import nothing before their clock starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
HERE = Path(__file__).resolve().parent
TOL = 1e-9
PROBE = 200
AS_LIMIT = "VS_NEGMAS_AS_LIMIT_MIB"
"""Environment variable: the address-space limit (MiB) a child sets itself."""


def accord_child(target: str) -> dict:
    """accord: `pareto_frontier(space)` and `all_solutions(space)` (five solutions)."""
    import accord
    import accord.io
    from accord.analysis import all_solutions, compile_space, pareto_frontier

    space = compile_space(accord.io.resolve(target))
    loaded = time.perf_counter()
    frontier = pareto_frontier(space)
    solutions = all_solutions(space, frontier=frontier)
    done = time.perf_counter()
    return {"side": "accord", "version": accord.__version__, "load": loaded - STARTED,
            "compute": done - loaded, "parties": space.n_parties,
            "frontier": frontier.utilities.tolist(), "complete": bool(frontier.complete),
            "reason": frontier.reason,
            "solutions": {name: s.utilities.tolist() for name, s in solutions.items()}}


def negmas_child(target: str, genius: bool, probe: int = PROBE) -> dict:
    """NegMAS: `pareto_frontier` and, on it, `max_welfare_points`, `nash_points`,
    `kalai_points`, `ks_points` and `max_relative_welfare_points`."""
    import random

    import negmas
    from negmas.inout import Scenario
    from negmas.outcomes import CategoricalIssue
    from negmas.preferences import (
        kalai_points,
        ks_points,
        max_relative_welfare_points,
        max_welfare_points,
        nash_points,
        pareto_frontier,
    )

    scenario = Scenario.load(target, ignore_discount=True)
    space = scenario.outcome_space
    issues = list(space.issues)
    ufuns, normalised = list(scenario.ufuns), False
    if genius:  # GENIUS's utilities: evaluations over the issue's largest (compare_negmas)
        from compare_negmas import genius_ufuns
        try:
            ufuns, normalised = genius_ufuns(scenario), True
        except ValueError:  # non-linear GENIUS spaces: NegMAS's reading, for timing only
            pass
    loaded = time.perf_counter()
    frontier, _ = pareto_frontier(ufuns, issues=issues, sort_by_welfare=True)
    # Disagreement at each reservation and ideal within the zone, as accord's solutions
    # (the frontier keeps only outcomes meeting every reservation, so its max is that ideal).
    reserved = [float(u.reserved_value) for u in ufuns]
    ranges = [(r, max(p[k] for p in frontier)) for k, r in enumerate(reserved)] \
        if frontier else None
    solutions = {name: function(ufuns, frontier, ranges=ranges) if frontier else ()
                 for name, function in (("max_welfare", max_welfare_points),
                                        ("nash", nash_points), ("kalai", kalai_points),
                                        ("ks", ks_points),
                                        ("max_relative_welfare", max_relative_welfare_points))}
    done = time.perf_counter()
    rng = random.Random(0)
    if space.cardinality <= probe:
        sample = list(space.enumerate())
    else:
        sample = [tuple(rng.choice(list(i.all)) for i in issues) for _ in range(probe)]
    return {"side": "negmas", "version": negmas.__version__, "load": loaded - STARTED,
            "compute": done - loaded, "parties": len(ufuns), "normalised": normalised,
            "folder": target, "reserved": reserved,
            "frontier": [[float(x) for x in p] for p in frontier],
            "solutions": {name: [[float(x) for x in p] for p, _ in found]
                          for name, found in solutions.items()},
            "issues": [[i.name, [str(v) for v in i.all]] for i in issues],
            "numeric_issues": [i.name for i in issues if not isinstance(i, CategoricalIssue)],
            "probe": [[[str(v) for v in o], [float(u(o)) for u in ufuns]] for o in sample]}


def _same_points(ours: list, theirs: list) -> bool:
    """The same set of utility vectors at TOL: sorted pairwise when the sizes agree, else
    (or when that fails) compare_negmas's set comparison."""
    from compare_negmas import _same_set

    a, b = sorted(map(tuple, ours)), sorted(map(tuple, theirs))
    if len(a) == len(b) and all(max((abs(x - y) for x, y in zip(p, q)), default=0.0) <= TOL
                                for p, q in zip(a, b)):
        return True
    return len(a) * len(b) <= 25_000_000 and _same_set(a, b)


def _weighted_nash(frontier: list, reserved: list, weights: list) -> list:
    """accord's asymmetric Nash on a frontier (of points meeting every reservation): max
    prod (u_p - r_p)^w_p, a gain at or below TOL counting as none (product 0)."""
    import math

    def value(p):
        gains = [(u - r, w) for u, r, w in zip(p, reserved, weights) if w > 0]
        return 0.0 if any(g <= TOL for g, _ in gains) else \
            float(math.prod(g**w for g, w in gains))
    best = max((value(p) for p in frontier), default=0.0)
    return [p for p in frontier if value(p) >= best - 1e-12]


def check(target: str, ours: dict, theirs: dict) -> dict:
    """Does NegMAS's answer agree with accord's? Parties matched by compare_negmas's
    `match_parties` (utilities on NegMAS's probed outcomes); verdicts: same / DIFFERENT /
    n/a (why)."""
    import accord.io
    from accord.analysis import compile_space
    from accord.analysis.bargaining import nash_weights
    from compare_negmas import _ks_accord_definition, _near, match_parties

    scenario = accord.io.resolve(target)
    space = compile_space(scenario)
    if theirs["parties"] != space.n_parties:
        return {"verdict": f"n/a: NegMAS reads {theirs['parties']} profiles, accord "
                f"{space.n_parties}"}
    try:
        mapping, probe_error = match_parties(theirs, scenario, space)
    except (KeyError, SystemExit) as error:  # an issue or a value accord does not have
        return {"verdict": f"n/a: other outcomes (NegMAS has {error} "
                "that accord does not: accord discretises wide integer issues)"}
    if probe_error > TOL:  # (two parties may share a ufun: identical profiles)
        return {"verdict": f"n/a: utilities differ by up to {probe_error:.2g}",
                "probe_error": probe_error}

    def reorder(points):
        return [[p[m] for m in mapping] for p in points]

    reserved = space.reservation.tolist()
    frontier = reorder(theirs["frontier"])
    rational = [p for p in ours["frontier"] if all(u >= r - TOL for u, r in zip(p, reserved))]
    result = {"frontier_sizes": [len(ours["frontier"]), len(rational), len(frontier)],
              "frontier": ("same" if _same_points(rational, frontier) else "DIFFERENT")
              if ours["complete"] else "n/a: accord's frontier incomplete"}
    red_lines = bool(space.veto.any())
    negmas = {k: reorder(v) for k, v in theirs["solutions"].items()}
    expected = {"utilitarian": negmas["max_welfare"], "nash": negmas["nash"],
                "egalitarian": negmas["kalai"],
                "kalai-smorodinsky": _ks_accord_definition(frontier, reserved),
                "asymmetric-nash": _weighted_nash(frontier, reserved,
                                                  nash_weights(space.capability).tolist())}
    for name, points in expected.items():
        solution = ours["solutions"].get(name)
        if red_lines:
            result[name] = "n/a: red lines (NegMAS has none)"
        elif solution is None:
            result[name] = "same" if not points else "DIFFERENT"
        else:
            result[name] = "same" if _near(solution, points) else "DIFFERENT"
    result["ks_points"] = "same" if ours["solutions"].get("kalai-smorodinsky") is not None \
        and _near(ours["solutions"]["kalai-smorodinsky"], negmas["ks"]) else "other"
    bad = [k for k in ["frontier", *expected] if result[k] == "DIFFERENT"]
    solved = all(result[k] == "same" for k in expected)
    result["verdict"] = (f"NO: {', '.join(bad)}" if bad else
                         ("yes" if solved else "frontier only") if result["frontier"] == "same"
                         else "solutions only" if solved else "n/a")
    return result


def listing(folders: list[str]) -> list[dict]:
    """Outcomes and parties of each folder as accord loads it (or why it cannot)."""
    import math

    import accord.io

    rows = []
    for folder in folders:
        try:
            scenario = accord.io.resolve(folder)
        except Exception as error:  # noqa: BLE001 - reported as a row
            rows.append({"target": folder, "error": f"{type(error).__name__}: "
                         + " ".join(str(error).split())[:160]})
            continue
        rows.append({"target": folder, "parties": len(scenario.parties),
                     "issues": len(scenario.issues),
                     "outcomes": math.prod(len(i.options) for i in scenario.issues)})
    return rows


def generate(size: str, variant: str, interactions: int, folder: str) -> dict:
    """`random_scenario(I, O, P, seed=0)` as YAML, then `accord convert --to negmas --lossy`.

    variant `red-lines`: 10 % red lines (the generator's default), no interactions;
    `interactions`: INTERACTIONS per party, no red lines (so NegMAS's solutions compare).
    """
    import accord.io
    from accord.model.synthetic import random_scenario

    n_issues, n_options, n_parties = map(int, size.split("x"))
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    yaml_path, negmas_folder = out / f"{size}-{variant}.yaml", out / f"{size}-{variant}"
    if not yaml_path.exists():
        scenario = random_scenario(
            n_issues, n_options, n_parties, seed=0,
            red_line_rate=0.1 if variant == "red-lines" else 0.0,
            n_interactions=interactions if variant == "interactions" else 0)
        accord.io.save(scenario, yaml_path.with_suffix(".tmp.yaml"), "yaml")
        yaml_path.with_suffix(".tmp.yaml").rename(yaml_path)
    if not negmas_folder.is_dir():
        accord_cli = Path(sys.executable).with_name("accord")
        converted = subprocess.run(
            [str(accord_cli), "convert", str(yaml_path), "--to", "negmas", "--lossy",
             "-o", f"{negmas_folder}.tmp/"], capture_output=True, text=True,
            env=os.environ | {"COLUMNS": "200"})
        if converted.returncode != 0:
            raise SystemExit(f"accord convert failed: {converted.stderr}")
        (out / f"{size}-{variant}.convert.txt").write_text(converted.stderr)
        Path(f"{negmas_folder}.tmp").rename(negmas_folder)
    notes = (out / f"{size}-{variant}.convert.txt").read_text()
    return {"yaml": str(yaml_path), "negmas": str(negmas_folder),
            "dropped": [line.split("dropped: ", 1)[1] for line in notes.splitlines()
                        if "dropped: " in line]}


def main(argv: list[str]) -> int:
    """Dispatch one job; a failure prints {"error": ...} and exits 3."""
    job, args = argv[0], argv[1:]
    try:
        if job == "accord":
            answer = accord_child(args[0])
        elif job == "negmas":
            answer = negmas_child(args[0], args[1] == "genius",
                                  int(args[2]) if len(args) > 2 else PROBE)
        elif job == "check":
            answer = check(args[0], *(json.loads(Path(a).read_text()) for a in args[1:3]))
        elif job == "list":
            answer = listing(args)
        elif job == "generate":
            answer = generate(args[0], args[1], int(args[2]), args[3])
        else:
            raise SystemExit(f"unknown job {job!r}")
    except MemoryError:
        print(json.dumps({"error": "MemoryError"}))
        return 3
    except Exception as error:  # noqa: BLE001 - the parent reports it as the row's result
        print(json.dumps({"error": f"{type(error).__name__}: "
                          + " ".join(str(error).split())[:200]}))
        return 3
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))  # compare_negmas, under either interpreter
    if os.environ.get(AS_LIMIT):  # a backstop should the parent's memory watch be gone
        import resource
        limit = int(os.environ[AS_LIMIT]) * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.exit(main(sys.argv[1:]))
