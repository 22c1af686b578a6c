"""Shuttle diplomacy: the mediator meets one party at a time, in private.

Round r the mediator shows a draft to party r mod n alone and hears its answers; nothing
passes between the parties except through the mediator's drafts. When the mediator
tables a final draft it carries it to every party in turn (each still alone); the
draft is agreed when all sign (under a decision rule, when the signers win). The last
round's draft is always final.
"""

from __future__ import annotations

from typing import ClassVar

from accord.negotiation.protocols.single_text import SingleNegotiatingText


class ShuttleDiplomacy(SingleNegotiatingText):
    name: ClassVar[str] = "shuttle"
    metadata: ClassVar[dict] = {"mediated": True, "parties": "n"}
    default_deadline: ClassVar[int] = 50

    def consulted(self, round_: int, n: int, final: bool) -> list[int]:
        return list(range(n)) if final else [round_ % n]
