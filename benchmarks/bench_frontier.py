"""Time and peak memory of the exact Pareto frontier and of each solution, per space.

    python benchmarks/bench_frontier.py [--repeats 5] [--budget 20] [--spaces NAME ...]

Spaces: ANAC's AMPOvsCity and two non-linear ANAC 2014 spaces (GENIUS XML from the shared
data folder; skipped when absent): `50issuesDiscountedwithRV` (40 integer issues, 10^40
packages, 160 hyper-rectangles: the slowest exact frontier of the 19) and `S-1NAGUNL-255`
(50 issues, 10^50 packages, 230 hyper-rectangles: the largest space); and generated
scenarios of 14 issues x 3 options x 3 parties, 20 x 3 x 3 and 30 x 4 x 5
(`accord.model.synthetic.random_scenario`, seed 0). Operations: the exact Pareto frontier
(`pareto_frontier`, default budget), `frontier_sample` (100 weightings), the zone, the five
bargaining solutions each on its own, the blocking sets, and the whole `accord.analyze`.
When the exact frontier is beyond its budget, the same call with the budget `analyze`
uses (`FrontierRequest`) is timed too.

Each (space, operation) runs in a fresh child process (`--child SPACE OP`): it imports
accord, builds the space, runs the operation once on a small scenario with the same
number of parties (the warm-up: numba's compiled-code cache, the first HiGHS instance),
then `repeats` times on the space (fewer once `budget` seconds are spent, at least 3),
and prints its times as JSON. The parent reports the median and the child's peak
resident memory (ru_maxrss from wait4); a child that only imports accord and builds the
space gives the baseline, so an operation's own memory is the difference (including
what its first call loads, e.g. numba for three or more parties); the child's peak after
the warm-up, reported too, separates that from the timed runs' own memory. The parent
imports nothing heavy: a child's peak RSS can start from its parent's.

Figures are compared with NegMAS 0.16's published ones (2-core machine) and with the
targets; both are printed with the ratio or PASS/MISS, from this run's medians.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ANAC = SHARED / "data" / "external" / "genius-anac"
AMPO = ANAC / "other" / "AMPOvsCity"
FOLDERS = {"AMPOvsCity": AMPO, "50issuesDiscountedwithRV": ANAC / "anac" / "y2014" /
           "50issuesDiscountedwithRV", "S-1NAGUNL-255": ANAC / "other" / "S-1NAGUNL-255"}
NONLINEAR = ("50issuesDiscountedwithRV", "S-1NAGUNL-255")

SPACES = {"AMPOvsCity": None, "50issuesDiscountedwithRV": None, "S-1NAGUNL-255": None,
          "14x3x3": (14, 3, 3), "20x3x3": (20, 3, 3), "30x4x5": (30, 4, 5)}
OPERATIONS = ["frontier", "frontier_sample", "zone", "utilitarian", "nash", "asymmetric_nash",
              "kalai_smorodinsky", "egalitarian", "blocking_sets", "analyze"]
SOLUTIONS = ["zone", "utilitarian", "nash", "asymmetric_nash", "kalai_smorodinsky",
             "egalitarian", "blocking_sets"]
BUDGET_OP = "frontier_analyze_budget"
LABELS = {"frontier": "exact Pareto frontier", "frontier_sample": "frontier_sample (100)",
          BUDGET_OP: "  same, analyze's budget", "zone": "zone_of_agreement",
          "asymmetric_nash": "asymmetric nash", "kalai_smorodinsky": "kalai-smorodinsky",
          "blocking_sets": "blocking_sets", "analyze": "accord.analyze (whole)"}

# NegMAS 0.16, published, on a 2-core machine: exact frontier seconds and memory (bytes).
NEGMAS = {"AMPOvsCity": (11.1, 774e6), "14x3x3": (72.8, 2.2e9), "20x3x3": (None, 16 * 2**30)}
MB = 1e6


# ---------------------------------------------------------------- child process

def _scenario(name: str):
    if name in FOLDERS:
        import accord.io

        return accord.io.resolve(FOLDERS[name])
    from accord.model.synthetic import random_scenario

    return random_scenario(*SPACES[name], seed=0)


def _operation(op: str, scenario, space):
    """A no-argument callable running `op` on this scenario and its compiled space."""
    import accord
    from accord.analysis import (
        FrontierRequest,
        blocking_sets,
        egalitarian,
        frontier_sample,
        kalai_smorodinsky,
        nash_bargaining_solution,
        pareto_frontier,
        utilitarian,
        zone_of_agreement,
    )
    from accord.analysis.bargaining import nash_weights

    request = FrontierRequest()
    return {
        "frontier": lambda: pareto_frontier(space),
        BUDGET_OP: lambda: pareto_frontier(space, max_states=request.max_states,
                                           max_work=request.max_work),
        "frontier_sample": lambda: frontier_sample(space),
        "zone": lambda: zone_of_agreement(space),
        "utilitarian": lambda: utilitarian(space),
        "nash": lambda: nash_bargaining_solution(space),
        "asymmetric_nash": lambda: nash_bargaining_solution(
            space, nash_weights(space.capability), name="asymmetric-nash"),
        "kalai_smorodinsky": lambda: kalai_smorodinsky(space),
        "egalitarian": lambda: egalitarian(space),
        "blocking_sets": lambda: blocking_sets(space),
        "analyze": lambda: accord.analyze(scenario),
    }[op]


def _describe(op: str, result) -> dict:
    if op in ("frontier", BUDGET_OP, "frontier_sample"):
        return {"size": result.size, "complete": result.complete,
                "states_reached": result.states_reached}
    if op == "zone":
        return {"exists": result.exists, "margin": result.margin}
    if op == "blocking_sets":
        return {"sets": len(result)}
    if op == "analyze":
        return {"exists": result.zone.exists, "solutions": len(result.solutions),
                "blocking": len(result.blocking)}
    return {"found": result is not None}


def child(name: str, op: str, repeats: int, budget: float) -> int:
    started = time.perf_counter()
    from accord.analysis import compile_space

    scenario = _scenario(name)
    space = compile_space(scenario)
    report = {"build_s": time.perf_counter() - started, "parties": space.n_parties,
              "issues": space.n_issues, "packages": math.prod(int(k) for k in space.sizes)}
    if op != "baseline":
        from accord.model.synthetic import random_scenario

        small = random_scenario(6, 3, space.n_parties, seed=1,
                                n_interactions=2 if space.terms else 0)
        if op in ("frontier", BUDGET_OP) and space.n_parties >= 3:
            from accord.analysis import _nondominated

            if _nondominated.COMPILED:  # small inputs skip numba: load it as large ones do
                from accord.analysis import _sweeps  # noqa: F401
        _operation(op, small, compile_space(small))()  # warm-up
        report["warm_peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        run = _operation(op, scenario, space)
        times, result = [], None
        while len(times) < repeats:
            tick = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - tick)
            if len(times) >= 3 and sum(times) > budget:
                break
        report |= {"times": times, "info": _describe(op, result)}
    print(json.dumps(report))
    return 0


# ---------------------------------------------------------------- parent process

def measure(name: str, op: str, repeats: int, budget: float) -> dict:
    """Run one child; its JSON report plus its peak RSS (bytes)."""
    args = [sys.executable, str(Path(__file__).resolve()), "--child", name, op,
            "--repeats", str(repeats), "--budget", str(budget)]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors)
        output = process.stdout.read()
        process.stdout.close()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"{name} {op} failed:\n{errors.read().decode()}")
    report = json.loads(output)
    report["peak"] = usage.ru_maxrss * 1024  # KiB on Linux
    return report


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def _mib(value: float) -> str:
    return f"{value / 2**20:.0f}"


def _result(op: str, info: dict) -> str:
    if op in ("frontier", BUDGET_OP):
        if info["complete"]:
            return f"{info['size']:,} points, complete"
        return f"complete=False (beyond budget: {info['states_reached']:,} candidates next)"
    if op == "frontier_sample":
        return f"{info['size']} points (supported part)"
    if op == "zone":
        return f"exists={info['exists']}, margin {info['margin']:.4f}"
    if op == "blocking_sets":
        return f"{info['sets']} sets"
    if op == "analyze":
        return (f"zone={info['exists']}, {info['solutions']} solutions, "
                f"{info['blocking']} blocking sets")
    return "found" if info["found"] else "none (no zone)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per row (median)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds per row after which no new run starts (at least 3 runs)")
    parser.add_argument("--spaces", nargs="+", choices=list(SPACES), default=list(SPACES))
    parser.add_argument("--child", nargs=2, metavar=("SPACE", "OP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child, args.repeats, args.budget)

    spaces = list(args.spaces)
    for name, folder in FOLDERS.items():
        if name in spaces and not folder.is_dir():
            print(f"{name} skipped: {folder} not found (the shared data folder is absent)\n")
            spaces.remove(name)
    print(f"accord frontier and solutions benchmark, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}; medians of up to "
          f"{args.repeats} runs after a warm-up; each row in a fresh process.\n"
          "peak MiB: the row's child process; +base: minus the baseline child's (import accord,\n"
          "build the space); +runs: minus the child's peak after the warm-up (what the timed\n"
          "runs on this space added beyond imports and compiled-code caches)\n", flush=True)

    results: dict[str, dict[str, dict]] = {}
    for name in spaces:
        rows = {"baseline": measure(name, "baseline", args.repeats, args.budget)}
        for op in OPERATIONS:
            rows[op] = measure(name, op, args.repeats, args.budget)
            if op == "frontier" and not rows[op]["info"]["complete"]:
                rows[BUDGET_OP] = measure(name, BUDGET_OP, args.repeats, args.budget)
        results[name] = rows
        _print_space(name, rows)

    _print_negmas(results)
    _print_targets(results)
    return 0


def _print_space(name: str, rows: dict[str, dict]) -> None:
    base = rows["baseline"]
    print(f"{name}: {base['issues']} issues, {base['parties']} parties, "
          f"{base['packages']:,} packages ({base['packages']:.2e}); baseline child (import "
          f"accord + build the space, {_seconds(base['build_s'])}): "
          f"{_mib(base['peak'])} MiB peak RSS")
    print(f"  {'operation':<26} {'median':>10} {'runs':>4} {'peak MiB':>8} {'+base':>6} "
          f"{'+runs':>6}  result")
    for op, row in rows.items():
        if op == "baseline":
            continue
        extra = max(0, row["peak"] - base["peak"])
        own = max(0, row["peak"] - row["warm_peak"])
        print(f"  {LABELS.get(op, op):<26} {_seconds(statistics.median(row['times'])):>10} "
              f"{len(row['times']):>4} {_mib(row['peak']):>8} {_mib(extra):>6} {_mib(own):>6}  "
              f"{_result(op, row['info'])}")
    print(flush=True)


def _median(results: dict, name: str, op: str) -> float | None:
    row = results.get(name, {}).get(op)
    return statistics.median(row["times"]) if row else None


def _print_negmas(results: dict) -> None:
    print("Exact Pareto frontier against NegMAS 0.16's published figures (2-core machine);")
    print("memory: accord's whole-process peak RSS, in MB of 10^6 bytes as NegMAS reports")
    print(f"  {'space':<11} {'accord':>10} {'NegMAS':>10} {'speed-up':>10} "
          f"{'accord MB':>10} {'NegMAS MB':>15} {'less memory':>12}")
    for name, (seconds, memory) in NEGMAS.items():
        if name not in results:
            continue
        ours, peak = _median(results, name, "frontier"), results[name]["frontier"]["peak"]
        if seconds is None:
            negmas_s, speed = "OOM", "-"
            negmas_m, less = f">{memory / MB:,.0f} (OOM)", f">{memory / peak:,.0f}x"
        else:
            negmas_s, speed = f"{seconds:.1f} s", f"{seconds / ours:,.0f}x"
            negmas_m, less = f"{memory / MB:,.0f}", f"{memory / peak:,.1f}x"
        print(f"  {name:<11} {_seconds(ours):>10} {negmas_s:>10} {speed:>10} "
              f"{peak / MB:>10,.0f} {negmas_m:>15} {less:>12}")
    print()


def _print_targets(results: dict) -> None:
    print("Targets")
    lines = []

    def check(label: str, value: float | None, limit: float, shown: str) -> None:
        if value is None:
            lines.append(f"  SKIP  {label} (space not measured)")
        else:
            lines.append(f"  {'PASS' if value < limit else 'MISS'}  {label}: {shown}")

    for name, label, limit in [("14x3x3", "14x3x3 exact frontier < 0.1 s", 0.1),
                               ("AMPOvsCity", "AMPOvsCity exact frontier < 0.05 s", 0.05),
                               ("20x3x3", "20x3x3 exact frontier < 5 s", 5.0)]:
        value = _median(results, name, "frontier")
        check(label, value, limit, _seconds(value) if value is not None else "")
    peak = results["20x3x3"]["frontier"]["peak"] if "20x3x3" in results else None
    check("20x3x3 exact frontier < 1 GB (whole-process peak RSS)", peak, 1e9,
          f"{peak / MB:,.0f} MB" if peak is not None else "")
    if "30x4x5" in results:
        times = {op: _median(results, "30x4x5", op) for op in SOLUTIONS}
        slowest = max(times, key=times.get)
        check("every solution of 30x4x5 < 0.5 s (zone, five solutions, blocking sets)",
              times[slowest], 0.5, f"slowest {LABELS.get(slowest, slowest)} "
              f"{_seconds(times[slowest])}")
        whole = _median(results, "30x4x5", "analyze")
        lines.append(f"        for reference, the whole accord.analyze of 30x4x5: "
                     f"{_seconds(whole)}")
    else:
        check("every solution of 30x4x5 < 0.5 s", None, 0.5, "")
    for name in NONLINEAR:  # issue 20: each operation under 10 s and 1 GB
        if name not in results:
            check(f"{name}: every operation < 10 s and 1 GB", None, 10.0, "")
            continue
        times = {op: _median(results, name, op) for op in OPERATIONS}
        slowest = max(times, key=times.get)
        check(f"{name}: every operation < 10 s", times[slowest], 10.0,
              f"slowest {LABELS.get(slowest, slowest)} {_seconds(times[slowest])}")
        peak = max(row["peak"] for op, row in results[name].items())
        check(f"{name}: every operation < 1 GB (whole-process peak RSS)", peak, 1e9,
              f"{peak / MB:,.0f} MB")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
