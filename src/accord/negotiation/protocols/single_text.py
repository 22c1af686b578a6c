"""The mediator's single negotiating text (Raiffa 1982, ch. 14; Klein et al. 2003).

Each round the mediator tables one whole draft; every party answers point by point
(accept / can live with / reject) and says whether it would sign; the mediator revises.
A draft the mediator marks final is agreed when every party signs it; the draft of the
last round is always final. A refused final draft does not end the talks before the
deadline.
"""

from __future__ import annotations

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
        for round_ in range(self.deadline):
            draft = mediator.decide(feedback)
            final = draft.final or round_ == self.deadline - 1
            package = tuple(int(o) for o in draft.package)
            transcript.record(round_, -1, "final" if final else "draft", package)
            answers = {}
            for party in self.consulted(round_, len(seats), final):
                reply = seats[party].decide(Consult(round_ / self.deadline, round_, package, final))
                if not isinstance(reply, Answers) or len(reply.stances) != agenda.n_issues:
                    raise UsageError(f"{transcript.agents[party]} did not answer the draft "
                                     "point by point")
                answers[party] = reply
                transcript.record(round_, party, "answers", package,
                                  tuple(int(s) for s in reply.stances), reply.accept)
            transcript.rounds = round_ + 1
            if final and len(answers) == len(seats) and all(a.accept for a in answers.values()):
                transcript.agreement = package
                return
            feedback = Feedback(round_, package, answers)
