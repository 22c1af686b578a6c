"""Progress for long commands: one Rich bar on stderr, shown only to a person at a terminal.

Every command that may run for more than a couple of seconds reports through `progress_bar`
(known size: a bar with the count, elapsed time and an estimate of the time left) or
`progress_bar(label, None)` (unknown size: a spinner with the elapsed time). Nothing is
drawn unless both stdout and stderr are terminals (so not in pipes, redirections, CI or
tests) or when the caller asks for quiet output (`--json`): machine-readable output and
logs never carry bar fragments. `notice` prints
one plain line on stderr: what the command chose for the user (a default protocol, the size
of a tournament) — said once, also when no bar is drawn.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

Update = Callable[..., None]


def stderr_console() -> Console:
    """The console progress and notices go to (stderr, so stdout stays the result)."""
    return Console(stderr=True, highlight=False)


@contextlib.contextmanager
def progress_bar(label: str, total: int | None, *, quiet: bool = False,
                 unit: str = "") -> Iterator[Update]:
    """Yield `update(done, total=None, label=None)`; draw a bar while the block runs (see
    module doc). `label` replaces the text before the bar.

    `total=None` draws a spinner until the size is known (a later `update(done, total)`
    turns it into a bar). The bar disappears when the block ends (it is transient).
    """
    console = stderr_console()
    if quiet or not console.is_terminal or not Console().is_terminal:
        yield _ignore
        return
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn()]
    if unit:
        columns.append(TextColumn(escape(unit)))
    columns += [TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(escape(label), total=total)

        def update(done: int, total: int | None = None, label: str | None = None) -> None:
            changes: dict = {"completed": done}
            if total is not None:
                changes["total"] = total
            if label is not None:  # what the command is doing now (e.g. a stage's name)
                changes["description"] = escape(label)
            bar.update(task, **changes)

        yield update


def notice(message: str, *, quiet: bool = False) -> None:
    """One dim line on stderr telling the user what the command chose or is about to do."""
    if not quiet:
        stderr_console().print(f"[dim]{escape(message)}[/]", soft_wrap=True)


def _ignore(done: int, total: int | None = None, label: str | None = None) -> None:
    """The update of a bar that is not drawn."""
