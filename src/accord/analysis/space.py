"""The numeric form of a scenario that every analysis works on.

A package picks one option per issue. Options are flattened into "variables"
(one per issue-option pair) so that a party's additive utility is a dot product,
`u_p(x) = weights[p] @ onehot(x) + interaction terms`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from accord.analysis.rule import WinningRule, compile_rule
from accord.model import OptionRef, Scenario


@dataclass(frozen=True)
class Interaction:
    """Party `party` gains `value` when variables `a` and `b` are both chosen."""

    party: int
    a: int
    b: int
    value: float


@dataclass(frozen=True)
class HardConstraint:
    """Variable `a` requires (or excludes) variable `b`."""

    a: int
    b: int
    kind: Literal["requires", "excludes"]


@dataclass(frozen=True)
class Demand:
    """Something a party insists on: its red lines on one issue, or its reservation value."""

    party: int
    kind: Literal["red-line", "reservation"]
    issue: int | None = None


@dataclass(frozen=True)
class Space:
    """Issues, options and parties as arrays.

    `weights[p, v]` is party p's salience x valuation of variable v; `veto[p, v]` marks
    p's red lines; `issue_of[v]` and `offsets` map variables to issues.
    """

    issue_ids: tuple[str, ...]
    option_ids: tuple[tuple[str, ...], ...]
    party_ids: tuple[str, ...]
    weights: np.ndarray
    veto: np.ndarray
    reservation: np.ndarray
    capability: np.ndarray
    interactions: tuple[Interaction, ...] = ()
    constraints: tuple[HardConstraint, ...] = ()
    offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=int))
    rule: WinningRule | None = None
    """Who must agree; None: every party (unanimity)."""

    @property
    def winning_rule(self) -> WinningRule:
        """The decision rule, unanimity when the scenario gives none."""
        return self.rule if self.rule is not None else WinningRule.unanimity(self.n_parties)

    @property
    def unanimous(self) -> bool:
        """Whether every party must agree (the classic questions apply unchanged)."""
        return self.rule is None or self.rule.unanimous

    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    @property
    def n_parties(self) -> int:
        return len(self.party_ids)

    @property
    def n_vars(self) -> int:
        return int(self.offsets[-1])

    @property
    def sizes(self) -> np.ndarray:
        """Number of options of each issue."""
        return np.diff(self.offsets)

    @property
    def issue_of(self) -> np.ndarray:
        """Issue index of each variable."""
        return np.repeat(np.arange(self.n_issues), self.sizes)

    def n_packages(self) -> int:
        """Size of the package space (a Python int: it may exceed 2**63)."""
        total = 1
        for size in self.sizes:
            total *= int(size)
        return total

    def var(self, issue: int, option: int) -> int:
        """Flat index of an issue's option."""
        return int(self.offsets[issue] + option)

    def package_vars(self, package: np.ndarray) -> np.ndarray:
        """Flat variable indices chosen by a package (or packages, last axis = issues)."""
        return self.offsets[:-1] + np.asarray(package)

    def demands(self) -> list[Demand]:
        """Every red-line group (party, issue) that vetoes something, then every reservation."""
        vetoing = sorted({(int(p), int(self.issue_of[v])) for p, v in zip(*np.nonzero(self.veto))})
        return [Demand(p, "red-line", i) for p, i in vetoing] + [
            Demand(p, "reservation") for p in range(self.n_parties)
        ]

    def describe_package(self, package: np.ndarray) -> dict[str, str]:
        """Issue id -> option id."""
        return {self.issue_ids[i]: self.option_ids[i][int(o)] for i, o in enumerate(package)}

    def package_from_ids(self, options: dict[str, str]) -> np.ndarray:
        """Option indices from an issue id -> option id mapping covering every issue."""
        return np.array([self.option_ids[i].index(options[issue_id])
                         for i, issue_id in enumerate(self.issue_ids)], dtype=np.int64)


def compile_space(scenario: Scenario, at_time: float = 0.0) -> Space:
    """Turn a validated scenario into arrays.

    `at_time` in [0, 1] is the normalised negotiation time at which to evaluate, as GENIUS
    defines discounting: every utility of party p, and its reservation value, is
    multiplied by d_p ** t (d_p = the party's discount factor). At t = 0 nothing changes.
    """
    if not 0.0 <= at_time <= 1.0:
        raise ValueError(f"at_time must be in [0, 1], got {at_time}")
    sizes = [len(issue.options) for issue in scenario.issues]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    n_vars, n_parties = int(offsets[-1]), len(scenario.parties)
    index = {(issue.id, option.id): int(offsets[i]) + o
             for i, issue in enumerate(scenario.issues) for o, option in enumerate(issue.options)}
    weights = np.zeros((n_parties, n_vars))
    veto = np.zeros((n_parties, n_vars), dtype=bool)
    interactions: list[Interaction] = []
    discount = [party.discount_factor ** at_time if at_time else 1.0 for party in scenario.parties]
    for p, party in enumerate(scenario.parties):
        for issue_id, pref in party.preferences.items():
            for option_id, value in pref.valuations.items():
                weights[p, index[issue_id, option_id]] = pref.salience * value * discount[p]
            for option_id in pref.red_lines:
                veto[p, index[issue_id, option_id]] = True
        for item in party.interactions:
            a, b = (_ref_index(index, text) for text in (item.a, item.b))
            interactions.append(Interaction(p, a, b, item.value * discount[p]))
    constraints = tuple(
        HardConstraint(_ref_index(index, c.option), _ref_index(index, c.other),
                       "requires" if c.requires is not None else "excludes")
        for c in scenario.constraints
    )
    return Space(
        issue_ids=tuple(issue.id for issue in scenario.issues),
        option_ids=tuple(tuple(issue.option_ids()) for issue in scenario.issues),
        party_ids=tuple(party.id for party in scenario.parties),
        weights=weights, veto=veto,
        reservation=np.array([party.reservation * d for party, d in zip(scenario.parties, discount)],
                             dtype=float),
        capability=np.array([party.capability for party in scenario.parties], dtype=float),
        interactions=tuple(interactions), constraints=constraints, offsets=offsets,
        rule=None if scenario.rule is None else compile_rule(scenario),
    )


def _ref_index(index: dict[tuple[str, str], int], text: str) -> int:
    ref = OptionRef.parse(text)
    return index[ref.issue, ref.option]
