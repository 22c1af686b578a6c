"""A scenario's decision rule in numbers: which coalitions win, and each party's power.

`WinningRule` is the conjunction of a scenario's rule and of every per-issue rule (a
package settles every point at once, see `accord.model.rule`): a coalition wins when it has
at least `min_count` members, holds every `required` party, and reaches every weighted
threshold `weights @ members >= thresholds`. Unanimity is `min_count = n`.

Power indices, exact by enumerating all 2^n coalitions (up to `MAX_POWER_PARTIES`):
- Shapley–Shubik (Shapley & Shubik 1954): the share of the n! orders in which the party
  is pivotal, i.e. turns the coalition of those before it from losing to winning;
- Banzhaf (Banzhaf 1965; Penrose 1946): the share of the coalitions without the party that
  it swings (losing without it, winning with it), `raw`, and those swing counts
  normalised to sum to 1, `normalised`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from accord.errors import AnalysisError
from accord.model import Scenario
from accord.model.rule import IssueRule
from accord.model.scenario import weight_of

MAX_POWER_PARTIES = 20
"""Exact power indices enumerate 2^n coalitions: a million at 20 parties."""
MAX_ENUMERATED_PARTIES = 20
"""Coalition lists (the minimal winning ones) are built from all 2^n coalitions."""
_SLACK = 1e-9


@dataclass(frozen=True)
class WinningRule:
    """Which coalitions of the space's parties win (see the module docstring)."""

    min_count: int
    required: np.ndarray
    """Bool per party: its consent is required."""
    weights: np.ndarray
    """(thresholds, parties): each threshold's weight per party."""
    thresholds: np.ndarray
    """(thresholds,): absolute amounts the winning side must reach."""
    names: tuple[str, ...] = ()
    """Each threshold's weight name (for explanations)."""

    @property
    def n_parties(self) -> int:
        return len(self.required)

    @property
    def unanimous(self) -> bool:
        """Whether only the coalition of all parties wins."""
        return self.min_count >= self.n_parties or bool(self.required.all())

    @classmethod
    def unanimity(cls, n_parties: int) -> WinningRule:
        return cls(n_parties, np.ones(n_parties, dtype=bool), np.zeros((0, n_parties)),
                   np.zeros(0))

    def is_winning(self, members: np.ndarray) -> np.ndarray | bool:
        """Whether coalitions win: `members` is a bool mask over parties, or a stack of
        them (last axis = parties)."""
        members = np.asarray(members, dtype=bool)
        wins = members.sum(axis=-1) >= self.min_count
        wins &= (members | ~self.required).all(axis=-1)
        if len(self.thresholds):
            totals = members.astype(float) @ self.weights.T
            wins &= (totals >= self.thresholds - _SLACK * (1 + np.abs(self.thresholds))).all(axis=-1)
        return wins

    def bottleneck(self, values: np.ndarray) -> float:
        """The most, over winning coalitions, of their smallest member's value: the
        largest θ such that the parties with `values >= θ` win (-inf when no coalition
        wins). A bound for every max-min over coalitions: a member's value caps it."""
        values = np.asarray(values, dtype=float)
        for theta in np.sort(np.unique(values))[::-1]:
            if self.is_winning(values >= theta):
                return float(theta)
        return -np.inf

    def all_coalitions(self) -> tuple[np.ndarray, np.ndarray]:
        """Every coalition as a bool matrix (2^n, n), row k = the bits of k, and whether
        it wins."""
        n = self.n_parties
        if n > MAX_POWER_PARTIES:
            raise AnalysisError(f"{n} parties: enumerating 2^{n} coalitions is too much "
                             f"(at most {MAX_POWER_PARTIES} parties)")
        codes = np.arange(2 ** n, dtype=np.int64)
        members = ((codes[:, None] >> np.arange(n)) & 1).astype(bool)
        return members, np.asarray(self.is_winning(members))

    def minimal_winning(self) -> list[np.ndarray]:
        """The winning coalitions none of whose members can leave without it losing,
        smallest first (then in a fixed order)."""
        if self.unanimous:
            return [np.ones(self.n_parties, dtype=bool)] if self.is_winning(
                np.ones(self.n_parties, dtype=bool)) else []
        if self.n_parties > MAX_ENUMERATED_PARTIES:
            raise AnalysisError(f"{self.n_parties} parties: listing the minimal winning "
                             f"coalitions is limited to {MAX_ENUMERATED_PARTIES}")
        members, wins = self.all_coalitions()
        minimal = wins.copy()
        for i in range(self.n_parties):
            bit = 1 << i
            codes = np.flatnonzero(members[:, i])
            minimal[codes] &= ~wins[codes - bit]
        found = members[minimal]
        order = sorted(range(len(found)), key=lambda k: (int(found[k].sum()),
                                                        tuple(np.flatnonzero(found[k]))))
        return [found[k] for k in order]

    def describe(self, party_ids: tuple[str, ...]) -> str:
        """The rule in words."""
        if self.unanimous and self.min_count >= self.n_parties:
            return "unanimity: every party must agree"
        parts = []
        if self.min_count > 0:
            parts.append(f"at least {self.min_count} of {self.n_parties} parties")
        required = [party_ids[p] for p in np.flatnonzero(self.required)]
        if required:
            parts.append("including " + ", ".join(required))
        for name, amount, row in zip(self.names, self.thresholds, self.weights):
            total = float(row.sum())
            share = f" ({amount / total:.1%} of {total:g})" if total > 0 else ""
            parts.append(f"{name} at least {amount:g}{share}")
        return "; ".join(parts)


def compile_rule(scenario: Scenario) -> WinningRule:
    """The scenario's rule, with every per-issue rule joined to it (unanimity if none)."""
    n = len(scenario.parties)
    if scenario.rule is None:
        return WinningRule.unanimity(n)
    rules: list[IssueRule] = [scenario.rule, *scenario.rule.issues.values()]
    index = {party.id: p for p, party in enumerate(scenario.parties)}
    min_count, required = 0, np.zeros(n, dtype=bool)
    weights, thresholds, names = [], [], []
    for rule in rules:
        min_count = max(min_count, rule.at_least or 0)
        for party_id in rule.required:
            required[index[party_id]] = True
        for threshold in rule.thresholds:
            row = np.array([weight_of(party, threshold.weight) for party in scenario.parties])
            amount = (threshold.at_least if threshold.at_least is not None
                      else float(threshold.share) * float(row.sum()))
            weights.append(row)
            thresholds.append(amount)
            names.append(threshold.weight)
    return WinningRule(min_count, required,
                       np.array(weights, dtype=float).reshape(len(weights), n),
                       np.array(thresholds, dtype=float), tuple(names))


@dataclass(frozen=True)
class Power:
    """Each party's share of power under a rule (arrays over parties)."""

    shapley_shubik: np.ndarray
    banzhaf_raw: np.ndarray
    banzhaf_normalised: np.ndarray
    vetoes: np.ndarray
    """Bool per party: no coalition without it wins (a veto player, named or not)."""


def power_indices(rule: WinningRule) -> Power:
    """Exact Shapley–Shubik and Banzhaf indices (see the module docstring). Under
    unanimity they are known without enumerating: each party is pivotal only as the last
    to join the whole, so every analysis of a classic scenario pays nothing for them."""
    n = rule.n_parties
    if rule.unanimous:
        if rule.is_winning(np.ones(n, dtype=bool)):
            return Power(np.full(n, 1.0 / n), np.full(n, 1.0 / 2 ** (n - 1)),
                         np.full(n, 1.0 / n), np.ones(n, dtype=bool))
    members, wins = rule.all_coalitions()
    sizes = members.sum(axis=1)
    order_weight = np.array([math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
                             if s < n else 0.0 for s in range(n + 1)])
    shapley, swings, vetoes = np.zeros(n), np.zeros(n), np.zeros(n, dtype=bool)
    for i in range(n):
        without = np.flatnonzero(~members[:, i])
        swing = wins[without | (1 << i)] & ~wins[without]
        swings[i] = swing.sum()
        shapley[i] = order_weight[sizes[without[swing]]].sum()
        vetoes[i] = bool(wins.any()) and not wins[without].any()
    total = swings.sum()
    return Power(shapley, swings / 2 ** (n - 1),
                 swings / total if total > 0 else np.zeros(n), vetoes)


def pivotal(rule: WinningRule, accepting: np.ndarray) -> tuple[bool, np.ndarray]:
    """For the parties that accept a text: whether they win, and who is pivotal — an
    acceptor whose leaving would sink it (when it wins), or a refuser whose joining would
    carry it (when it does not)."""
    accepting = np.asarray(accepting, dtype=bool)
    wins = bool(rule.is_winning(accepting))
    flips = np.zeros(rule.n_parties, dtype=bool)
    for p in range(rule.n_parties):
        if accepting[p] == wins:
            changed = accepting.copy()
            changed[p] = not changed[p]
            flips[p] = bool(rule.is_winning(changed)) != wins
    return wins, flips
