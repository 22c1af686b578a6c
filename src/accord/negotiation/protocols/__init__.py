"""Negotiation protocols, one module each, and their registry."""

from accord.negotiation.protocols.base import (
    PROTOCOLS,
    Protocol,
    default_protocol,
    make_protocol,
    protocols_for,
)
from accord.negotiation.protocols.mopac import MultipleOffersPartialConsensus
from accord.negotiation.protocols.offers import AlternatingOffers, StackedAlternatingOffers
from accord.negotiation.protocols.shuttle import ShuttleDiplomacy
from accord.negotiation.protocols.single_text import SingleNegotiatingText

for _cls in (AlternatingOffers, StackedAlternatingOffers, SingleNegotiatingText,
             ShuttleDiplomacy, MultipleOffersPartialConsensus):
    PROTOCOLS[_cls.name] = _cls

__all__ = ["PROTOCOLS", "AlternatingOffers", "MultipleOffersPartialConsensus", "Protocol",
           "ShuttleDiplomacy", "SingleNegotiatingText", "StackedAlternatingOffers",
           "default_protocol", "make_protocol", "protocols_for"]
