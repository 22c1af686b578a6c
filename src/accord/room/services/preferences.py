"""A delegation's confidential preferences: entering, importing, validating them, choosing
what the mediator may see, and the views each reader is allowed."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.io import loads_scenario
from accord.model import IssuePreference
from accord.room import validation
from accord.room.db import Member, now
from accord.room.services.common import (
    DELEGATION,
    MEDIATOR,
    SHAREABLE,
    BadInput,
    Forbidden,
    NotFound,
    first_error,
    log_event,
    member_of,
    number,
    require,
)
from accord.room.services.members import members, negotiation

def set_preferences(s: Session, actor: Member, data: dict[str, Any]) -> dict:
    """A delegation replaces its own confidential preferences (validated against the issues)."""
    require(actor, DELEGATION)
    row = negotiation(s, actor.negotiation_id)
    clean = check_preferences(row.issues, data)
    problem = validation.party_problem(row.id, row.title, row.issues, actor.party_id or "",
                                       actor.name, clean)
    if problem:
        raise BadInput(problem)
    actor.preferences = clean
    actor.preferences_at = now()
    log_event(s, actor.negotiation_id, actor, "preferences-changed", {"preferences": clean},)
    return clean


def import_preferences(s: Session, actor: Member, raw: bytes, party_id: str | None) -> dict:
    """A delegation takes its preferences from a scenario file (one party of it)."""
    require(actor, DELEGATION)
    try:
        scenario = loads_scenario(raw, "upload")
    except AccordError as error:
        raise BadInput(error.user_message()) from None
    ids = [p.id for p in scenario.parties]
    chosen = party_id or (actor.party_id if actor.party_id in ids else None)
    if chosen is None and len(ids) == 1:
        chosen = ids[0]
    if chosen not in ids:
        raise BadInput(f"say which party of the file is yours: one of {', '.join(ids)}")
    party = scenario.party(chosen)
    known = {i["id"] for i in negotiation(s, actor.negotiation_id).issues}
    prefs = {issue: pref.model_dump(include={"salience", "valuations", "red_lines"},
                                    mode="json")
             for issue, pref in party.preferences.items() if issue in known}
    return set_preferences(s, actor, {"reservation": party.reservation, "preferences": prefs})


def check_preferences(issues: list[dict], data: dict[str, Any]) -> dict:
    """Validated preferences: every option of each stated issue valued, red lines known."""
    if not isinstance(data, dict) or not isinstance(data.get("preferences", {}), dict):
        raise BadInput("preferences must be a mapping of issue id to preference")
    options = {i["id"]: {o["id"] for o in i["options"]} for i in issues}
    clean: dict[str, dict] = {}
    for issue_id, pref in data.get("preferences", {}).items():
        if issue_id not in options:
            raise BadInput(f"unknown issue {issue_id!r}")
        try:
            checked = IssuePreference.model_validate(pref)
        except ValidationError as error:
            raise BadInput(f"{issue_id}: {first_error(error)}") from None
        if set(checked.valuations) != options[issue_id]:
            raise BadInput(f"{issue_id}: value every option ({', '.join(sorted(options[issue_id]))})")
        if not set(checked.red_lines) <= options[issue_id]:
            raise BadInput(f"{issue_id}: red lines must be options of the issue")
        clean[issue_id] = checked.model_dump(include={"salience", "valuations", "red_lines"},
                                             mode="json")
    return {"reservation": number(data.get("reservation", 0.0), "reservation"),
            "preferences": clean}


def set_sharing(s: Session, actor: Member, fields: list[str]) -> list[str]:
    """A delegation chooses which of its preference fields the mediator may see."""
    require(actor, DELEGATION)
    unknown = set(fields) - set(SHAREABLE)
    if unknown:
        raise BadInput(f"can share only: {', '.join(SHAREABLE)}")
    actor.shared = [f for f in SHAREABLE if f in fields]
    log_event(s, actor.negotiation_id, actor, "sharing-changed", {"shared": actor.shared})
    return actor.shared


def preferences_of(s: Session, actor: Member, member_id: int) -> dict | None:
    """A delegation's preferences as the actor may see them: all of its own; for the
    mediator only the shared fields; nothing for anyone else."""
    target = member_of(s, actor.negotiation_id, member_id)
    if target.role != DELEGATION:
        raise NotFound("only delegations have preferences")
    if actor.id == target.id:
        return target.preferences
    if actor.role != MEDIATOR:
        raise Forbidden("the preferences of a delegation are confidential")
    return shared_view(target)


def shared_views(s: Session, actor: Member) -> dict[int, dict | None]:
    """What each delegation shared with the mediator, by member id (one query)."""
    require(actor, MEDIATOR)
    return {m.id: shared_view(m) for m in members(s, actor.negotiation_id)
            if m.role == DELEGATION}


def shared_view(target: Member) -> dict | None:
    """What of a delegation's preferences it shared with the mediator."""
    if target.preferences is None:
        return None
    view: dict[str, Any] = {"shared": list(target.shared)}
    if "reservation" in target.shared:
        view["reservation"] = target.preferences["reservation"]
    fields = set(target.shared) - {"reservation"}
    view["preferences"] = {issue: {k: v for k, v in pref.items() if k in fields}
                           for issue, pref in target.preferences["preferences"].items()}
    return view
