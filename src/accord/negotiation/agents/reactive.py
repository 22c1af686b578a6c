"""Agents that react to the other side: tit-for-tat.

Tit-for-tat (Axelrod 1984; in negotiation, Faratin et al. 1998's imitative tactics, and
GENIUS's Nice Tit-for-Tat): start at the best package and concede, in the agent's own
utility, as much as the last offers conceded to it — mirroring the other side's moves,
never going below the floor. In a mediated protocol it concedes at the pace of the time
elapsed (there is no opponent offer to mirror) and answers sincerely.
"""

from __future__ import annotations

from typing import ClassVar

from accord.negotiation.agent import Agent, accept_or_offer
from accord.negotiation.moves import Consult, Reply, Request


class TitForTat(Agent):
    name: ClassVar[str] = "tit-for-tat"
    metadata: ClassVar[dict] = {"family": "reactive", "stochastic": False, "concedes": True}

    def reset(self) -> None:
        self.level = self.best
        self.first: float | None = None
        self.last: float | None = None

    def decide(self, request: Request) -> Reply:
        if isinstance(request, Consult):
            return self.answer(request, max(self.floor, self.best - (self.best - self.floor)
                                            * request.time))
        if request.offer is not None:
            received = self.view.utility(request.offer)
            if self.last is not None and received > self.last:
                self.level = max(self.floor, self.level - (received - self.last))
            self.last = received
        return accept_or_offer(self, request.offer, self.level)
