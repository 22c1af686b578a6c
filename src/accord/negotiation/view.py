"""What each seat at the table may see.

An agent (or a human delegation) gets a `PrivateView`: the public agenda (issues, options,
hard constraints, the decision rule) and its *own* utility function, red lines and
reservation value — never the compiled `Space`, which holds every party's preferences. A
mediator gets the `Agenda` only: it learns about the parties from their answers alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from accord.analysis.rule import WinningRule
from accord.analysis.space import HardConstraint, Space, Term

Package = tuple[int, ...]
"""One option index per issue (hashable, cheap to pass around and to record)."""

LADDER_LIMIT = 200_000
"""Up to this many packages an agent enumerates its whole space; beyond, it samples."""
LADDER_SAMPLE = 4096


@dataclass(frozen=True, eq=False)
class Agenda:
    """The public part of a negotiation: issues, options, parties, hard constraints and
    the decision rule (who must agree: public, as a treaty's voting rule is)."""

    issue_ids: tuple[str, ...]
    option_ids: tuple[tuple[str, ...], ...]
    party_ids: tuple[str, ...]
    offsets: np.ndarray
    constraints: tuple[HardConstraint, ...] = ()
    rule: WinningRule | None = None
    """Who must agree; None: every party (unanimity)."""

    @property
    def winning_rule(self) -> WinningRule:
        """The decision rule, unanimity when there is none."""
        return self.rule if self.rule is not None else WinningRule.unanimity(self.n_parties)

    def carried(self, yes: Sequence[bool]) -> tuple[int, ...] | None:
        """The parties that said yes to a text (a bool per party), by index, when they
        win under the rule; else None. Without a rule every party must say yes."""
        if self.rule is None:  # unanimity, checked without numpy: it runs after every move
            return tuple(range(len(yes))) if all(yes) else None
        if not self.rule.is_winning(np.asarray(yes, dtype=bool)):
            return None
        return tuple(p for p, said in enumerate(yes) if said)

    @property
    def n_issues(self) -> int:
        return len(self.issue_ids)

    @property
    def n_parties(self) -> int:
        return len(self.party_ids)

    @property
    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)

    def n_packages(self) -> int:
        return int(np.prod(self.sizes.astype(object))) if self.n_issues else 1

    def satisfies_constraints(self, packages: np.ndarray) -> np.ndarray:
        """Boolean per package (rows of option indices): every hard constraint met."""
        chosen = self.offsets[:-1] + np.atleast_2d(packages)
        ok = np.ones(len(chosen), dtype=bool)
        for c in self.constraints:
            has_a, has_b = (chosen == c.a).any(axis=1), (chosen == c.b).any(axis=1)
            ok &= ~has_a | (has_b if c.kind == "requires" else ~has_b)
        return ok

    def all_packages(self) -> np.ndarray:
        """Every package meeting the hard constraints (rows of option indices), in
        lexicographic order: only for spaces small enough to list."""
        grid = np.indices(tuple(int(s) for s in self.sizes)).reshape(self.n_issues, -1).T
        return grid[self.satisfies_constraints(grid)]

    def describe(self, package: Package) -> dict[str, str]:
        return {self.issue_ids[i]: self.option_ids[i][o] for i, o in enumerate(package)}


def agenda_of(space: Space) -> Agenda:
    """The public agenda of a compiled space."""
    return Agenda(space.issue_ids, space.option_ids, space.party_ids, space.offsets,
                  space.constraints, space.rule)


@dataclass(frozen=True, eq=False)
class PrivateView:
    """One party's own preferences over the agenda, and nothing about anyone else's.

    `weights[v]` is the party's salience x valuation of variable v (issue-option pair),
    `veto[v]` its red lines, `terms` its own values over several issues at once.
    """

    agenda: Agenda
    party: int
    weights: np.ndarray
    veto: np.ndarray
    reservation: float
    terms: tuple[Term, ...] = ()
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def party_id(self) -> str:
        return self.agenda.party_ids[self.party]

    def utility(self, package: Package) -> float:
        """The party's utility of one package."""
        known = self.table().get(package)
        if known is not None:
            return known
        offsets, weights = self.agenda.offsets, self.weights
        total = sum(weights[offsets[i] + o] for i, o in enumerate(package))
        if self.terms:
            chosen = {int(offsets[i] + o) for i, o in enumerate(package)}
            total += sum(term.value for term in self.terms if term.holds_for(chosen))
        return float(total)

    def utilities(self, packages: np.ndarray) -> np.ndarray:
        """Utilities of many packages (rows of option indices)."""
        chosen = self.agenda.offsets[:-1] + np.atleast_2d(packages)
        total = self.weights[chosen].sum(axis=1)
        for term in self.terms:
            total += term.value * term.holds(chosen)
        return total

    def crosses_red_line(self, package: Package) -> bool:
        if package in self.table():  # the ladder holds no package across a red line
            return False
        offsets = self.agenda.offsets
        return any(self.veto[offsets[i] + o] for i, o in enumerate(package))

    def acceptable(self, package: Package) -> bool:
        """No red line crossed and at least the reservation value."""
        return not self.crosses_red_line(package) and self.utility(package) >= self.reservation

    def point_losses(self, package: Package) -> np.ndarray:
        """Per point: what the party would gain by moving that point alone to its best
        option that crosses none of its red lines (0 where the point is already best)."""
        base = self.utility(package)
        losses = np.zeros(len(package))
        for i, size in enumerate(self.agenda.sizes):
            trial = list(package)
            best = -np.inf
            for o in range(int(size)):
                if not self.veto[self.agenda.offsets[i] + o]:
                    trial[i] = o
                    best = max(best, self.utility(tuple(trial)))
            losses[i] = max(0.0, best - base) if np.isfinite(best) else 0.0
        return losses

    def ladder(self) -> tuple[np.ndarray, np.ndarray]:
        """The party's own candidate packages (no red line crossed, hard constraints met)
        in increasing utility, and their utilities. Every package when the space is small,
        else a fixed sample spanning the range (from the party's best package outwards)."""
        if "ladder" not in self._cache:
            packages = self._candidates()
            values = self.utilities(packages)
            order = np.argsort(values, kind="stable")
            self._cache["ladder"] = (packages[order], values[order])
        return self._cache["ladder"]

    def best_package(self) -> Package:
        return self.rungs()[0][-1]

    def rungs(self) -> tuple[list[Package], list[float]]:
        """The ladder as Python lists (packages as tuples), for fast per-move look-ups."""
        if "rungs" not in self._cache:
            packages, values = self.ladder()
            self._cache["rungs"] = ([tuple(int(o) for o in p) for p in packages],
                                    [float(v) for v in values])
        return self._cache["rungs"]

    def table(self) -> dict[Package, float]:
        """Utility of every ladder package, by package."""
        if "table" not in self._cache:
            self._cache["table"] = dict(zip(*self.rungs()))
        return self._cache["table"]

    def _candidates(self) -> np.ndarray:
        agenda = self.agenda
        allowed = [np.flatnonzero(~self.veto[agenda.offsets[i]:agenda.offsets[i + 1]])
                   for i in range(agenda.n_issues)]
        count = int(np.prod([len(a) for a in allowed], dtype=object))
        if count <= LADDER_LIMIT:
            packages = np.array(list(itertools.product(*allowed)), dtype=np.int64)
        else:
            packages = self._sample(allowed)
        packages = packages.reshape(-1, agenda.n_issues)
        return packages[agenda.satisfies_constraints(packages)]

    def _sample(self, allowed: list[np.ndarray]) -> np.ndarray:
        """Packages from the best one with a random share of the points moved to random
        allowed options (seeded by the party index only: the ladder is a function of the
        view)."""
        rng = np.random.default_rng(self.party)
        offsets = self.agenda.offsets
        best = np.array([a[np.argmax(self.weights[offsets[i] + a])] for i, a in enumerate(allowed)])
        n = len(allowed)
        packages = np.tile(best, (LADDER_SAMPLE, 1))
        share = rng.random((LADDER_SAMPLE, 1))  # how far from the best package each one goes
        moved = rng.random((LADDER_SAMPLE, n)) < share
        for i, options in enumerate(allowed):
            picks = options[rng.integers(0, len(options), size=LADDER_SAMPLE)]
            packages[:, i] = np.where(moved[:, i], picks, packages[:, i])
        return np.unique(packages, axis=0)


def view_of(space: Space, party: int, agenda: Agenda | None = None) -> PrivateView:
    """Party `party`'s private view: copies of its own rows of the space only."""
    agenda = agenda_of(space) if agenda is None else agenda
    own = tuple(t for t in space.terms if t.party == party)
    weights = space.weights[party].copy()
    veto = space.veto[party].copy()
    weights.setflags(write=False)
    veto.setflags(write=False)
    return PrivateView(agenda, party, weights, veto, float(space.reservation[party]), own)
