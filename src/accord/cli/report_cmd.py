"""`accord report`: the self-contained HTML report, its figures as files, or a Markdown summary."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from accord.analysis import Analysis, FrontierRequest
from accord.analysis import analyze as run_analysis
from accord.analysis.pareto import DEFAULT_MAX_STATES
from accord.cli.app import (
    IntegerLimitOpt,
    PointsOpt,
    ScenarioArg,
    app,
    load_sources,
    reports_errors,
)
from accord.cli.progress import Update, notice, progress_bar
from accord.errors import UsageError
from accord.io.genius import DEFAULT_INTEGER_LIMIT, DEFAULT_POINTS
from accord.model.draft_ref import resolve_draft

FORMATS = ("html", "md", "svg", "png")
DEFAULT_OUTPUT = {"html": "report.html", "md": "report.md", "svg": "report-figures",
                  "png": "report-figures"}


@reports_errors
def report(
    scenario: ScenarioArg,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="The HTML or Markdown file to write; for svg and png, the "
        "folder the figures go to (one file per figure). An existing folder for html or md: "
        "the report is written into it as <scenario>.html or .md. Default: report.html, "
        "report.md or report-figures/.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="html (one self-contained page), "
                                     "md (a Markdown summary), svg or png (the figures).")]
    = "html",
    draft: Annotated[str | None, typer.Option(help="The draft the stance heat map shows first: "
                                              "its id, the name the tables show or a unique "
                                              "prefix (default: the first draft).")] = None,
    frontier_budget: Annotated[float, typer.Option(min=1.0, help="Multiply the exact "
                                                   "frontier's work budget; past it a sample "
                                                   "is drawn instead.")] = 1.0,
    frontier_red_lines: Annotated[bool, typer.Option(help="Frontiers of the packages no party "
                                                     "vetoes, instead of all packages.")] = False,
    points: PointsOpt = DEFAULT_POINTS,
    integer_limit: IntegerLimitOpt = DEFAULT_INTEGER_LIMIT,
) -> None:
    """A report to look at: verdict, stance heat map, Pareto frontiers, drafts, sources."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}",
                                 param_hint="--format")
    loaded = load_sources(scenario, points, integer_limit)
    if draft is not None:  # any name the tables show, as analyze --focus takes
        draft = resolve_draft(loaded, draft, "--draft").id
    target = output_target(output or Path(DEFAULT_OUTPUT[fmt]), fmt, loaded.id)
    with progress_bar("Pareto frontier", None, unit="issues") as progress:
        request = FrontierRequest(respect_red_lines=frontier_red_lines,
                                  max_states=int(DEFAULT_MAX_STATES * frontier_budget),
                                  max_work=int(FrontierRequest.max_work * frontier_budget),
                                  progress=progress)
        analysis = run_analysis(loaded, frontier=request)
    with progress_bar("Writing the report", REPORT_STEPS[fmt], unit="steps") as update:
        written = write_report(analysis, target, fmt, draft, progress=update)
    Console(highlight=False).print(
        f"wrote {len(written)} file(s): " + ", ".join(escape(str(p)) for p in written))


REPORT_STEPS = {"html": 3, "md": 2, "svg": 2, "png": 2}
"""Steps `write_report` reports: the content, the figures (not for md), the page."""


def output_target(output: Path, fmt: str, scenario_id: str) -> Path:
    """Where the report goes, checked before the analysis starts (a user error names the path).

    html and md: a file; when `output` is an existing folder, `<folder>/<scenario>.<fmt>`
    (said in a notice). svg and png: the folder of the figures (made if absent). The folder
    the output goes into must exist and be writable.
    """
    if fmt in ("html", "md"):
        if output.is_dir():
            folder, output = output, output / f"{scenario_id}.{fmt}"
            notice(f"{folder} is a folder: the report goes to {output}")
            if output.is_dir():
                raise UsageError(f"--output {folder}: {output} is a folder; give a file name "
                                 f"for the {fmt} report")
        parent = output.parent
    elif output.exists() and not output.is_dir():
        raise UsageError(f"--output {output}: the {fmt} figures go to a folder, and {output} "
                         "is a file; give a folder name")
    else:
        parent = output if output.is_dir() else output.parent
    if parent.exists() and not parent.is_dir():
        raise UsageError(f"cannot write {output}: {parent} is a file, not a folder")
    if not parent.is_dir():
        raise UsageError(f"cannot write {output}: the folder {parent} does not exist (make it "
                         "first, or give another --output)")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {output}: the folder {parent} is not writable")
    return output


def write_report(analysis: Analysis, output: Path, fmt: str = "html",
                 draft: str | None = None, progress: Update | None = None) -> list[Path]:
    """Write the report of an analysis in one format; the files written.

    `progress(done)` is called after each step (`REPORT_STEPS`); a file that cannot be
    written is a UsageError naming it.
    """
    from accord.report.content import build_content  # plotting libraries load only here

    def step(done: int) -> None:
        if progress is not None:
            progress(done)

    content = build_content(analysis, draft)
    step(1)
    try:
        if fmt == "html":
            from accord.report.figures import build_figures
            from accord.report.html import write_html

            figures = build_figures(content)
            step(2)
            written = [write_html(content, output, figures)]
        elif fmt == "md":
            from accord.report.markdown import write_markdown

            written = [write_markdown(content, output)]
        else:
            from accord.report.static import write_figures

            written = write_figures(content, output, fmt)  # type: ignore[arg-type]
    except OSError as error:
        where = error.filename or output
        raise UsageError(f"cannot write {where}: {error.strerror or error}") from None
    step(REPORT_STEPS.get(fmt, 2))
    return written


def demo_report_path(scenario_id: str) -> Path:
    """Where `accord demo` writes its report: a folder of its own in the temporary directory."""
    return Path(tempfile.gettempdir()) / "accord" / f"{scenario_id}-report.html"


def report_demo(console: Console, analysis: Analysis, focus: str | None = None) -> Path:
    """Write the HTML report of the demo's analysis and print where it is (for `accord demo`)."""
    path = write_report(analysis, demo_report_path(analysis.scenario.id), "html", focus)[0]
    console.print(f"Report to look at: [bold]{escape(str(path))}[/] (open it in a browser; "
                  "`accord report SCENARIO -o FILE` makes one for any scenario).",
                  highlight=False, soft_wrap=True)
    return path


app.command(name="report")(report)
