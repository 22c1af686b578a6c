"""`accord tournament`: many negotiations from a YAML config, reproducibly.

Before any work the command says how many negotiations the config makes and how they
multiply (`describe_plan`); it then times the first negotiation and gives an estimate of
the rest from it (an estimate: negotiations that end early or run to the deadline change
it), and shows a bar while the rest run. `--dry-run` stops after the plan.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord.cli.app import app, reports_errors
from accord.cli.options import finite
from accord.cli.progress import notice, progress_bar
from accord.errors import UsageError


@app.command()
@reports_errors
def tournament(
    config: Annotated[Path, typer.Argument(help="The tournament's YAML config "
                                           "(docs/negotiation.md).", show_default=False)],
    engine: Annotated[str, typer.Option(help="local (processes) or ray.")] = "local",
    workers: Annotated[int | None, typer.Option(min=1, help="Local processes (default: one "
                                                "per core); with ray, CPUs of a local "
                                                "cluster.")] = None,
    address: Annotated[str | None, typer.Option(help="Address of an existing Ray cluster.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the tidy table "
                                                "(.csv, or .parquet with pyarrow).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan (how many "
                                          "negotiations, and how they multiply) and stop.")
                       ] = False,
) -> None:
    """Run a tournament: scenarios x protocols x mediators x line-ups (agents in roles) x
    repetitions. Says its size first, then an estimate from the first negotiation."""
    from accord.negotiation.runners import run_tournament
    from accord.negotiation.tournament import (
        TournamentConfig,
        describe_plan,
        execute,
        load_bundles,
        plan,
        summarise,
        write_table,
    )

    if engine not in ("local", "ray"):
        raise UsageError(f"unknown engine {engine!r}; use local or ray")
    if output is not None and (output.is_dir() or not output.parent.is_dir()):
        raise UsageError(f"--output {output}: expected a file in an existing folder")
    settings = TournamentConfig.load(config)
    bundles = load_bundles(settings)
    tasks = plan(settings, bundles)
    lines = describe_plan(settings, bundles)
    if dry_run:
        _print_plan(lines, len(tasks), as_json)
        return
    notice(f"{len(tasks):,} negotiation(s) (per scenario and protocol: mediators x "
           "line-ups x repetitions):", quiet=as_json)
    for line in lines:
        notice(f"  {line}", quiet=as_json)
    with progress_bar("first negotiation (timed for an estimate)", None, quiet=as_json):
        started = time.perf_counter()
        rows = execute(tasks[0], bundles[tasks[0].scenario])
        first = time.perf_counter() - started
    rest = tasks[1:]
    if rest:
        cores = workers or (os.cpu_count() or 1) if engine == "local" else workers
        notice(_estimate(first, len(rest), cores), quiet=as_json)
        with progress_bar("negotiations", len(tasks), quiet=as_json) as update:
            update(1)
            rows += run_tournament(rest, bundles, engine, workers, address,
                                   progress=lambda done, total: update(done + 1))
    if output is not None:
        write_table(rows, output)
    summary = summarise(rows)
    if as_json:
        sys.stdout.write(json.dumps({"negotiations": len(tasks), "summary": [
            {k: finite(v) if isinstance(v, float) else v for k, v in s.items()}
            for s in summary]}, indent=2) + "\n")
        return
    _print_summary(summary, len(tasks), output)


def _print_plan(lines: list[str], count: int, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps({"negotiations": count, "plan": lines}, indent=2) + "\n")
        return
    console = Console(highlight=False, soft_wrap=True)
    for line in lines:
        console.print(escape(line))
    console.print(f"{count:,} negotiation(s) in all; nothing run (--dry-run)")


def _estimate(first: float, left: int, cores: int | None) -> str:
    """What the first negotiation's time says about the rest (honestly an estimate)."""
    if cores:
        pace = f"on {cores} worker(s), about {_duration(first * left / cores)}"
    else:
        pace = f"about {_duration(first * left)} of work, to share among the cluster's CPUs"
    return (f"the first negotiation took {first:.2f} s; at that pace the {left:,} left take "
            f"{pace} (an estimate: negotiations that end early or run to the deadline "
            "change it)")


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(seconds, 1):.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _print_summary(summary: list[dict[str, Any]], count: int, output: Path | None) -> None:
    console = Console(highlight=False)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  padding=(0, 1, 0, 0), title=f"{count} negotiations", caption="negotiations: those the agent "
                  "took part in; seats: the roles it held in them (self-play fills several)")
    table.add_column("agent", no_wrap=True,
                     min_width=max((len(s["agent"]) for s in summary), default=5))
    for header in ("negoti-\nations", "seats", "agree-\nments", "util-\nity", "gain",
                   "rounds", "to\nPareto", "to\nNash", "Nash\nshare"):
        table.add_column(header, justify="right")
    for s in summary:
        table.add_row(escape(s["agent"]), str(s["negotiations"]), str(s["seats"]),
                      f"{s['agreement_rate']:.0%}",
                      *(f"{s[k]:.3f}" for k in ("mean_utility", "mean_gain")),
                      f"{s['mean_rounds']:.1f}",
                      *(f"{s[k]:.3f}" for k in ("mean_distance_pareto", "mean_distance_nash",
                                                  "mean_nash_share")))
    console.print(table)
    if output is not None:
        console.print(f"wrote the table to {escape(str(output))}")


