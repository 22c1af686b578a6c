"""The numeric form of a scenario that every analysis works on.

A package picks one option per issue. Options are flattened into "variables"
(one per issue-option pair) so that a party's additive utility is a dot product,
`u_p(x) = weights[p] @ onehot(x) + sum of the party's terms that hold for x`.

A term is a value over several issues at once: it holds when each of its issues takes one
of its listed options (a box of options, GENIUS's hyper-rectangle). The model's pairwise
interactions are terms over two single options; a term valued "outside" a box is compiled
to its value as a constant (added to every option of the box's first issue) minus the value
inside the box, so the engine sees one kind of term only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from accord.analysis.rule import WinningRule, compile_rule
from accord.model import OptionRef, Scenario


@dataclass(frozen=True)
class Term:
    """Party `party` gains `value` when, for every k, the package's option of issue
    `issues[k]` is one of the variables `groups[k]` (issues distinct and increasing)."""

    party: int
    issues: tuple[int, ...]
    groups: tuple[tuple[int, ...], ...]
    value: float

    def holds(self, chosen: np.ndarray, columns: list[int] | None = None) -> np.ndarray:
        """Boolean per package, from chosen flat variables of shape (m, n_issues); or of
        fewer columns, `columns[k]` holding issue `issues[k]`."""
        inside = np.ones(len(chosen), dtype=bool)
        for k, group in enumerate(self.groups):
            column = self.issues[k] if columns is None else columns[k]
            inside &= np.isin(chosen[:, column], group)
        return inside

    def holds_for(self, chosen: set[int] | frozenset[int]) -> bool:
        """Whether the term holds for one package given as its set of chosen variables."""
        return all(any(v in chosen for v in group) for group in self.groups)

    def restricted(self, party: int) -> Term:
        """The same term for another party index (when parties are renumbered)."""
        return Term(party, self.issues, self.groups, self.value)

    def vars(self) -> tuple[int, ...]:
        """Every variable the term names."""
        return tuple(v for group in self.groups for v in group)


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
    terms: tuple[Term, ...] = ()
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
    terms: list[Term] = []
    discount = [party.discount_factor ** at_time if at_time else 1.0 for party in scenario.parties]
    for p, party in enumerate(scenario.parties):
        for issue_id, pref in party.preferences.items():
            for option_id, value in pref.valuations.items():
                weights[p, index[issue_id, option_id]] = pref.salience * value * discount[p]
            for option_id in pref.red_lines:
                veto[p, index[issue_id, option_id]] = True
        for item in party.interactions:
            a, b = (_ref_index(index, text) for text in (item.a, item.b))
            if a != b and _issue(offsets, a) == _issue(offsets, b):
                continue  # two options of one issue never come together
            term = make_term(p, offsets, [a, b], item.value * discount[p])
            if term is not None:
                terms.append(term)
        for box in party.terms:
            value = box.value * discount[p]
            chosen = [index[issue_id, option_id]
                      for issue_id, options in box.when.items() for option_id in options]
            if box.outside:  # value outside the box = value always - value inside it
                first = _issue(offsets, min(chosen))
                weights[p, offsets[first]:offsets[first + 1]] += value
                value = -value
            term = make_term(p, offsets, chosen, value)
            if term is not None:
                terms.append(term)
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
        terms=tuple(terms), constraints=constraints, offsets=offsets,
        rule=None if scenario.rule is None else compile_rule(scenario),
    )


def make_term(party: int, offsets: np.ndarray, variables: list[int],
              value: float) -> Term | None:
    """The term "party gains value when the package takes, on each issue named, one of the
    given variables of that issue" (variables of one issue are alternatives); None when the
    value is 0."""
    if value == 0.0:
        return None
    by_issue: dict[int, set[int]] = {}
    for v in variables:
        by_issue.setdefault(_issue(offsets, v), set()).add(int(v))
    issues = tuple(sorted(by_issue))
    return Term(party, issues, tuple(tuple(sorted(by_issue[i])) for i in issues), float(value))


def _issue(offsets: np.ndarray, variable: int) -> int:
    return int(np.searchsorted(offsets, variable, side="right") - 1)


def _ref_index(index: dict[tuple[str, str], int], text: str) -> int:
    ref = OptionRef.parse(text)
    return index[ref.issue, ref.option]
