"""`accord generate`: a random scenario of a given size."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from accord.cli.app import app, reports_errors, writing
from accord.cli.options import seed_option
from accord.cli.progress import Update, notice, progress_bar
from accord.io.yaml_scenario import MAX_FILE_BYTES, scenario_yaml_chunks
from accord.model.synthetic import scenario_sections

NOTICE_BYTES = 16 * 2**20
"""Files larger than this get a notice of their size before the writing starts."""
_LABELS = {"issues": "writing the issues", "parties": "drawing and writing parties",
           "constraints": "writing constraints", "drafts": "writing drafts"}


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
    size = estimated_bytes(issues, options, parties)
    if size > NOTICE_BYTES:
        notice(f"writing about {size / 2**20:,.0f} MiB"
               + (f"; accord reads scenario files of up to {MAX_FILE_BYTES >> 20} MiB, so "
                  "validate and analyze will refuse this one" if size > MAX_FILE_BYTES else ""))
    sections = scenario_sections(issues, options, parties, seed=seed,
                                 red_line_rate=red_line_rate)
    with writing(output), open(output, "w", encoding="utf-8") as out:
        try:
            with progress_bar("generating", parties, unit="parties") as update:
                for chunk in scenario_yaml_chunks(_reported(sections, update)):
                    out.write(chunk)
        except BaseException:  # interrupted or failed: leave no half-written scenario
            with contextlib.suppress(OSError):  # closing flushes, and may fail as the write did
                out.close()
            output.unlink(missing_ok=True)
            raise
    Console(highlight=False).print(f"wrote {escape(str(output))}: {issues} issues x {options} "
                                   f"options x {parties} parties (seed {seed})", soft_wrap=True)


def estimated_bytes(issues: int, options: int, parties: int) -> int:
    """About how large the YAML file will be (~22 bytes a valuation; within a few %)."""
    return 22 * issues * options * parties + 60 * issues * (options + parties)


def _reported(sections: Iterable[tuple[str, Any]], update: Update) -> Iterator[tuple[str, Any]]:
    """The scenario's sections, telling the bar which one is being written (parties are
    drawn one at a time as the writer asks for them, so the count is of parties done)."""
    drawn = 0
    for key, value in sections:
        update(drawn, label=_LABELS.get(key, "writing"))
        yield key, value
        if key == "parties":
            drawn += 1
            update(drawn)
