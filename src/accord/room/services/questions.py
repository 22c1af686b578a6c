"""The mediator's questions to the engine, answered on everyone's confidential
preferences with a verdict or a package only (see `room.engine`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.model import Scenario
from accord.room import engine, validation
from accord.room.db import Member
from accord.room.services.common import DELEGATION, MEDIATOR, log_event, require
from accord.room.services.members import members, negotiation

def zone(s: Session, actor: Member) -> engine.ZoneAnswer:
    """Is there a zone of agreement? A verdict only (mediator)."""
    require(actor, MEDIATOR)
    return engine.zone_exists(*_confidential_scenario(s, actor))  # never raises on bad data


def propose(s: Session, actor: Member) -> engine.Proposal:
    """The engine's next draft (Nash package over everyone's preferences): a package only."""
    require(actor, MEDIATOR)
    proposal = engine.propose_next_draft(*_confidential_scenario(s, actor))
    log_event(s, actor.negotiation_id, actor, "proposal-asked", {"found": proposal.package is not None})
    return proposal


def _confidential_scenario(s: Session, actor: Member
                           ) -> tuple[Scenario | None, tuple[str, ...], str]:
    """(scenario, who is still missing, why the engine cannot run — naming whose data)."""
    negotiation_row = negotiation(s, actor.negotiation_id)
    delegations = [m for m in members(s, actor.negotiation_id)
                   if m.role == DELEGATION and m.revoked_at is None]
    waiting = tuple(m.name for m in delegations if m.preferences is None)
    if not delegations:
        return None, ("at least one delegation",), ""
    if waiting:
        return None, waiting, ""
    parties = [(m.party_id, m.name, m.preferences) for m in delegations]
    try:
        scenario = engine.build_scenario(negotiation_row.id, negotiation_row.title,
                                         negotiation_row.issues, parties)
    except AccordError:  # stored data no longer valid: say whose, without any number
        return None, (), (validation.whose_problem(negotiation_row.id, negotiation_row.title,
                                                   negotiation_row.issues, parties)
                          or "the engine cannot run on the stored data")
    return scenario, (), ""
