"""The `accord` command line: demo, validate, analyze."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from accord.analysis import FrontierRequest, StageProgress
from accord.analysis import analyze as run_analysis
from accord.analysis.pareto import DEFAULT_MAX_STATES
from accord.cli.progress import progress_bar
from accord.cli.render import render_analysis
from accord.errors import AccordError
from accord.io import DEFAULT_SCENARIO, builtin_names, resolve, resolve_many
from accord.io.genius import DEFAULT_INTEGER_LIMIT, DEFAULT_POINTS
from accord.model import Scenario
from accord.model.draft_ref import resolve_draft
from accord.report import analysis_to_dict


class _CommandList(TyperGroup):
    """`accord --help`: each command's first sentence whole, wrapped (click cuts it to what
    fits on one line: `Pareto...` at 80 columns)."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, command.get_short_help_str(limit=1_000))
                for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


app = typer.Typer(
    name="accord", cls=_CommandList, no_args_is_help=True, add_completion=False,
    pretty_exceptions_enable=False,
    help="Analyse multi-party negotiations over plans of numbered points.",
    # click's plain help: Rich's option tables cut long option names and help to stubs
    # at 80 columns (`--max-blocking-s…`, `stacked-alternating-…`); click's wrap them
    rich_markup_mode=None,
)
DEMO_FOCUS = "ukraine-28-point-2025-11"


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Print accord's user errors on stderr and exit with their code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except AccordError as error:
            Console(stderr=True, highlight=False).print(
                f"[bold red]error:[/] {escape(error.user_message())}", soft_wrap=True)
            raise typer.Exit(error.exit_code) from None
        except typer.Abort as abort:  # the prompt turns Ctrl-C into Abort ("Aborted!", 1)
            if isinstance(abort.__context__, KeyboardInterrupt):
                raise typer.Exit(130) from None
            raise
        except (typer.Exit, typer.TyperException):
            raise
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except Exception as error:  # a bug of ours: say so plainly, trace only on request
            if os.environ.get("ACCORD_DEBUG"):
                raise
            if isinstance(error, OSError) and error.filename is not None:
                # a file or folder the user named could not be read or written: theirs to fix
                Console(stderr=True, highlight=False).print(
                    f"[bold red]error:[/] {escape(_os_error_text(error))}", soft_wrap=True)
                raise typer.Exit(EXIT_IO) from None
            Console(stderr=True, highlight=False).print(
                f"[bold red]internal error:[/] {type(error).__name__}: {escape(str(error))}\n"
                "This is a bug in accord; run again with ACCORD_DEBUG=1 for the details "
                "and please report them.", soft_wrap=True)
            raise typer.Exit(70) from None

    return wrapper


EXIT_IO = 74
"""Exit code when a file or folder the user named cannot be read or written (EX_IOERR)."""


@contextlib.contextmanager
def writing(path: str | Path) -> Iterator[None]:
    """Name `path` in a failed write that does not say which file it was (a full disk, a
    write refused by /proc), so the user reads which file and why (exit 74), not a bug."""
    try:
        yield
    except OSError as error:
        if error.filename is None:
            raise OSError(error.errno, error.strerror or str(error), str(path)) from None
        raise


def _os_error_text(error: OSError) -> str:
    """'PATH: reason' for a failed file operation (both paths for a rename or link)."""
    where = str(error.filename)
    if error.filename2 is not None:
        where += f" -> {error.filename2}"
    return f"{where}: {error.strerror or error}"


ScenarioArg = Annotated[list[str], typer.Argument(
    help="A scenario: a YAML file; a GENIUS domain XML (its profiles are found beside it), "
         "or the domain and its profile XMLs; a folder of GENIUS XML or GeniusWeb JSON "
         f"profiles; or the name of a shipped scenario ({', '.join(builtin_names())}).",
    show_default=False)]
PointsOpt = Annotated[int, typer.Option(min=2, max=10_000, help="Values a real (continuous) "
                                        "GENIUS/GeniusWeb issue is discretised into.")]
IntegerLimitOpt = Annotated[int, typer.Option(min=2, help="Integer issues with more values "
                                              "than this are discretised like real ones.")]


def load_sources(sources: list[str], points: int, integer_limit: int) -> Scenario:
    """The scenario named by a command's SCENARIO arguments (files, a folder or a shipped name)."""
    return resolve_many(sources, points=points, integer_limit=integer_limit)


@app.command()
@reports_errors
def demo() -> None:
    """Analyse the shipped ukraine-2025 scenario: is there a deal, what blocks it, what is fair."""
    console = Console()
    scenario = resolve(DEFAULT_SCENARIO)
    started = time.perf_counter()  # the analysis alone: the README quotes this figure
    with analysis_progress() as progress:
        analysis = run_analysis(scenario, frontier=FrontierRequest(), progress=progress)
    analysed = time.perf_counter() - started
    render_analysis(console, analysis, focus=DEMO_FOCUS)
    from accord.cli.report_cmd import report_demo  # report libraries load only here

    started = time.perf_counter()
    report_demo(console, analysis, focus=DEMO_FOCUS)
    console.print(f"[dim]Exact analysis of {analysis.space.n_packages():,} packages, Pareto "
                  f"frontier included, in {analysed:.1f} s; report written in "
                  f"{time.perf_counter() - started:.1f} s. Numbers are one analyst's estimates "
                  "(see docs/ukraine-2025.md); try `accord analyze ukraine-2025 --json`.[/]")


@app.command()
@reports_errors
def analyze(
    scenario: ScenarioArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON form "
                                                        "(docs/json-output.md).")] = False,
    focus: Annotated[str | None, typer.Option(help="A draft to explain in detail: its id, "
                                              "the name the tables show (e.g. europe-24-point) "
                                              "or a unique prefix.")] = None,
    max_blocking_sets: Annotated[int, typer.Option(min=0, help="How many blocking sets to list.")] = 10,
    relaxations: Annotated[int, typer.Option(min=0, help="When there is no zone: for how many "
                                             "blocking sets to solve the relaxed scenario.")] = 3,
    frontier: Annotated[bool, typer.Option(help="Compute the Pareto frontier.")] = True,
    frontier_limit: Annotated[int, typer.Option(min=0, help="How many frontier packages to list "
                                                "in --json (its size is always given).")] = 100,
    frontier_budget: Annotated[float, typer.Option(min=1.0, help="Multiply the exact frontier's "
                                                   "work budget (default about a second); past "
                                                   "it a faithful sample is listed instead.")] = 1.0,
    frontier_red_lines: Annotated[bool, typer.Option(help="Frontier of the packages no party "
                                                     "vetoes, instead of all packages.")] = False,
    points: PointsOpt = DEFAULT_POINTS,
    integer_limit: IntegerLimitOpt = DEFAULT_INTEGER_LIMIT,
    at_time: Annotated[float, typer.Option("--time", min=0.0, max=1.0, help="Normalised "
                                           "negotiation time: utilities and reservation values "
                                           "are discounted by each party's discount factor "
                                           "d**t, as in GENIUS.")] = 0.0,
) -> None:
    """Zone of agreement, blocking sets, bargaining solutions, draft profiles, Pareto frontier."""
    loaded = load_sources(scenario, points, integer_limit)
    if focus is not None:  # any name the tables show, a unique prefix, or the report's D<k>
        focus = resolve_draft(loaded, focus, "--focus").id
    with analysis_progress(quiet=as_json) as progress:
        request = FrontierRequest(
            respect_red_lines=frontier_red_lines,
            max_states=int(DEFAULT_MAX_STATES * frontier_budget),
            max_work=int(FrontierRequest.max_work * frontier_budget)) if frontier else None
        result = run_analysis(loaded, max_blocking_sets, relaxations, frontier=request,
                              at_time=at_time, progress=progress)
    if as_json:
        data = analysis_to_dict(result, frontier_limit)
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    render_analysis(Console(), result, focus=focus)


@contextlib.contextmanager
def analysis_progress(quiet: bool = False) -> Iterator[StageProgress]:
    """A bar on stderr for `analyze()`: the stages under way, with their counts (frontier
    issues, drafts, ...), and how many of the stages begun so far have ended.

    The engine reports from worker threads, hence the lock. Drawn only on a terminal and
    never with `quiet` (see accord.cli.progress).
    """
    lock = threading.Lock()
    running: dict[str, tuple[int, int | None]] = {}
    ended: set[str] = set()
    with progress_bar("analysis", None, quiet=quiet, unit="stages") as update:

        def report(stage: str, done: int, total: int | None) -> None:
            with lock:
                if total is not None and done >= total:
                    running.pop(stage, None)
                    ended.add(stage)
                else:
                    running[stage] = (done, total)
                doing = ", ".join(name if size in (None, 1) else f"{name} {count}/{size}"
                                  for name, (count, size) in running.items())
                update(len(ended), len(ended) + len(running),
                       label=f"analysis: {doing or 'done'}")

        yield report


@contextlib.contextmanager
def frontier_progress(quiet: bool = False) -> Iterator[Callable[[int, int], None]]:
    """A bar on stderr for the frontier's issue-by-issue recursion (a FrontierRequest's
    `progress`); `analysis_progress` follows every stage of an analysis."""
    with progress_bar("Pareto frontier", None, quiet=quiet, unit="issues") as update:
        yield update


@app.command()
@reports_errors
def validate(
    scenario: ScenarioArg,
    points: PointsOpt = DEFAULT_POINTS,
    integer_limit: IntegerLimitOpt = DEFAULT_INTEGER_LIMIT,
) -> None:
    """Check a scenario; errors name the file, line and field (exit code 2)."""
    from accord.io.geniusweb_ordinal import is_ordinal_json, load_ordinal

    if len(scenario) == 1 and Path(scenario[0]).suffix.lower() == ".json" \
            and is_ordinal_json(Path(scenario[0])):  # a ranking of bids: report it as one
        ranking = load_ordinal(scenario[0])
        Console(highlight=False).print(
            f"[green]✓[/] {escape(scenario[0])}: a valid GeniusWeb DefaultPartialOrdering — an "
            f"ordinal profile: {escape(ranking.summary())}. It ranks bids and gives them no "
            "utilities, so analyze, convert and the other commands that need numbers cannot "
            "use it.", soft_wrap=True)
        return
    loaded = load_sources(scenario, points, integer_limit)
    Console(highlight=False).print(
        f"[green]✓[/] {escape(' '.join(scenario))}: valid — {len(loaded.issues)} issues, "
        f"{len(loaded.parties)} parties, {len(loaded.drafts)} drafts, "
        f"{len(loaded.constraints)} constraints", soft_wrap=True)


def main() -> None:
    """Entry point of the `accord` script."""
    try:
        app()
    except SystemExit as done:
        if done.code == 130 and any(t.is_alive() and not t.daemon for t in threading.enumerate()
                                    if t is not threading.current_thread()):
            # Ctrl-C while a solver runs on a worker thread: HiGHS cannot be interrupted,
            # and Python would wait for it (minutes on a large space) before exiting
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(130)
        raise
