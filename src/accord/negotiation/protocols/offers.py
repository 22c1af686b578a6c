"""Offer protocols: bilateral alternating offers and multilateral stacked alternating offers.

- Alternating offers (Rubinstein 1982; GENIUS/NegMAS SAOP with two parties): the parties
  take turns; on its turn a party accepts the standing offer or makes a new one.
- Stacked alternating offers (Aydoğan et al. 2017): the same around a table of n parties;
  an offer is agreed when every other party, in turn, accepts it. Under a decision rule
  (`Agenda.rule`) it is agreed as soon as its proposer and the parties that accepted it
  since form a winning coalition; the parties whose turn had not come are left out. A
  counter-offer is a refusal and replaces the offer, as without a rule.

Both end at the deadline without agreement. Time, given to each request, is the share of
the moves made so far, t = move / (deadline x n_parties).
"""

from __future__ import annotations

from typing import ClassVar

from accord.errors import UsageError
from accord.negotiation.agent import Delegation
from accord.negotiation.mediator import Mediator
from accord.negotiation.moves import Accept, Offer, Turn
from accord.negotiation.protocols.base import Protocol, protocols_for
from accord.negotiation.transcript import Transcript
from accord.negotiation.view import Agenda


class StackedAlternatingOffers(Protocol):
    name: ClassVar[str] = "stacked-alternating-offers"
    metadata: ClassVar[dict] = {"mediated": False, "parties": "n"}

    def run(self, agenda: Agenda, seats: list[Delegation], transcript: Transcript,
            mediator: Mediator | None = None) -> None:
        n = len(seats)
        total = self.deadline * n
        offer, by, yes = None, None, [False] * n
        record = transcript.record
        for move in range(total):
            party = move % n
            if party == 0 and move:
                self.round_done(move // n)
            reply = seats[party].decide(Turn(move / total, move, offer, by))
            if isinstance(reply, Accept) and offer is not None:
                record(move, party, "accept", offer)
                yes[party] = True
            elif isinstance(reply, Offer):
                package = tuple(reply.package)
                record(move, party, "offer", package)
                offer, by, yes = package, party, [p == party for p in range(n)]
            else:
                raise UsageError(f"{transcript.agents[party]} replied {reply!r} to a turn")
            coalition = agenda.carried(yes)
            if coalition is not None:
                transcript.agree(offer, coalition)
                transcript.rounds = move // n + 1
                return
        self.round_done(self.deadline)
        transcript.rounds = self.deadline


class AlternatingOffers(StackedAlternatingOffers):
    name: ClassVar[str] = "alternating-offers"
    metadata: ClassVar[dict] = {"mediated": False, "parties": "2"}

    def check(self, agenda: Agenda) -> None:
        if agenda.n_parties != 2:
            raise UsageError(f"{self.name} is bilateral (two parties); this scenario has "
                             f"{agenda.n_parties}: use one of "
                             f"{', '.join(protocols_for(agenda.n_parties))}")
