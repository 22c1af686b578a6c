"""The base class of protocols: the rules of the table, which drive the delegations.

Every protocol ends in agreement when the parties that say yes to a text (accept an
offer, sign a final draft, vote for an offer) form a winning coalition under the
agenda's decision rule (`Agenda.rule`; without one, unanimity: every party):
`Agenda.carried`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from accord.errors import UsageError
from accord.negotiation.agent import Delegation
from accord.negotiation.mediator import Mediator
from accord.negotiation.transcript import Transcript
from accord.negotiation.view import Agenda

PROTOCOLS: dict[str, type[Protocol]] = {}
DEFAULT_MULTILATERAL = "stacked-alternating-offers"
"""The protocol `default_protocol` picks for more than two parties: with the default
agents (Boulware) it reaches an agreement on gaza-2025 in about a second, where the
single text, built for sincere answers, reaches none (and takes 15 s)."""


class Protocol:
    """Runs one negotiation between started delegations and fills the transcript.

    `deadline` counts rounds: in offer protocols a round is one move by every party; in
    mediated ones, one draft and its answers.
    """

    name: ClassVar[str] = "protocol"
    metadata: ClassVar[dict[str, Any]] = {"mediated": False, "parties": "n"}
    default_deadline: ClassVar[int] = 100
    progress: Callable[[int, int], None] | None = None
    """Told `(rounds done, deadline)` after every round (set by `negotiate`)."""

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

    def round_done(self, rounds: int) -> None:
        """Report `rounds` finished rounds to whoever follows the run (a progress bar)."""
        if self.progress is not None:
            self.progress(rounds, self.deadline)


def can_seat(cls: type[Protocol], n_parties: int) -> bool:
    """Can protocol `cls` seat `n_parties` parties (its metadata's "parties": 2 or n)?"""
    parties = cls.metadata["parties"]
    return n_parties >= 2 and (parties == "n" or int(parties) == n_parties)


def protocols_for(n_parties: int) -> list[str]:
    """The registered protocols that can seat `n_parties` parties, by name."""
    import accord.negotiation.protocols  # noqa: F401  (fills the registry)

    return sorted(name for name, cls in PROTOCOLS.items() if can_seat(cls, n_parties))


def default_protocol(n_parties: int) -> str:
    """Alternating offers between two parties; around a larger table, their stacked
    form (`DEFAULT_MULTILATERAL`)."""
    return "alternating-offers" if n_parties == 2 else DEFAULT_MULTILATERAL


def make_protocol(name: str, deadline: int | None = None) -> Protocol:
    import accord.negotiation.protocols  # noqa: F401  (fills the registry)

    if name not in PROTOCOLS:
        raise UsageError(f"unknown protocol {name!r}; known: {', '.join(sorted(PROTOCOLS))}")
    return PROTOCOLS[name](deadline)
