"""The report's "what is new" section: the hook to the plan comparison (`accord.compare`).

`accord.compare` (issue 4) is being built separately. Until it exists and exposes a diff
of two plans, `plan_comparison` returns None and the report leaves the section out. This is
the only place the report touches it: wire the real diff in here.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from accord.analysis import Analysis


@dataclass(frozen=True)
class Comparison:
    """A comparison of two plans, as the report shows it: a title and rows of changes."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


def plan_comparison(analysis: Analysis) -> Comparison | None:
    """The comparison of the scenario's plans, or None when none is available."""
    if importlib.util.find_spec("accord.compare") is None:
        return None
    return None  # accord.compare exists but its diff is not wired into the report yet
