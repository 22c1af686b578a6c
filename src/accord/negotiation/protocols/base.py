"""The base class of protocols: the rules of the table, which drive the delegations."""

from __future__ import annotations

from typing import Any, ClassVar

from accord.errors import UsageError
from accord.negotiation.agent import Delegation
from accord.negotiation.mediator import Mediator
from accord.negotiation.transcript import Transcript
from accord.negotiation.view import Agenda

PROTOCOLS: dict[str, type[Protocol]] = {}


class Protocol:
    """Runs one negotiation between started delegations and fills the transcript.

    `deadline` counts rounds: in offer protocols a round is one move by every party; in
    mediated ones, one draft and its answers.
    """

    name: ClassVar[str] = "protocol"
    metadata: ClassVar[dict[str, Any]] = {"mediated": False, "parties": "n"}
    default_deadline: ClassVar[int] = 100

    def __init__(self, deadline: int | None = None) -> None:
        self.deadline = int(self.default_deadline if deadline is None else deadline)
        if self.deadline < 1:
            raise UsageError(f"the deadline must be at least 1 round, got {self.deadline}")

    def check(self, agenda: Agenda) -> None:
        """Raise UsageError when the protocol cannot seat these parties."""
        if agenda.n_parties < 2:
            raise UsageError(f"{self.name} needs at least two parties")

    def run(self, agenda: Agenda, seats: list[Delegation], transcript: Transcript,
            mediator: Mediator | None = None) -> None:
        raise NotImplementedError


def make_protocol(name: str, deadline: int | None = None) -> Protocol:
    import accord.negotiation.protocols  # noqa: F401  (fills the registry)

    if name not in PROTOCOLS:
        raise UsageError(f"unknown protocol {name!r}; known: {', '.join(sorted(PROTOCOLS))}")
    return PROTOCOLS[name](deadline)
