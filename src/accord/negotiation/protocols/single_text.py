"""The mediator's single negotiating text (Raiffa 1982, ch. 14; Klein et al. 2003).

Each round the mediator tables one whole draft; every party answers point by point
(accept / can live with / reject) and says whether it would sign; the mediator revises.
The mediator may ask the parties to compare the draft with an earlier text; a party is
asked only about a text it was shown (in shuttle diplomacy, not every party sees every
draft), and otherwise answers on the draft alone.
A draft the mediator marks final is agreed when every party signs it — under a decision
rule (`Agenda.rule`), when the parties that sign it form a winning coalition (the others
are left out, bound by it all the same); the draft of the last round is always final. A
refused final draft does not end the talks before the deadline.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from accord.errors import UsageError
from accord.negotiation.agent import Delegation
from accord.negotiation.mediator import Feedback, Mediator
from accord.negotiation.moves import Answers, Consult
from accord.negotiation.protocols.base import Protocol
from accord.negotiation.transcript import Transcript
from accord.negotiation.view import Agenda


class SingleNegotiatingText(Protocol):
    name: ClassVar[str] = "single-text"
    metadata: ClassVar[dict] = {"mediated": True, "parties": "n"}
    default_deadline: ClassVar[int] = 50

    def consulted(self, round_: int, n: int, final: bool) -> list[int]:
        """Whom the mediator asks this round: everyone."""
        return list(range(n))

    def run(self, agenda: Agenda, seats: list[Delegation], transcript: Transcript,
            mediator: Mediator | None = None) -> None:
        if mediator is None:
            raise UsageError(f"{self.name} needs a mediator")
        feedback = None
        shown: list[set[tuple[int, ...]]] = [set() for _ in seats]
        for round_ in range(self.deadline):
            draft = mediator.decide(feedback)
            final = draft.final or round_ == self.deadline - 1
            package = tuple(int(o) for o in draft.package)
            versus = None if draft.versus is None else tuple(int(o) for o in draft.versus)
            transcript.record(round_, -1, "final" if final else "draft", package,
                              versus=versus)
            answers = {}
            for party in self.consulted(round_, len(seats), final):
                asked = versus if versus in shown[party] else None
                reply = seats[party].decide(Consult(round_ / self.deadline, round_, package,
                                                    final, asked))
                if not isinstance(reply, Answers) or len(reply.stances) != agenda.n_issues:
                    raise UsageError(f"{transcript.agents[party]} did not answer the draft "
                                     "point by point")
                if reply.versus is not None and reply.versus not in (-1, 0, 1):
                    raise UsageError(f"{transcript.agents[party]} compared the draft with "
                                     f"{reply.versus!r}; expected better, same or worse")
                if asked is None and reply.versus is not None:
                    reply = replace(reply, versus=None)  # a comparison nobody asked for
                answers[party] = reply
                shown[party].add(package)
                transcript.record(round_, party, "answers", package,
                                  tuple(int(s) for s in reply.stances), reply.accept,
                                  asked, None if reply.versus is None else int(reply.versus))
            transcript.rounds = round_ + 1
            self.round_done(round_ + 1)
            if final:
                coalition = agenda.carried([p in answers and answers[p].accept
                                             for p in range(len(seats))])
                if coalition is not None:
                    transcript.agree(package, coalition)
                    return
            feedback = Feedback(round_, package, answers, versus)
