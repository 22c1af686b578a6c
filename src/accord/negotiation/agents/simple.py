"""Baselines: the hard-liner, which never concedes, and the random agent."""

from __future__ import annotations

from bisect import bisect_left
from typing import ClassVar

from accord.negotiation.agent import Agent
from accord.negotiation.moves import Accept, Consult, Offer, Reply, Request


class HardLiner(Agent):
    """Offers its best package every time and accepts nothing less (GENIUS's
    HardHeaded baseline, without the learning)."""

    name: ClassVar[str] = "hard-liner"
    metadata: ClassVar[dict] = {"family": "baseline", "stochastic": False, "concedes": False}

    def decide(self, request: Request) -> Reply:
        if isinstance(request, Consult):
            return self.answer(request, self.best)
        if request.offer is not None and self.accepts(request.offer, self.best):
            return Accept()
        return self.offer_at(self.best)


class RandomAgent(Agent):
    """Offers a random package of its own that is worth its reservation, and accepts an
    acceptable offer with probability `p_accept`."""

    name: ClassVar[str] = "random"
    metadata: ClassVar[dict] = {"family": "baseline", "stochastic": True, "concedes": False}

    def __init__(self, p_accept: float = 0.5) -> None:
        super().__init__(p_accept=p_accept)
        self.p_accept = float(p_accept)

    def decide(self, request: Request) -> Reply:
        if isinstance(request, Consult):
            return self.answer(request)
        if request.offer is not None and self.accepts(request.offer, self.view.reservation) \
                and self.rng.random() < self.p_accept:
            return Accept()
        values = self._values
        start = min(bisect_left(values, self.view.reservation - 1e-12), len(values) - 1)
        return Offer(self._packages[int(self.rng.integers(start, len(values)))])


class Sincere(Agent):
    """Answers every draft truthfully and signs whatever is worth its reservation; in offer
    protocols it concedes linearly in time. The reference delegation for testing
    mediators: what a mediator learns from it is exactly what it is told."""

    name: ClassVar[str] = "sincere"
    metadata: ClassVar[dict] = {"family": "baseline", "stochastic": False, "concedes": True}

    def decide(self, request: Request) -> Reply:
        if isinstance(request, Consult):
            return self.answer(request)
        level = self.best - (self.best - self.floor) * request.time
        if request.offer is not None and self.accepts(request.offer, level):
            return Accept()
        return self.offer_at(level)
