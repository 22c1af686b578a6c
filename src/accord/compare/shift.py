"""Whom a revision moves towards: for two drafts over one scenario, each party's change
in utility, issue by issue and for the whole text.

A draft silent on an issue leaves it open (unless the issue has a `default_if_silent`),
so utilities are ranges (`analysis.drafts.utility_range`); a change is then a range too,
from the least to the most favourable reading of both texts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis import compile_space
from accord.analysis.drafts import OPEN, draft_package, utility_range
from accord.analysis.space import Space
from accord.model import Scenario

Range = tuple[float, float]


@dataclass(frozen=True)
class IssueShift:
    """One issue on which the two drafts pick different options (or one is silent)."""

    issue: str
    title: str
    before: str | None
    after: str | None
    gains: dict[str, Range]
    """Party id → (lowest, highest) change in utility from this issue."""
    position_shift: float | None
    """Change of the option's place on the issue's 0-100 line, when both have one."""
    plan_refs: tuple[str, ...]

    @property
    def towards(self) -> list[str]:
        """Parties that gain for certain, largest gain first."""
        return _ranked(self.gains, lambda r: r[0] > 0)

    @property
    def away(self) -> list[str]:
        """Parties that lose for certain, largest loss first."""
        return _ranked(self.gains, lambda r: r[1] < 0)[::-1]


def _ranked(gains: dict[str, Range], keep) -> list[str]:
    chosen = [party for party, r in gains.items() if keep(r)]
    return sorted(chosen, key=lambda party: -sum(gains[party]))


@dataclass(frozen=True)
class UtilityShift:
    """The whole revision: each party's utility before and after, and the issues."""

    before: str
    after: str
    parties: tuple[str, ...]
    utility_before: dict[str, Range]
    utility_after: dict[str, Range]
    issues: tuple[IssueShift, ...]

    def net(self) -> dict[str, Range]:
        """Party id → (lowest, highest) change of its utility over the whole text."""
        return {p: (self.utility_after[p][0] - self.utility_before[p][1],
                    self.utility_after[p][1] - self.utility_before[p][0]) for p in self.parties}

    def net_midpoint(self) -> dict[str, float]:
        """Party id → change of the midpoint of its utility range."""
        return {p: (sum(self.utility_after[p]) - sum(self.utility_before[p])) / 2
                for p in self.parties}

    def for_points(self, refs: set[str]) -> list[IssueShift]:
        """The issue shifts whose plan references include any of `refs` (`plan#n`)."""
        return [shift for shift in self.issues if refs & set(shift.plan_refs)]


def utility_shift(scenario: Scenario, before: str, after: str) -> UtilityShift:
    """How draft `after` changes each party's utility relative to draft `before`."""
    space = compile_space(scenario)
    defaults = {issue.id: issue.default_if_silent for issue in scenario.issues}
    packages = [draft_package(space, scenario.draft(d).options, defaults) for d in (before, after)]
    ranges = [utility_range(space, package) for package in packages]
    issues = tuple(_issue_shift(scenario, space, i, packages[0][i], packages[1][i])
                   for i in range(space.n_issues) if packages[0][i] != packages[1][i])
    return UtilityShift(before, after, space.party_ids,
                        *[_by_party(space, low, high) for low, high in ranges], issues)


def _by_party(space: Space, low: np.ndarray, high: np.ndarray) -> dict[str, Range]:
    return {p: (float(low[k]), float(high[k])) for k, p in enumerate(space.party_ids)}


def _issue_shift(scenario: Scenario, space: Space, i: int, old: int, new: int) -> IssueShift:
    block = space.weights[:, space.offsets[i]:space.offsets[i + 1]]
    values = [block[:, [o]] if o != OPEN else block for o in (old, new)]
    low = values[1].min(axis=1) - values[0].max(axis=1)
    high = values[1].max(axis=1) - values[0].min(axis=1)
    issue = scenario.issues[i]
    option = [issue.options[o] if o != OPEN else None for o in (old, new)]
    shift = None
    if option[0] and option[1] and None not in (option[0].position, option[1].position):
        shift = option[1].position - option[0].position  # type: ignore[operator]
    return IssueShift(issue.id, issue.title, option[0].id if option[0] else None,
                      option[1].id if option[1] else None,
                      {p: (float(low[k]), float(high[k])) for k, p in enumerate(space.party_ids)},
                      shift, tuple(issue.plan_refs))
