"""accord against NegMAS 0.16, side by side: the Pareto frontier and the bargaining solutions.

    .venv/bin/python benchmarks/bench_vs_negmas.py [--negmas-python /tmp/negmas-venv/bin/python]
        [--only NAME ...] [--max-outcomes N] [--repeats 3] [--timeout 60] [--memory-cap 6144]
        [--tables anac generated] [--sizes 10x4x2 ...] [--interactions 5] [--json OUT]

NegMAS is not a dependency of accord: it runs under its own interpreter. Two tables:

- anac: every shared ANAC/GENIUS scenario folder (`tests/genius_reference.scenario_folders`
  of `shared/data/external/genius-anac`) that accord loads; NegMAS loads it with
  `Scenario.load(folder, ignore_discount=True)` and GENIUS's normalisation
  (compare_negmas.genius_ufuns);
- generated: `random_scenario(I, O, P, seed=0)` of each --sizes, once with red lines (10 %
  of issues per party) and once with --interactions per party, written as YAML for accord
  and by `accord convert --to negmas --lossy` for NegMAS.

Each measurement is a fresh child process (_vs_negmas_children.py), one per side, scenario
and repeat, the side that starts alternating between repeats. A child imports its library
and loads the scenario ("load"), then times the first call in the process ("compute") of
accord's `pareto_frontier` + `all_solutions` (utilitarian, Nash, asymmetric Nash,
Kalai-Smorodinsky, egalitarian) or NegMAS's `pareto_frontier` + `max_welfare_points`,
`nash_points`, `ks_points`, `kalai_points` and `max_relative_welfare_points` (NegMAS has
no asymmetric Nash). This parent imports only the standard library, so children do not
start from a large resident set; each child's peak memory is `ru_maxrss` from `os.wait4`,
its wall time from start to exit. A child past --timeout seconds or --memory-cap MiB of
resident memory is killed ("timeout" / "OOM"); a side that fails is not run again on that
row. Agreement (one untimed `check` child per row, compare_negmas's matching): the
frontier meeting every reservation as sets of utility vectors at 1e-9, and each solution.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GENIUS = ROOT.parent / "shared" / "data" / "external" / "genius-anac"
ACCORD_PYTHON = sys.executable
CHILD = str(HERE / "_vs_negmas_children.py")
SIZES = ["10x4x2", "14x3x3", "20x3x3", "30x4x5", "80x6x3"]
VARIANTS = ("red-lines", "interactions")
MIB = 2**20


def scenario_folders(root: Path) -> list[Path]:
    """The shared GENIUS folders, as tests/genius_reference.py lists them (imported from
    there: one listing)."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from genius_reference import scenario_folders as listing
    finally:
        sys.path.pop(0)
    return listing(root)


def even_page_cache(pythons: list[str]) -> int:
    """Drop both interpreters' compiled libraries (every .so under their site-packages)
    from the page cache, so that the children read them back the same way; returns how
    many files. A library pip has just written sits in the page cache in large pages,
    and a child mapping it then counts more of it as resident: importing numpy measured
    29.3 MiB of peak RSS from accord's fresh venv against 24.4 from NegMAS's older one,
    the same numpy wheel, and 24.4 from both once evicted. The first child of each side
    then reads from disk (its time is one of the repeats' median)."""
    count = 0
    for python in pythons:
        found = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                "['platlib'])"], capture_output=True, text=True)
        for path in Path(found.stdout.strip()).rglob("*.so*"):
            try:
                descriptor = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
                count += 1
            finally:
                os.close(descriptor)
    return count


def run_child(command: list[str], timeout: float, cap_mib: float) -> dict:
    """Run one child; its JSON answer (or error), wall seconds, peak RSS (MiB) and status:
    ok, error, timeout or OOM (killed past `timeout` s or `cap_mib` MiB resident)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=HERE, env=os.environ
                                   | {"VS_NEGMAS_AS_LIMIT_MIB": str(int(cap_mib * 1.5 + 2048))})
        ended: dict = {}

        def wait() -> None:
            _, status, usage = os.wait4(process.pid, 0)
            ended.update(at=time.perf_counter(), status=status, usage=usage)
        waiter = threading.Thread(target=wait)
        waiter.start()
        killed = None
        while waiter.is_alive():
            waiter.join(0.05)
            if waiter.is_alive() and killed is None:
                if time.perf_counter() - started > timeout:
                    killed = f"timeout > {timeout:g} s"
                elif _rss_mib(process.pid) > cap_mib:
                    killed = f"OOM > {cap_mib:g} MiB after " \
                        f"{time.perf_counter() - started:.0f} s"
                if killed:
                    process.kill()
        process.returncode = os.waitstatus_to_exitcode(ended["status"])
        out.seek(0)
        err.seek(0)
        text, errors = out.read().decode(), err.read().decode()
    result = {"wall": ended["at"] - started, "rss": ended["usage"].ru_maxrss / 1024,
              "cpu": ended["usage"].ru_utime + ended["usage"].ru_stime}
    if killed:
        return result | {"status": killed.split()[0], "error": killed}
    try:
        answer = json.loads(text.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        tail = " ".join(errors.strip().splitlines()[-1:])[:200]
        return result | {"status": "error", "error": f"exit {process.returncode}: {tail}"}
    if "error" in answer:
        status = "OOM" if answer["error"].startswith("MemoryError") else "error"
        return result | {"status": status, "error": answer["error"]}
    return result | {"status": "ok", "answer": answer, "text": text}


def _rss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def measure(row: dict, args: argparse.Namespace, index: int, work: Path) -> dict:
    """Time both sides of one row `args.repeats` times (alternating which starts), then
    check that their answers agree."""
    commands = {"accord": [ACCORD_PYTHON, CHILD, "accord", row["accord_target"]],
                "negmas": [args.negmas_python, CHILD, "negmas", row["negmas_target"],
                           "genius" if row["genius"] else "plain"]}
    runs: dict[str, list[dict]] = {"accord": [], "negmas": []}
    stem = "".join(c if c.isalnum() else "_" for c in row["name"])
    for repeat in range(args.repeats):
        order = ["accord", "negmas"] if (repeat + index) % 2 == 0 else ["negmas", "accord"]
        for side in order:
            if runs[side] and runs[side][-1]["status"] != "ok":
                continue  # failed (timeout, OOM, cannot load): not tried again
            runs[side].append(run_child(commands[side], args.timeout, args.memory_cap))
            if runs[side][-1]["status"] == "ok" and len(runs[side]) == 1:
                (work / f"{stem}.{side}.json").write_text(runs[side][-1].pop("text"))
            runs[side][-1].pop("text", None)
    result = {"name": row["name"], "outcomes": row["outcomes"], "parties": row["parties"],
              "note": row.get("note", "")}
    for side, found in runs.items():
        ok = [r for r in found if r["status"] == "ok"]
        if not ok:
            result[side] = {key: found[0][key] for key in ("status", "error", "wall", "rss")}
            continue
        answers = [r.pop("answer") for r in ok]
        result[side] = {"status": "ok", "runs": len(ok),
                        **{key: statistics.median(a[key] for a in answers)
                           for key in ("load", "compute")},
                        **{key: statistics.median(r[key] for r in ok)
                           for key in ("wall", "rss", "cpu")},
                        "complete": answers[0].get("complete", True),
                        "version": answers[0]["version"]}
    if all(result[side]["status"] == "ok" for side in runs):
        checked = run_child([ACCORD_PYTHON, CHILD, "check", row["accord_target"],
                             str(work / f"{stem}.accord.json"),
                             str(work / f"{stem}.negmas.json")], 600, 16_384)
        result["check"] = checked.get("answer") or {"verdict": f"check {checked['error']}"}
    return result


def anac_rows(args: argparse.Namespace) -> list[dict]:
    """Every shared GENIUS folder (--only applied), with accord's listing; a folder with no
    XML of its own only holds scenario folders, which are rows of their own."""
    def selected(folder: Path) -> bool:
        names = {folder.name, folder.relative_to(GENIUS).as_posix(),
                 folder.relative_to(GENIUS).as_posix().removeprefix("anac/")}
        return not args.only or bool(names & set(args.only))
    folders = [str(f) for f in scenario_folders(GENIUS) if any(f.glob("*.xml")) and selected(f)]
    listed = run_child([ACCORD_PYTHON, CHILD, "list", *folders], 600, 16_384)
    if listed["status"] != "ok":
        raise SystemExit(f"listing the scenarios failed: {listed['error']}")
    rows = []
    for item in listed["answer"]:
        name = Path(item["target"]).relative_to(GENIUS).as_posix().removeprefix("anac/")
        rows.append({"name": name, "accord_target": item["target"], "genius": True,
                     "negmas_target": item["target"], "outcomes": item.get("outcomes"),
                     "parties": item.get("parties"), "error": item.get("error")})
    return rows


def generated_rows(args: argparse.Namespace) -> list[dict]:
    """The generated scenarios, written once into --workdir."""
    rows = []
    for size in args.sizes:
        issues, options, parties = map(int, size.split("x"))
        for variant in VARIANTS:
            name = f"{size} {variant}"
            if args.only and not any(n in (name, size) for n in args.only):
                continue
            made = run_child([ACCORD_PYTHON, CHILD, "generate", size, variant,
                              str(args.interactions), str(args.workdir / "generated")],
                             3600, 16_384)
            if made["status"] != "ok":
                raise SystemExit(f"generating {name} failed: {made['error']}")
            rows.append({"name": name, "accord_target": made["answer"]["yaml"],
                         "negmas_target": made["answer"]["negmas"], "genius": False,
                         "outcomes": options**issues, "parties": parties,
                         "note": "; ".join(made["answer"]["dropped"])})
    return rows


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}" if seconds < 10 else f"{seconds * 1000:,.0f}"


def _ratio(theirs: float, ours: float) -> str:
    return f"{theirs / ours:,.1f}x" if ours > 0 else "-"


def print_table(title: str, results: list[dict]) -> None:
    """One row per scenario: accord then NegMAS for each figure, x = NegMAS / accord."""
    print(f"\n{title}\n{'scenario':<30}{'outcomes':>9} {'p':>2} |{'load ms':>15} |"
          f"{'compute ms (cold)':>27} |{'child wall s':>18} |{'peak MiB':>16} | agree")
    for r in results:
        head = f"{r['name']:<30}{_count(r['outcomes']):>9} {r['parties'] or '':>2} |"
        a, n = r.get("accord", {}), r.get("negmas", {})
        if a.get("status") != "ok":
            print(head + f" accord: {a.get('error') or r.get('error')}")
            continue
        done = n.get("status") == "ok"
        flag = "" if a.get("complete", True) else "*"
        pairs = [(_ms(a["load"]), _ms(n["load"]) if done else "-", None, 15),
                 (_ms(a["compute"]) + flag, _ms(n["compute"]) if done else "-",
                  _ratio(n["compute"], a["compute"]) if done else "", 27),
                 (f"{a['wall']:.2f}", f"{n['wall']:.2f}" if done else
                  f">{n.get('wall', 0):.0f}" if n.get("status") == "timeout" else "-",
                  _ratio(n["wall"], a["wall"]) if done else "", 18),
                 (f"{a['rss']:.0f}", f"{n.get('rss', 0):.0f}" if n else "-",
                  _ratio(n["rss"], a["rss"]) if done else "", 16)]
        cells = []
        for ours, theirs, ratio, width in pairs:
            text = f"{ours:>8} {theirs:>8}" + (f" {ratio:>8}" if ratio is not None else "")
            cells.append(f"{text:>{width}}")
        verdict = r.get("check", {}).get("verdict", "") if done else \
            f"NegMAS {n.get('error') or 'not run'}"
        print(head + " |".join(cells) + " | " + verdict)


def _count(n: int | None) -> str:
    return "" if n is None else f"{n:,}" if n < 1e7 else f"{n:.1e}"


def summary(results: list[dict]) -> list[str]:
    """Where accord is ahead on time and memory, where it is not, and rows that miss."""
    both = [r for r in results if r.get("accord", {}).get("status") == "ok"
            and r.get("negmas", {}).get("status") == "ok"]
    lines = [f"{len(results)} rows, both sides finished on {len(both)}"]
    for key, label in (("compute", "compute (cold call)"), ("wall", "whole child wall time"),
                       ("rss", "peak memory")):
        unit = " MiB" if key == "rss" else " ms"
        scale = 1 if key == "rss" else 1000
        behind = [f"{r['name']} ({r['accord'][key] * scale:,.3g} vs "
                  f"{r['negmas'][key] * scale:,.3g}{unit})"
                  for r in both if r["accord"][key] > r["negmas"][key]]
        lines.append(f"{label}: accord ahead or equal on {len(both) - len(behind)}/{len(both)}"
                     + (f"; behind on {len(behind)}: " + ", ".join(behind) if behind else ""))
    for side in ("accord", "negmas"):
        missed = [f"{r['name']} ({r.get(side, {}).get('error') or r.get('error')})"
                  for r in results if r.get(side, {}).get("status") != "ok"]
        if missed:
            lines.append(f"{side} missed {len(missed)}: " + "; ".join(missed))
    disagree = [f"{r['name']} ({r['check']['verdict']})" for r in both
                if not r.get("check", {}).get("verdict", "").startswith(("yes", "frontier only"))]
    lines.append("results agree (frontier and every comparable solution) on "
                 f"{len(both) - len(disagree)}/{len(both)}"
                 + (": other verdicts: " + "; ".join(disagree) if disagree else ""))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--negmas-python", default="/tmp/negmas-venv/bin/python")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="scenarios by folder name (CameraB), path (y2012/CameraB) or "
                        "generated name (10x4x2, '10x4x2 interactions')")
    parser.add_argument("--max-outcomes", type=float, help="skip rows with more outcomes")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per child")
    parser.add_argument("--memory-cap", type=float, default=6144, help="MiB per child")
    parser.add_argument("--tables", nargs="+", choices=("anac", "generated"),
                        default=["anac", "generated"])
    parser.add_argument("--sizes", nargs="+", default=SIZES, help="ISSUESxOPTIONSxPARTIES")
    parser.add_argument("--interactions", type=int, default=5,
                        help="interactions per party in the generated 'interactions' rows")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "accord-vs-negmas")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args()
    if not Path(args.negmas_python).exists():
        raise SystemExit(f"no NegMAS interpreter at {args.negmas_python}")
    args.workdir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="answers-", dir=args.workdir))
    started, load = datetime.datetime.now(), os.getloadavg()
    print(f"accord vs NegMAS, {started:%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {_source()}; medians of "
          f"{args.repeats} fresh processes per side; timeout {args.timeout:g} s, "
          f"memory cap {args.memory_cap:g} MiB per child", flush=True)
    print(f"page cache: {even_page_cache([ACCORD_PYTHON, args.negmas_python])} compiled "
          "libraries of both interpreters evicted, to be read back alike", flush=True)
    tables: dict[str, list[dict]] = {}
    for table in args.tables:
        rows = anac_rows(args) if table == "anac" else generated_rows(args)
        results, skipped = [], []
        for index, row in enumerate(rows):
            if args.max_outcomes and (row["outcomes"] or 0) > args.max_outcomes:
                skipped.append(row["name"])
            elif row.get("error"):
                results.append({**row, "accord": {"status": "error", "error": row["error"]}})
            else:
                results.append(measure(row, args, index, work))
                print(f"  [{len(results)}/{len(rows)}] {row['name']}: " + ", ".join(
                    f"{s} " + (f"{results[-1][s]['compute']:.4g} s" if "compute" in
                               results[-1][s] else results[-1][s]["error"])
                    for s in ("accord", "negmas")), file=sys.stderr, flush=True)
        tables[table] = results
        if skipped:
            print(f"\n{table}: skipped (over --max-outcomes): {', '.join(skipped)}")
    version = next((r["negmas"]["version"] for rs in tables.values() for r in rs
                    if r.get("negmas", {}).get("status") == "ok"), "?")
    for table, results in tables.items():
        print_table(f"{'ANAC/GENIUS scenarios' if table == 'anac' else 'generated scenarios'} "
                    f"(accord | NegMAS {version}; x = NegMAS / accord)", results)
        if table == "generated":
            for note in dict.fromkeys(r["note"] for r in results if r["note"]):
                print(f"  NegMAS folders drop: {note}")
    print("\n* accord's frontier incomplete (past its work budget); load: import + load; "
          "compute: first call in the process; agree: frontier at the reservations and "
          "the five solutions (see docs/benchmarks.md)")
    load = os.getloadavg()
    print(f"finished {datetime.datetime.now():%Y-%m-%d %H:%M}, load average {load[0]:.2f} "
          f"{load[1]:.2f} {load[2]:.2f}")
    for table, results in tables.items():
        print(f"\nsummary, {table}:\n  " + "\n  ".join(summary(results)))
    if args.json:
        args.json.write_text(json.dumps(tables, indent=1))
    return 0


def _source() -> str:
    """The commit measured, and whether src/ has uncommitted changes."""
    def git(*words: str) -> str:
        found = subprocess.run(["git", *words], capture_output=True, text=True, cwd=ROOT)
        return found.stdout.rstrip("\n")
    changed = [line[3:].removeprefix("src/accord/") for line in
               git("status", "--porcelain", "--", "src").splitlines()]
    return f"accord {git('rev-parse', '--short', 'HEAD') or '?'}" + (
        f" + uncommitted changes to {len(changed)} file(s) in src/accord ({', '.join(changed)})"
        if changed else "")


if __name__ == "__main__":
    sys.exit(main())
