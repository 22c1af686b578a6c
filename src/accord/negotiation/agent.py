"""The one interface every seat at the table implements, and the base class of agents.

After Axelrod's `Player`: an agent subclasses `Agent`, sets a `name` and `metadata`, and
implements one decision method, `decide(request) -> reply` (requests and replies in
`accord.negotiation.moves`). A human delegation in the room implements the same
`Delegation` protocol (`start` + `decide`), so a person can practise against agents and a
simulation can replay a room's history.

An agent is started with its `PrivateView` (its own preferences only) and a
`numpy.random.Generator` derived from the negotiation's seed; it never touches global
random state.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np

from accord.errors import UsageError
from accord.negotiation.moves import (
    Accept,
    Answers,
    Consult,
    Offer,
    Reply,
    Request,
    sincere_answers,
)
from accord.negotiation.view import Package, PrivateView


@runtime_checkable
class Delegation(Protocol):
    """A seat at the table: an automated agent, a human in the room, or a replay."""

    name: str

    def start(self, view: PrivateView, rng: np.random.Generator) -> None:
        """A negotiation begins: here is your own view of it."""

    def decide(self, request: Request) -> Reply:
        """Answer a `Turn` with `Accept`/`Offer`, a `Consult` with `Answers`."""


class Agent:
    """Base class of automated delegations.

    Subclasses set `name` and `metadata` (`family`, `stochastic`, `concedes`) and
    implement `decide`. Helpers give every agent the same safe building blocks:
    `offer_at(level)` never proposes across the agent's red lines, and `answer` answers
    a draft sincerely.
    """

    name: ClassVar[str] = "agent"
    metadata: ClassVar[dict[str, Any]] = {"family": "base", "stochastic": False, "concedes": False}

    def __init__(self, **params: Any) -> None:
        self.params = params
        self.view: PrivateView | None = None
        self.rng: np.random.Generator | None = None

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"

    def clone(self) -> Agent:
        """A fresh agent with the same parameters (no negotiation state)."""
        return type(self)(**self.params)

    def start(self, view: PrivateView, rng: np.random.Generator) -> None:
        self.view, self.rng = view, rng
        self._packages, self._values = view.rungs()
        self.best = self._values[-1]
        # the lowest utility it ever settles for: its reservation, or its worst package
        self.floor = max(view.reservation, self._values[0])
        self.reset()

    def reset(self) -> None:
        """Clear per-negotiation state (override when the agent keeps any)."""

    def decide(self, request: Request) -> Reply:
        raise NotImplementedError

    # ---- helpers -------------------------------------------------------------

    def offer_at(self, level: float) -> Offer:
        """The agent's package with the smallest utility at or above `level` (its best
        when none reaches it); never across its own red lines."""
        values = self._values
        return Offer(self._packages[min(bisect_left(values, level - 1e-12), len(values) - 1)])

    def accepts(self, package: Package, level: float) -> bool:
        """True when the package crosses none of our red lines and is worth `level`."""
        view = self.view
        value = view.table().get(package)
        if value is None:
            if view.crosses_red_line(package):
                return False
            value = view.utility(package)
        return value >= max(level, view.reservation) - 1e-12

    def answer(self, consult: Consult, level: float | None = None) -> Answers:
        """Sincere point-by-point answers; the whole draft signed at `level`."""
        return sincere_answers(self.view, consult.draft, level, consult.versus)


REGISTRY: dict[str, type[Agent]] = {}
"""Every agent class by name; the shipped ones are registered in `agents/__init__.py`."""


def register(cls: type[Agent]) -> type[Agent]:
    """Add an agent class to the registry (a plug-in calls this too)."""
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        raise ValueError(f"an agent named {cls.name!r} is already registered")
    REGISTRY[cls.name] = cls
    return cls


def make_agent(name: str, **params: Any) -> Agent:
    """An agent from its registered name."""
    import accord.negotiation.agents  # noqa: F401  (registers the shipped agents)

    if name not in REGISTRY:
        raise UsageError(f"unknown agent {name!r}; known: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[name](**params)


def accept_or_offer(agent: Agent, offer: Package | None, level: float) -> Reply:
    """The common move: accept the standing offer if it is worth `level`, else offer."""
    if offer is not None and agent.accepts(offer, level):
        return Accept()
    return agent.offer_at(level)
