"""Cross-check accord's Pareto frontier and bargaining points against NegMAS.

    python benchmarks/compare_negmas.py NEGMAS_PYTHON [--probe 500] [SCENARIO ...]

NEGMAS_PYTHON is an interpreter with NegMAS installed (e.g. /tmp/negmas-venv/bin/python);
NegMAS is not a dependency of accord. SCENARIO is a GENIUS folder, absolute or relative to
`shared/data/external/genius-anac/anac` (default: 2-party ANAC 2010-2012 domains under
100,000 outcomes). This script runs in accord's environment; it starts NEGMAS_PYTHON on
itself (`--negmas-child`), which loads each folder with `negmas.inout.Scenario.load`
and answers in JSON. The two never share a process.

NegMAS reads GENIUS discrete evaluations as they are written, while GENIUS (and accord)
divide them by the issue's largest evaluation; the child rebuilds each NegMAS utility
function with GENIUS's normalisation (discounting ignored, as accord does at time 0; an
integer issue's linear evaluator read from its lower bound and clamped to 0..1, as GENIUS
does, where NegMAS evaluates `offset + slope * x`), so both sides have the same utilities,
which a probe of random outcomes checks.

Compared, per scenario, as sets of utility vectors (tolerance 1e-9):
- the Pareto frontier: `negmas.preferences.pareto_frontier` vs `accord.analysis.pareto_frontier`;
- Nash: `negmas.preferences.nash_points` with each party's disagreement point set to its
  reservation value (as accord; NegMAS's default uses the worst utility instead when the
  reservation is lower, reported separately) vs `nash_bargaining_solution`;
- Kalai-Smorodinsky: accord's definition (max of the smallest gain as a share of the
  ideal gain within the zone, ties by largest sum) applied to NegMAS's frontier, and
  NegMAS's own `ks_points` (smallest spread of those shares, ideal over all outcomes), vs
  `kalai_smorodinsky`;
- egalitarian: `negmas.preferences.kalai_points` (max of the smallest gain) vs `egalitarian`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ANAC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external" / \
    "genius-anac" / "anac"
DEFAULT = ["y2010/EnglandZimbabwe", "y2010/ItexvsCypress", "y2011/Amsterdam", "y2011/Camera",
           "y2011/Car", "y2011/Grocery", "y2011/IS_BT_Acquisition", "y2011/Laptop",
           "y2012/AcquisitionA", "y2012/AirportSiteSelectionB", "y2012/BarbecueC",
           "y2012/CarA", "y2012/EnergySmallB", "y2012/FitnessC", "y2012/ItexvsCypressB",
           "y2012/MusicCollectionA", "y2012/RentalHouseB"]
MAX_OUTCOMES = 100_000
TOL = 1e-9


# ---------------------------------------------------------------- NegMAS side

def genius_ufuns(scenario, reserved: bool = True) -> list:
    """A NegMAS scenario's linear utility functions rebuilt with GENIUS's normalisation
    (each discrete issue's evaluations over its largest; an integer issue's linear
    evaluator from its lower bound, clamped to 0..1), so utilities are GENIUS's and accord's.

    `scenario`: a `negmas.inout.Scenario` loaded from a GENIUS folder. `reserved`: keep each
    ufun's reservation value (False: -inf, so NegMAS's frontier keeps every outcome).
    NegMAS's `DUMMY_ISSUE` (its filler for a gap in the issue indices) gets weight 0.
    Raises ValueError for a ufun that is not linear additive (GENIUS's non-linear spaces).
    """
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import AffineFun, LinearFun, TableFun

    space = scenario.outcome_space
    issues = list(space.issues)
    found = []
    for u in scenario.ufuns:  # GENIUS: evaluation / largest evaluation of the issue
        if not isinstance(u, LinearAdditiveUtilityFunction):
            raise ValueError(f"{u.name}: a {type(u).__name__}, not linear additive")
        tables, weights = [], list(u.weights)
        for k, (issue, value_fun) in enumerate(zip(issues, u.values)):
            raw = {v: float(value_fun(v)) for v in issue.all}
            if isinstance(value_fun, (AffineFun, LinearFun)):  # an integer issue's evaluator
                # GENIUS: clamp(offset + slope * (x - lowerbound), 0, 1); NegMAS: offset + slope * x
                low, bias = min(raw), float(getattr(value_fun, "bias", 0.0))
                slope = float(value_fun.slope)
                tables.append(TableFun({v: min(1.0, max(0.0, bias + slope * float(v - low)))
                                        for v in raw}))
                continue
            top = max(raw.values())
            tables.append(TableFun({v: (x / top if top >= 1e-5 else 0.0)
                                    for v, x in raw.items()}))
            if issue.name == "DUMMY_ISSUE" and len(raw) == 1:
                weights[k] = 0.0  # NegMAS's filler for a gap in the issue indices
        found.append(LinearAdditiveUtilityFunction(
            values=tables, weights=weights, outcome_space=space,
            reserved_value=u.reserved_value if reserved else float("-inf"), name=u.name))
    return found


def negmas_child(folders: list[str], probe: int) -> int:
    """Runs under NEGMAS_PYTHON: imports NegMAS only (never accord)."""
    import random

    import negmas
    from negmas.inout import Scenario
    from negmas.preferences import kalai_points, ks_points, nash_points, pareto_frontier

    answers = []
    for folder in folders:
        scenario = Scenario.load(folder, ignore_discount=True)
        space = scenario.outcome_space
        issues = list(space.issues)
        if space.cardinality >= MAX_OUTCOMES:
            answers.append({"folder": folder,
                            "error": f"{space.cardinality:,} outcomes, over {MAX_OUTCOMES:,}"})
            continue
        if not all(hasattr(i, "all") and i.is_finite() for i in issues):
            answers.append({"folder": folder, "error": "an issue is not discrete"})
            continue
        ufuns, unreserved = genius_ufuns(scenario), genius_ufuns(scenario, reserved=False)
        started = time.perf_counter()
        # NegMAS's frontier is that of the outcomes meeting every reservation.
        frontier, _ = pareto_frontier(ufuns, issues=issues, sort_by_welfare=True)
        seconds = time.perf_counter() - started
        frontier = [tuple(float(x) for x in point) for point in frontier]
        frontier_all, _ = pareto_frontier(unreserved, issues=issues, sort_by_welfare=True)
        frontier_all = [tuple(float(x) for x in point) for point in frontier_all]
        reserved = [float(u.reserved_value) for u in ufuns]
        lows_highs = [tuple(float(x) for x in u.minmax(space)) for u in ufuns]
        at_reservation = [(r, high) for r, (_, high) in zip(reserved, lows_highs)]

        def points(found):
            return [[float(x) for x in point] for point, _ in found]

        rng = random.Random(0)
        outcomes = list(space.enumerate())
        sample = outcomes if len(outcomes) <= probe else rng.sample(outcomes, probe)
        answers.append({
            "folder": folder, "negmas": negmas.__version__,
            "parties": [u.name for u in ufuns], "outcomes": len(outcomes),
            "issues": [[i.name, [str(v) for v in i.all]] for i in issues],
            "reserved": reserved, "ranges": lows_highs, "frontier": frontier,
            "frontier_all": frontier_all,
            "frontier_seconds": seconds,
            "nash": points(nash_points(ufuns, frontier, ranges=at_reservation)),
            "nash_default": points(nash_points(ufuns, frontier, outcome_space=space)),
            "ks_negmas": points(ks_points(ufuns, frontier, ranges=at_reservation)),
            "kalai": points(kalai_points(ufuns, frontier, ranges=at_reservation)),
            "probe": [[[str(v) for v in outcome], [float(u(outcome)) for u in ufuns]]
                      for outcome in sample],
        })
    print(json.dumps(answers))
    return 0


# ---------------------------------------------------------------- accord side

def _key(text: str) -> str:
    return " ".join(text.split())


def _near(point, points) -> bool:
    return any(max(abs(a - b) for a, b in zip(point, other)) <= TOL for other in points)


def _same_set(a, b) -> bool:
    return all(_near(p, b) for p in a) and all(_near(p, a) for p in b)


def _ks_accord_definition(frontier, reserved):
    """accord's Kalai-Smorodinsky point on a frontier: max min_p (u_p - r_p) / (ideal_p - r_p)
    over points meeting every reservation, ideal within them; ties by largest sum."""
    zone = [p for p in frontier if all(u >= r - 1e-7 for u, r in zip(p, reserved))]
    if not zone:
        return []
    ideal = [max(p[k] for p in zone) for k in range(len(reserved))]
    scale = [i - r for i, r in zip(ideal, reserved)]

    def share(p):  # (0 when no party can gain: every point of the zone is then the same)
        return min(((u - r) / s for u, r, s in zip(p, reserved, scale) if s > TOL), default=0.0)

    best = max(share(p) for p in zone)
    ties = [p for p in zone if share(p) >= best - TOL]
    top = max(sum(p) for p in ties)
    return [p for p in ties if sum(p) >= top - TOL]


def match_parties(answer: dict, scenario, space) -> tuple[list[int], float]:
    """For each accord party, the index of the NegMAS ufun with the same utilities on the
    probed outcomes, and the largest utility difference there (0: the same utilities).

    `answer`: a NegMAS child's JSON with "issues" ([name, [value, ...]] per issue) and
    "probe" ([[value, ...], [utility per ufun]] per outcome); `scenario`, `space`: accord's
    scenario and its compiled space. Issues match by name (accord's title), values by label
    (both with spaces normalised: accord trims labels, NegMAS keeps them as written);
    NegMAS's one-value `DUMMY_ISSUE`s (gaps in GENIUS's issue indices) match nothing.
    """
    import numpy as np

    from accord.analysis import utilities

    issue_index = {_key(issue.title): k for k, issue in enumerate(scenario.issues)}
    option_index = [{_key(option.label): j for j, option in enumerate(issue.options)}
                    for issue in scenario.issues]
    order = [issue_index.get(_key(name)) for name, _ in answer["issues"]]
    if any(k is None and len(values) != 1 for k, (_, values) in zip(order, answer["issues"])):
        raise SystemExit(f"{answer['folder']}: issues differ: {answer['issues']}")
    packages = np.zeros((len(answer["probe"]), space.n_issues), dtype=np.int64)
    for row, (values, _) in enumerate(answer["probe"]):
        for position, value in zip(order, values):
            if position is not None:
                packages[row, position] = option_index[position][_key(value)]
    ours = utilities(space, packages)
    theirs = np.array([u for _, u in answer["probe"]])
    # Parties: the NegMAS ufun whose utilities match each accord party on the probe.
    mapping = [int(np.argmin(np.abs(theirs - ours[:, [p]]).max(axis=0)))
               for p in range(space.n_parties)]
    return mapping, float(np.abs(theirs[:, mapping] - ours).max())


def compare(answer: dict) -> dict:
    import accord.io
    from accord.analysis import (
        compile_space,
        egalitarian,
        kalai_smorodinsky,
        nash_bargaining_solution,
        pareto_frontier,
    )

    scenario = accord.io.resolve(answer["folder"])
    space = compile_space(scenario)
    mapping, probe_error = match_parties(answer, scenario, space)

    def ours_order(points):
        return [[point[m] for m in mapping] for point in points]

    started = time.perf_counter()
    frontier = pareto_frontier(space)
    seconds = time.perf_counter() - started
    negmas_frontier = ours_order(answer["frontier"])
    negmas_all = ours_order(answer["frontier_all"])
    reserved = [answer["reserved"][m] for m in mapping]
    rational = [point for point in frontier.utilities.tolist()
                if all(u >= r - TOL for u, r in zip(point, reserved))]
    result = {
        "scenario": Path(answer["folder"]).relative_to(ANAC).as_posix()
        if Path(answer["folder"]).is_relative_to(ANAC) else answer["folder"],
        "outcomes": answer["outcomes"], "probe_error": probe_error,
        "reservation": sorted(set(space.reservation.round(6).tolist())),
        "frontier": (frontier.size, len({tuple(p) for p in negmas_all})),
        "frontier_equal": _same_set(frontier.utilities.tolist(), negmas_all),
        "rational": (len(rational), len({tuple(p) for p in negmas_frontier})),
        "rational_equal": _same_set(rational, negmas_frontier),
        "frontier_seconds": (seconds, answer["frontier_seconds"]),
    }
    checks = {
        "nash": (nash_bargaining_solution(space), ours_order(answer["nash"])),
        "nash_default": (nash_bargaining_solution(space), ours_order(answer["nash_default"])),
        "ks": (kalai_smorodinsky(space), _ks_accord_definition(negmas_frontier, reserved)),
        "ks_negmas": (kalai_smorodinsky(space), ours_order(answer["ks_negmas"])),
        "egalitarian": (egalitarian(space), ours_order(answer["kalai"])),
    }
    for key, (solution, points) in checks.items():
        if solution is None:
            result[key] = "no zone" if not points else "accord: none"
        else:
            result[key] = "same" if _near(solution.utilities.tolist(), points) else "DIFFERENT"
            if result[key] == "DIFFERENT":
                result[key + "_detail"] = {"accord": solution.utilities.round(6).tolist(),
                                           "negmas": [[round(x, 6) for x in p] for p in points]}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("negmas_python", help="an interpreter with NegMAS installed")
    parser.add_argument("scenarios", nargs="*", default=DEFAULT)
    parser.add_argument("--probe", type=int, default=500,
                        help="random outcomes whose utilities are compared")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    folders = [str(p if p.is_absolute() else ANAC / p) for p in map(Path, args.scenarios)]
    if not all(Path(f).is_dir() for f in folders):
        missing = [f for f in folders if not Path(f).is_dir()]
        raise SystemExit(f"not found: {', '.join(missing)}")
    # cwd: outside any package folder, so NegMAS's sub-packages cannot shadow the stdlib.
    child = subprocess.run([args.negmas_python, str(Path(__file__).resolve()), "--negmas-child",
                            str(args.probe), *folders],
                           capture_output=True, text=True, cwd=Path(__file__).resolve().parent)
    if child.returncode != 0:
        raise SystemExit(f"NegMAS child failed:\n{child.stderr}")
    answers = json.loads(child.stdout)
    results = []
    for answer in answers:
        if "error" in answer:
            results.append({"scenario": answer["folder"], "error": answer["error"]})
            continue
        results.append(compare(answer))
    _print(results, answers)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    bad = [r for r in results if "error" not in r and (
        not r["frontier_equal"] or not r["rational_equal"] or r["probe_error"] > TOL
        or "DIFFERENT" in (r["nash"], r["ks"], r["egalitarian"]))]
    return 1 if bad else 0


def _print(results: list[dict], answers: list[dict]) -> None:
    version = next((a["negmas"] for a in answers if "negmas" in a), "?")
    print(f"accord vs NegMAS {version}: Pareto frontier and bargaining points "
          f"(utility vectors, tolerance {TOL:g})\n")
    print(f"{'scenario':<28} {'outcomes':>8} {'res.':>5} {'|du|':>7} {'frontier':>9} {'eq':>3} "
          f"{'>= res.':>7} {'eq':>3} {'nash':>5} {'ks':>5} {'egal.':>5} {'nash*':>5} {'ks*':>5}")
    for r in results:
        if "error" in r:
            print(f"{r['scenario']:<28} skipped: {r['error']}")
            continue
        reservation = ",".join(f"{x:g}" for x in r["reservation"])
        print(f"{r['scenario']:<28} {r['outcomes']:>8,} {reservation:>5} {r['probe_error']:>7.0e} "
              f"{'/'.join(map(str, r['frontier'])):>9} {_yes(r['frontier_equal']):>3} "
              f"{'/'.join(map(str, r['rational'])):>7} {_yes(r['rational_equal']):>3} "
              + " ".join(f"{_short(r[k]):>5}" for k in
                         ("nash", "ks", "egalitarian", "nash_default", "ks_negmas")))
    print("""
|du|: largest utility difference over the probed outcomes (same utilities on both sides).
frontier: accord's pareto_frontier / NegMAS's pareto_frontier with no reservations (distinct
utility vectors), eq: the same set; >= res.: the same for the outcomes meeting every
reservation (NegMAS's pareto_frontier keeps only those; accord's frontier filtered).
nash, egal.: NegMAS's nash_points / kalai_points with the disagreement point at the
reservation; ks: accord's definition applied to NegMAS's frontier; = same point, x not.
nash*, ks*: NegMAS's own defaults, other definitions shown for information (disagreement
at the worst utility when the reservation is lower; ks_points = smallest spread of the
gain shares, with the ideal over all outcomes).""")
    for r in results:
        for key in ("nash", "ks", "egalitarian", "nash_default", "ks_negmas"):
            if key + "_detail" in r:
                detail = r[key + "_detail"]
                print(f"  {r['scenario']} {key}: accord {detail['accord']}, "
                      f"NegMAS {detail['negmas']}")


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _short(verdict: str) -> str:
    return {"same": "=", "DIFFERENT": "x"}.get(verdict, verdict)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--negmas-child"]:  # NEGMAS_PYTHON: --negmas-child PROBE FOLDER...
        sys.exit(negmas_child(sys.argv[3:], int(sys.argv[2])))
    sys.exit(main())
