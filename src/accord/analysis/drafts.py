"""A draft's profile: who gains, which red lines it crosses, whom it favours.

Drafts may be partial (a text silent on an issue). An issue's `default_if_silent`
fills the gap where the scenario gives one; otherwise the issue stays open and each
party's utility is reported as the range over the open issues' options.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis.efficiency import Efficiency, pareto_efficiency
from accord.analysis.space import Space
from accord.analysis.utility import utility_bounds

OPEN = -1
"""Marks an issue a partial draft leaves open."""


@dataclass(frozen=True)
class DraftProfile:
    """Everything the mediator asks about one draft."""

    draft_id: str
    package: np.ndarray
    utility_low: np.ndarray
    utility_high: np.ndarray
    red_lines_crossed: tuple[tuple[int, int, int], ...]
    """(party, issue, option) triples."""
    share: np.ndarray
    """Each party's utility as a share of its possible range (0 = worst package, 1 = best)."""
    efficiency: Efficiency | None

    @property
    def complete(self) -> bool:
        return bool(np.all(self.package != OPEN))

    @property
    def favours(self) -> int:
        """The party whose share of its own range is largest."""
        return int(np.argmax(self.share))


def draft_package(space: Space, options: dict[str, str | None],
                  defaults: dict[str, str | None]) -> np.ndarray:
    """Option indices of a draft, `OPEN` where it is silent and no default applies."""
    package = np.full(space.n_issues, OPEN, dtype=np.int64)
    for i, issue_id in enumerate(space.issue_ids):
        option = options.get(issue_id) or defaults.get(issue_id)
        if option is not None:
            package[i] = space.option_ids[i].index(option)
    return package


def utility_range(space: Space, package: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-party lowest and highest utility over the completions of a partial package."""
    low = np.zeros(space.n_parties)
    high = np.zeros(space.n_parties)
    for i, option in enumerate(package):
        block = space.weights[:, space.offsets[i]:space.offsets[i + 1]]
        values = block[:, option:option + 1] if option != OPEN else block
        low += values.min(axis=1)
        high += values.max(axis=1)
    chosen = set(space.package_vars(package)[package != OPEN].tolist())
    open_vars = {v for i in np.flatnonzero(package == OPEN)
                 for v in range(space.offsets[i], space.offsets[i + 1])}
    for term in space.terms:
        certain = term.holds_for(chosen)
        possible = all(any(v in chosen or v in open_vars for v in group)
                       for group in term.groups)
        if certain:
            low[term.party] += term.value
            high[term.party] += term.value
        elif possible:
            low[term.party] += min(term.value, 0.0)
            high[term.party] += max(term.value, 0.0)
    return low, high


def profile_draft(space: Space, draft_id: str, package: np.ndarray) -> DraftProfile:
    """Utilities (a range for partial drafts), red lines crossed, share of range, efficiency."""
    low, high = utility_range(space, package)
    crossed = tuple((p, i, int(o)) for i, o in enumerate(package) if o != OPEN
                    for p in range(space.n_parties) if space.veto[p, space.var(i, int(o))])
    worst, best = utility_bounds(space)
    span = np.where(best - worst > 0, best - worst, 1.0)
    share = ((low + high) / 2 - worst) / span
    efficiency = pareto_efficiency(space, package) if np.all(package != OPEN) else None
    return DraftProfile(draft_id, package, low, high, crossed, share, efficiency)
