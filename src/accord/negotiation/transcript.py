"""What a negotiation leaves behind: its transcript and its result.

The transcript records every move in order (who, when, what). The result says whether
there was an agreement, after how many rounds, each party's utility (its reservation
value when there is no agreement), and how far that outcome lies from the Pareto
frontier and from the Nash package (Euclidean distances in utility space, as GENIUS and
NegMAS report them), plus the outcome's share of the Nash product of gains.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from accord.analysis import nash_bargaining_solution, pareto_frontier, utilities
from accord.analysis.pareto import frontier_sample
from accord.analysis.space import Space
from accord.analysis.utility import vetoes_crossed
from accord.negotiation.view import Package


@dataclass(frozen=True, slots=True)
class Event:
    """One move: `actor` is a party index (-1: the mediator); `kind` is offer, accept,
    draft or answers; `stances` holds the point-by-point answers (0 reject, 1 can live
    with, 2 accept) and `accept` whether the draft would be signed; on a draft, `versus`
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


def references(space: Space) -> References:
    """The Nash package (None without a zone) and the Pareto frontier of the packages that
    cross no red line (exact when the engine finishes, else a sample of optimal points)."""
    nash = nash_bargaining_solution(space)
    frontier = pareto_frontier(space, respect_red_lines=True)
    points, complete = frontier.utilities, frontier.complete
    if not complete:
        points = frontier_sample(space, count=64, seed=0, respect_red_lines=True).utilities
    if nash is not None:
        points = np.vstack([points, nash.utilities[None, :]])
    return References(None if nash is None else nash.package,
                      None if nash is None else nash.utilities,
                      0.0 if nash is None else float(nash.value), points, complete)


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
    return Result(package is not None, package, transcript.rounds,
                  tuple(float(v) for v in values), pareto, nash, nash_share(space, package, refs))


def nash_share(space: Space, package: Package | None, refs: References) -> float:
    """The package's product of gains over the Nash product (0 for no agreement or a
    package crossing a red line; nan when there is no zone or the Nash product is 0)."""
    if refs.nash_utilities is None or refs.nash_product <= 0:
        return math.nan
    if package is None or vetoes_crossed(space, np.array(package)).any():
        return 0.0
    gains = utilities(space, np.array(package))[0] - space.reservation
    return float(np.prod(np.maximum(gains, 0.0)) / refs.nash_product)
