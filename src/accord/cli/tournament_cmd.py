"""`accord tournament`: many negotiations from a YAML config, reproducibly."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from accord.cli.app import app, reports_errors
from accord.cli.options import finite
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
) -> None:
    """Run a tournament: scenarios x protocols x agents x roles x repetitions."""
    from accord.negotiation.runners import run_tournament
    from accord.negotiation.tournament import (
        TournamentConfig,
        load_bundles,
        plan,
        summarise,
        write_table,
    )

    if engine not in ("local", "ray"):
        raise UsageError(f"unknown engine {engine!r}; use local or ray")
    settings = TournamentConfig.load(config)
    bundles = load_bundles(settings)
    tasks = plan(settings, bundles)
    with Progress(TextColumn("negotiations"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("tournament", total=len(tasks))
        rows = run_tournament(tasks, bundles, engine, workers, address,
                              progress=lambda done, total: bar.update(task, completed=done))
    if output is not None:
        write_table(rows, output)
    summary = summarise(rows)
    if as_json:
        sys.stdout.write(json.dumps({"negotiations": len(tasks), "summary": [
            {k: finite(v) if isinstance(v, float) else v for k, v in s.items()}
            for s in summary]}, indent=2) + "\n")
        return
    _print_summary(summary, len(tasks), output)


def _print_summary(summary: list[dict[str, Any]], count: int, output: Path | None) -> None:
    console = Console(highlight=False)
    table = Table("agent", "negotiations", "agreements", "utility", "gain", "rounds",
                  "to Pareto", "to Nash", "Nash share", title=f"{count} negotiations")
    for s in summary:
        table.add_row(escape(s["agent"]), str(s["negotiations"]), f"{s['agreement_rate']:.0%}",
                      *(f"{s[k]:.3f}" for k in ("mean_utility", "mean_gain")),
                      f"{s['mean_rounds']:.1f}",
                      *(f"{s[k]:.3f}" for k in ("mean_distance_pareto", "mean_distance_nash",
                                                  "mean_nash_share")))
    console.print(table)
    if output is not None:
        console.print(f"wrote the table to {escape(str(output))}")


