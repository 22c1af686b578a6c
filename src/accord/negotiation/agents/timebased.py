"""Time-based concession (Faratin, Sierra & Jennings 1998; GENIUS's TimeDependentAgent).

The aspiration at normalised time t in [0, 1] is

    a(t) = floor + (best - floor) * (1 - t ** (1 / e)),

so e < 1 concedes late (Boulware), e = 1 linearly, e > 1 early (Conceder). The agent
accepts an offer worth at least a(t) and otherwise offers its package closest above a(t).
In a mediated protocol it answers drafts sincerely and signs one worth a(t).
"""

from __future__ import annotations

from typing import ClassVar

from accord.negotiation.agent import Agent, accept_or_offer
from accord.negotiation.moves import Consult, Reply, Request


class TimeBased(Agent):
    name: ClassVar[str] = "time-based"
    metadata: ClassVar[dict] = {"family": "time-based", "stochastic": False, "concedes": True}
    exponent: ClassVar[float] = 1.0

    def __init__(self, exponent: float | None = None) -> None:
        super().__init__(**({} if exponent is None else {"exponent": exponent}))
        self.e = float(self.exponent if exponent is None else exponent)

    def aspiration(self, time: float) -> float:
        best, floor = self.best, self.floor
        return floor + (best - floor) * (1.0 - min(1.0, max(0.0, time)) ** (1.0 / self.e))

    def decide(self, request: Request) -> Reply:
        level = self.aspiration(request.time)
        if isinstance(request, Consult):
            return self.answer(request, level)
        return accept_or_offer(self, request.offer, level)


class Boulware(TimeBased):
    name: ClassVar[str] = "boulware"
    exponent: ClassVar[float] = 0.2


class Linear(TimeBased):
    name: ClassVar[str] = "linear"
    exponent: ClassVar[float] = 1.0


class Conceder(TimeBased):
    name: ClassVar[str] = "conceder"
    exponent: ClassVar[float] = 2.0
