"""`accord generate`: a random scenario of a given size."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from accord.cli.app import app, reports_errors
from accord.cli.options import seed_option
from accord.io import save_scenario
from accord.model.synthetic import random_scenario


@app.command()
@reports_errors
def generate(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the YAML.")],
    issues: Annotated[int, typer.Option(min=1, max=10_000)] = 30,
    options: Annotated[int, typer.Option(min=1, max=100)] = 4,
    parties: Annotated[int, typer.Option(min=1, max=100)] = 5,
    seed: Annotated[int, seed_option("scenario")] = 0,
    red_line_rate: Annotated[float, typer.Option(min=0.0, max=1.0, help="Share of issues on "
                                                 "which a party draws a red line.")] = 0.1,
) -> None:
    """Write a random scenario of the given size (for benchmarks, tests and teaching)."""
    scenario = random_scenario(issues, options, parties, seed=seed, red_line_rate=red_line_rate)
    save_scenario(scenario, output)
    Console(highlight=False).print(f"wrote {escape(str(output))}: {issues} issues x {options} options x "
                                   f"{parties} parties (seed {seed})")
