"""MOPAC-like protocol: every party offers, every party votes on every offer.

After GeniusWeb's MOPAC protocol (Multiple Offers Partial Consensus). Each round has two
phases:

1. **Offers**: every party, in turn, makes an offer (a `Turn` with nothing on the table,
   so each agent's own offer strategy: its package at its current aspiration).
2. **Votes**: every party votes on every distinct offer of the round (a `Turn` with that
   offer on the table: `Accept` is a vote for it, a counter-offer a vote against, so each
   agent's own acceptance strategy: for when the offer is worth its current aspiration).
   A party's own offer counts as its vote for it, unasked (asked, a reactive agent would
   read its own offer as the others' concession).

An offer *passes* when the parties that voted for it form a winning coalition under the
agenda's decision rule (unanimity without one). MOPAC's powers and voting evaluator are
the rule's: its weighted thresholds give each party its power, `is_winning` evaluates the
votes (a vote here is yes or no, without MOPAC's minimum and maximum power). The first
round in which an offer passes ends the negotiation with one agreement that binds every
party (where MOPAC's partial consensus settles only those who agree, a peace plan or a
treaty has one text). When several offers pass in one round, the tie-break is:

1. the offer with the largest carrying coalition (most votes for it);
2. then the earliest in the round's order of proposals. Proposals go round the table
   starting one seat later each round (round r starts with party r mod n), so no party is
   always first; a package offered by several parties counts at its first proposal.

The table knows no one's utilities, so no tie is broken by them. Time, given to every
request of round r, is r / deadline; the protocol draws no random numbers, so a run
depends on the seed only through the agents' own draws. The deadline counts rounds
(default 100); no agreement by then ends without one.
"""

from __future__ import annotations

from typing import ClassVar

from accord.errors import UsageError
from accord.negotiation.agent import Delegation
from accord.negotiation.mediator import Mediator
from accord.negotiation.moves import Accept, Offer, Turn
from accord.negotiation.protocols.base import Protocol
from accord.negotiation.transcript import Transcript
from accord.negotiation.view import Agenda, Package


class MultipleOffersPartialConsensus(Protocol):
    name: ClassVar[str] = "mopac"
    metadata: ClassVar[dict] = {"mediated": False, "parties": "n"}
    default_deadline: ClassVar[int] = 100

    def run(self, agenda: Agenda, seats: list[Delegation], transcript: Transcript,
            mediator: Mediator | None = None) -> None:
        n = len(seats)
        for round_ in range(self.deadline):
            time = round_ / self.deadline
            order = [(round_ + k) % n for k in range(n)]
            offers = self.offers(seats, order, round_, time, transcript)
            votes = self.votes(seats, order, offers, round_, time, transcript)
            transcript.rounds = round_ + 1
            self.round_done(round_ + 1)
            chosen = choose(agenda, offers, votes)
            if chosen is not None:
                transcript.agree(*chosen)
                return

    def offers(self, seats: list[Delegation], order: list[int], round_: int, time: float,
               transcript: Transcript) -> list[tuple[Package, list[int]]]:
        """Every party's offer, in `order`: the distinct packages with their proposers
        (the first one first)."""
        found: dict[Package, list[int]] = {}
        for party in order:
            reply = seats[party].decide(Turn(time, round_, None, None))
            if not isinstance(reply, Offer):
                raise UsageError(f"{transcript.agents[party]} replied {reply!r} when asked "
                                 "for an offer")
            package = tuple(int(o) for o in reply.package)
            transcript.record(round_, party, "offer", package)
            found.setdefault(package, []).append(party)
        return list(found.items())

    def votes(self, seats: list[Delegation], order: list[int],
              offers: list[tuple[Package, list[int]]], round_: int, time: float,
              transcript: Transcript) -> list[list[bool]]:
        """Every party's vote on every offer, `votes[k][party]` (a proposer's is yes)."""
        votes = [[p in proposers for p in range(len(seats))] for _, proposers in offers]
        for voter in order:
            for k, (package, proposers) in enumerate(offers):
                if voter in proposers:
                    continue
                reply = seats[voter].decide(Turn(time, round_, package, proposers[0]))
                if not isinstance(reply, Accept | Offer):
                    raise UsageError(f"{transcript.agents[voter]} replied {reply!r} to a vote")
                votes[k][voter] = isinstance(reply, Accept)
                transcript.record(round_, voter, "vote", package, accept=votes[k][voter])
        return votes


def choose(agenda: Agenda, offers: list[tuple[Package, list[int]]],
           votes: list[list[bool]]) -> tuple[Package, tuple[int, ...]] | None:
    """The round's agreement and its coalition: among the offers that pass, the one with
    the most votes, then the earliest proposed (see the module docstring); None when
    none passes."""
    passing = [(package, coalition) for (package, _), yes in zip(offers, votes)
               if (coalition := agenda.carried(yes)) is not None]
    return max(passing, key=lambda found: len(found[1]), default=None)
