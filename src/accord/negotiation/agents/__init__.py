"""The shipped agents, by family, and the one registry list.

`SHIPPED` is the explicit list of shipped strategies; each is registered by name in
`accord.negotiation.agent.REGISTRY`. A plug-in subclasses `Agent` and calls `register`.
"""

from accord.negotiation.agent import register
from accord.negotiation.agents.reactive import TitForTat
from accord.negotiation.agents.simple import HardLiner, RandomAgent, Sincere
from accord.negotiation.agents.timebased import Boulware, Conceder, Linear, TimeBased

SHIPPED = (Boulware, Linear, Conceder, TitForTat, HardLiner, RandomAgent, Sincere)
for _cls in SHIPPED:
    register(_cls)

__all__ = ["SHIPPED", "Boulware", "Conceder", "HardLiner", "Linear", "RandomAgent",
           "Sincere", "TimeBased", "TitForTat"]
