"""Simulated negotiation: protocols, agents, mediators and reproducible tournaments.

Layered on `accord.analysis` (the exact engine scores outcomes and powers the engine
mediator); knows nothing of the CLI. See docs/negotiation.md.
"""

from accord.negotiation.agent import REGISTRY, Agent, Delegation, make_agent, register
from accord.negotiation.agents import SHIPPED
from accord.negotiation.mediator import (
    MEDIATORS,
    Draft,
    EngineMediator,
    Feedback,
    HillClimber,
    Mediator,
    make_mediator,
)
from accord.negotiation.moves import (
    Accept,
    Answers,
    Comparison,
    Consult,
    Offer,
    Stance,
    Turn,
    sincere_answers,
)
from accord.negotiation.protocols import PROTOCOLS, Protocol, make_protocol
from accord.negotiation.session import negotiate
from accord.negotiation.transcript import Event, References, Result, Transcript, assess, references
from accord.negotiation.view import Agenda, Package, PrivateView, agenda_of, view_of

__all__ = [
    "MEDIATORS", "PROTOCOLS", "REGISTRY", "SHIPPED", "Accept", "Agenda", "Agent", "Answers",
    "Comparison", "Consult", "Delegation", "Draft", "EngineMediator", "Event", "Feedback", "HillClimber",
    "Mediator", "Offer", "Package", "PrivateView", "Protocol", "References", "Result",
    "Stance", "Transcript", "Turn", "agenda_of", "assess", "make_agent", "make_mediator",
    "make_protocol", "negotiate", "references", "register", "sincere_answers", "view_of",
]
