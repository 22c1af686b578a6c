"""`accord convert`: a scenario from one format to another."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from accord.cli.app import (
    IntegerLimitOpt,
    PointsOpt,
    ScenarioArg,
    app,
    load_sources,
    reports_errors,
)
from accord.io import save
from accord.io.genius import DEFAULT_INTEGER_LIMIT, DEFAULT_POINTS, genius_losses


@app.command()
@reports_errors
def convert(
    scenario: ScenarioArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="A .yaml file, or a folder "
                                         "for --to genius.")],
    to: Annotated[str, typer.Option(help="Output format: yaml or genius.")] = "yaml",
    points: PointsOpt = DEFAULT_POINTS,
    integer_limit: IntegerLimitOpt = DEFAULT_INTEGER_LIMIT,
) -> None:
    """Convert between formats: YAML, GENIUS XML (read and write), GeniusWeb JSON (read)."""
    if to not in ("yaml", "genius"):
        raise typer.BadParameter(f"unknown format {to!r}; expected yaml or genius",
                                 param_hint="--to")
    loaded = load_sources(scenario, points, integer_limit)
    console = Console(highlight=False)
    if to == "genius":
        for loss in genius_losses(loaded):
            Console(stderr=True, highlight=False).print(f"[yellow]warning:[/] {escape(loss)}")
    written = save(loaded, output, to)  # type: ignore[arg-type]
    console.print(f"wrote {len(written)} file(s): " + ", ".join(escape(str(p)) for p in written))
