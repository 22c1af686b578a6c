"""What a negotiation leaves behind: its transcript and its result.

The transcript records every move in order (who, when, what). The result says whether
there was an agreement, after how many rounds, each party's utility (its reservation
value when there is no agreement), and how far that outcome lies from the Pareto
frontier and from the Nash package (Euclidean distances in utility space, as GENIUS and
NegMAS report them), plus the outcome's share of the Nash product of gains.

Under a decision rule (`Agenda.rule`) an agreement is carried by a winning coalition: the
parties that said yes to it (`coalition`); the others are *left out*. The agreement
binds every party, so a left-out party is scored at the agreement's utility, not at its
reservation (as a member state outvoted in the Council is bound by the act).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from accord.analysis import nash_bargaining_solution, pareto_frontier, utilities
from accord.analysis.pareto import frontier_sample
from accord.analysis.passing_bargaining import passing_ideal, passing_nash_product
from accord.analysis.space import Space
from accord.analysis.utility import vetoes_crossed
from accord.negotiation.view import Package


@dataclass(frozen=True, slots=True)
class Event:
    """One move: `actor` is a party index (-1: the mediator); `kind` is offer, accept,
    draft, final, answers or vote (MOPAC: `accept` is the vote on the offer `package`);
    `stances` holds the point-by-point answers (0 reject, 1 can live with, 2 accept)
    and `accept` whether the draft would be signed; on a draft, `versus`
    is the earlier text the mediator asked the parties to compare it with, and on answers
    `compared` their verdict (-1 worse, 0 same, 1 better)."""

    step: int
    actor: int
    kind: str
    package: Package | None = None
    stances: tuple[int, ...] | None = None
    accept: bool | None = None
    versus: Package | None = None
    compared: int | None = None


@dataclass
class Transcript:
    protocol: str
    parties: tuple[str, ...]
    agents: tuple[str, ...]
    seed: int
    events: list[Event] = field(default_factory=list)
    agreement: Package | None = None
    rounds: int = 0
    coalition: tuple[int, ...] | None = None
    """The parties that carried the agreement (said yes to it), by index."""

    def agree(self, package: Package, coalition: tuple[int, ...]) -> None:
        """Record the agreement and the coalition that carried it."""
        self.agreement, self.coalition = package, coalition

    def record(self, step: int, actor: int, kind: str, package: Package | None = None,
               stances: tuple[int, ...] | None = None, accept: bool | None = None,
               versus: Package | None = None, compared: int | None = None) -> None:
        self.events.append(Event(step, actor, kind, package, stances, accept, versus, compared))

    def moves(self) -> list[tuple]:
        """The events as plain tuples (for comparisons and JSON)."""
        return [(e.step, e.actor, e.kind, e.package, e.stances, e.accept, e.versus, e.compared)
                for e in self.events]


@dataclass(frozen=True)
class References:
    """What every outcome in a scenario is measured against (computed once per scenario)."""

    nash_package: np.ndarray | None
    nash_utilities: np.ndarray | None
    nash_product: float
    frontier: np.ndarray  # utility vectors of Pareto-optimal packages (red lines respected)
    frontier_complete: bool
    ideal: np.ndarray | None = None
    """Under a rule: each party's best utility over the passing packages it accepts
    (`passing_ideal`), the scale of its gains in the Nash product; None under unanimity."""
    coalitions: tuple[np.ndarray, ...] = ()
    """Under a rule: the minimal winning coalitions (bool per party)."""


def references(space: Space) -> References:
    """The Nash package (None without a zone) and the Pareto frontier of the packages that
    cross no red line (exact when the engine finishes, else a sample of optimal points).
    Under a rule, the Nash package is the one over passing packages
    (`analysis.passing_bargaining`), with each party's ideal and the minimal winning
    coalitions that score an outcome's share."""
    ideal, coalitions = None, ()
    if not space.unanimous:
        ideal = passing_ideal(space)
        coalitions = tuple(space.winning_rule.minimal_winning())
    nash = nash_bargaining_solution(space, ideal=ideal)
    frontier = pareto_frontier(space, respect_red_lines=True)
    points, complete = frontier.utilities, frontier.complete
    if not complete:
        points = frontier_sample(space, count=64, seed=0, respect_red_lines=True).utilities
    if nash is not None:
        points = np.vstack([points, nash.utilities[None, :]])
    return References(None if nash is None else nash.package,
                      None if nash is None else nash.utilities,
                      0.0 if nash is None else float(nash.value), points, complete,
                      ideal, coalitions)


@dataclass(frozen=True)
class Result:
    agreement: bool
    package: Package | None
    rounds: int
    utilities: tuple[float, ...]
    distance_pareto: float
    distance_nash: float
    nash_share: float
    """Product of the outcome's gains over the Nash package's (nan without a zone)."""
    coalition: tuple[int, ...] | None = None
    """The parties that carried the agreement (None without one); the others are left
    out, bound by it all the same (their utilities are the agreement's)."""

    @property
    def left_out(self) -> tuple[int, ...] | None:
        """The parties outside the carrying coalition (None without an agreement)."""
        if self.coalition is None:
            return None
        return tuple(p for p in range(len(self.utilities)) if p not in self.coalition)


def assess(space: Space, transcript: Transcript, refs: References) -> Result:
    """Score a finished negotiation against the scenario's references."""
    package = transcript.agreement
    if package is None:
        values = space.reservation.astype(float)
    else:
        values = utilities(space, np.array(package))[0]
    pareto = float(np.min(np.linalg.norm(refs.frontier - values, axis=1))) \
        if len(refs.frontier) else math.nan
    nash = math.nan if refs.nash_utilities is None else \
        float(np.linalg.norm(refs.nash_utilities - values))
    coalition = None
    if package is not None:  # a protocol that names no coalition needed every party
        coalition = (tuple(range(space.n_parties)) if transcript.coalition is None
                     else transcript.coalition)
    return Result(package is not None, package, transcript.rounds,
                  tuple(float(v) for v in values), pareto, nash, nash_share(space, package, refs),
                  coalition)


def nash_share(space: Space, package: Package | None, refs: References) -> float:
    """The package's product of gains over the Nash product (0 for no agreement or a
    package crossing a red line; nan when there is no zone or the Nash product is 0).
    Under a rule, both products are the rule's (`passing_nash_value`): 0 for a package
    that does not pass, whatever red line it crosses of a party left out."""
    if refs.nash_utilities is None or refs.nash_product <= 0:
        return math.nan
    if refs.ideal is not None:
        return 0.0 if package is None else passing_nash_value(space, package, refs) \
            / refs.nash_product
    if package is None or vetoes_crossed(space, np.array(package)).any():
        return 0.0
    gains = utilities(space, np.array(package))[0] - space.reservation
    return float(np.prod(np.maximum(gains, 0.0)) / refs.nash_product)


def passing_nash_value(space: Space, package: Package, refs: References) -> float:
    """A package's Nash product under the rule, as `analysis.passing_bargaining` defines
    it (equal weights): the most, over the minimal winning coalitions C whose members all
    accept it, of prod_{p in C} g_p / ĝ_p (gains over `refs.ideal`'s); 0 when it does not
    pass. The left-out parties' gains do not enter it, as they do not enter the Nash
    package's."""
    return passing_nash_product(space, np.array(package), refs.ideal, refs.coalitions)
