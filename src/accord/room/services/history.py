"""The history as each member may read it, a page at a time, and the mediator's export."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from accord.room import engine
from accord.room.db import DraftRow, Event, Member
from accord.room.services.common import (
    DELEGATION,
    MEDIATOR,
    OBSERVER,
    PUBLIC_EVENTS,
    require,
)
from accord.room.services.drafts import drafts
from accord.room.services.members import members, negotiation
from accord.room.services.preferences import shared_view

HISTORY_PAGE = 200
"""Events per page of history when the reader does not say (at most `HISTORY_MAX`)."""
HISTORY_MAX = 1000


def history(s: Session, actor: Member, after: int = 0, before: int | None = None,
            limit: int | None = None) -> list[dict]:
    """The log as the actor may read it: the mediator everything but confidential
    details; a delegation its own events in full and the public ones; an observer the
    public ones. Oldest first; with `limit`, one page: the `limit` events after the
    event id `after`, or, with `before`, the `limit` events just before that id (a page
    further back). Each row carries its `id`, the cursor of the next page."""
    query = select(Event).where(Event.negotiation_id == actor.negotiation_id, Event.id > after)
    if before is not None:
        query = query.where(Event.id < before)
    if actor.role == OBSERVER:
        query = query.where(Event.kind.in_(PUBLIC_EVENTS))
    elif actor.role == DELEGATION:
        query = query.where(or_(Event.member_id == actor.id, Event.kind.in_(PUBLIC_EVENTS)))
    newest_first = before is not None and limit is not None
    query = query.order_by(Event.id.desc() if newest_first else Event.id)
    if limit is not None:
        query = query.limit(max(1, min(limit, HISTORY_MAX)))
    events = list(s.scalars(query))
    if newest_first:
        events.reverse()
    names = {m.id: m.name for m in members(s, actor.negotiation_id)} if events else {}
    rows = []
    for event in events:
        own = event.member_id == actor.id
        detail = event.detail if own or event.kind in PUBLIC_EVENTS else _mediator_detail(event)
        rows.append({"id": event.id, "at": event.at.isoformat(timespec="seconds"),
                     "kind": event.kind, "by": names.get(event.member_id, ""),
                     "detail": detail})
    return rows


def _mediator_detail(event: Event) -> dict:
    """A delegation's event as the mediator reads it: without its preferences, and without
    its disclosure choice (which would tell whose undisclosed demands are counted)."""
    if event.kind in ("preferences-changed", "disclosure-changed"):
        return {}
    return event.detail


def export(s: Session, actor: Member) -> dict:
    """The negotiation as the mediator sees it: a scenario (issues, delegations with only
    their shared preferences, drafts, the decision rule when one was set) plus the history."""
    require(actor, MEDIATOR)
    row = negotiation(s, actor.negotiation_id)
    parties = []
    for m in members(s, actor.negotiation_id):
        if m.role == DELEGATION:
            parties.append(_exported_party(m))
    scenario = {"accord": 1, "id": engine.scenario_id(row.id), "title": row.title,
                "issues": [engine.issue_data(i) for i in row.issues], "parties": parties,
                "drafts": [_exported_draft(d) for d in drafts(s, actor)]}
    if row.rule is not None:  # over every delegation seated (revoked ones too), as set
        scenario["rule"] = row.rule
    return {"scenario": scenario, "history": history(s, actor)}


def _exported_party(m: Member) -> dict:
    party: dict[str, Any] = {"id": m.party_id, "name": m.name}
    view = shared_view(m) or {}
    if "reservation" in view:
        party["reservation"] = view["reservation"]
    if {"salience", "valuations"} <= set(view.get("shared", ())):
        party["preferences"] = view["preferences"]
    return party


def _exported_draft(d: DraftRow) -> dict:
    return {"id": f"draft-{d.number}", "title": d.title,
            "date": d.published_at.date().isoformat(),
            "options": {p["issue"]: p["option"] for p in d.points},
            "points": [{"n": k, "text": p["text"] or p["issue"]}
                       for k, p in enumerate(d.points, start=1)]}
