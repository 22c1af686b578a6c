"""Progress of a long analysis, reported as stage names and counts (no drawing here).

The engine only calls `progress(stage, done, total)`; whoever called it decides what to
show (the CLI draws a bar on a terminal, a test appends to a list). A stage reports
`done=0` when it starts and `done == total` when it ends; sized stages (ideal points,
blocking sets, relaxations, drafts, frontier) report their count in between. `total` is
None while a size is not known yet. Stages run on worker threads, so several may be under
way at once and the callback must be thread-safe.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

StageProgress = Callable[[str, int, "int | None"], None]
"""`progress(stage, done, total)`; see the module docstring."""

ZONE = "zone of agreement"
IDEAL = "ideal points"
BLOCKING = "blocking sets"
RELAXATIONS = "relaxations"
DRAFTS = "drafts"
FRONTIER = "frontier"
FRONTIER_SAMPLE = "frontier sample"
"""Stage names; each bargaining solution is a stage named like its key in `solutions`."""


@contextlib.contextmanager
def stage(progress: StageProgress | None, name: str,
          total: int = 1) -> Iterator[Callable[[int], None]]:
    """Report `name` started, yield `advance(done)`, report it ended (unless it raised)."""
    if progress is None:
        yield _ignore
        return
    def advance(done: int) -> None:
        if done < total:  # the end is reported once, below
            progress(name, done, total)

    progress(name, 0, total)
    yield advance
    progress(name, total, total)


def _ignore(done: int) -> None:
    """`advance` of a stage nobody watches."""
