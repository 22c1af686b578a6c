"""What every rule of the room shares: roles, limits, the errors the web layer turns into
HTTP statuses, the role check, the event log and the cleaning of typed text."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from accord.room import validation
from accord.room.db import DraftRow, Event, Executor, Member, now

MEDIATOR, DELEGATION, OBSERVER = "mediator", "delegation", "observer"
DRAFTS, EVENTS = DraftRow.__table__, Event.__table__
"""Read and appended with SQLAlchemy Core: rows never change once written, so the ORM's
identity map and unit of work would only cost time on the busiest routes."""
SHAREABLE = ("salience", "valuations", "red_lines", "reservation")
VERDICTS = ("accept", "can-live-with", "reject")
MAX_TEXT = 20_000
MAX_ISSUES = 200
PUBLIC_EVENTS = ("opened", "draft-published", "member-revoked")


class RoomError(Exception):
    """A request the rules refuse; `status` is the HTTP status the web layer answers."""

    status = 400


class BadInput(RoomError):
    status = 422


class Forbidden(RoomError):
    status = 403


class NotFound(RoomError):
    status = 404


class Conflict(RoomError):
    status = 409


def require(actor: Member, role: str) -> None:
    if actor.role != role:
        raise Forbidden(f"only the {role} may do this")


def member_of(s: Session, negotiation_id: str, member_id: int) -> Member:
    if not 0 <= member_id <= validation.DB_INT_MAX:
        raise NotFound("no such member")
    member = s.get(Member, member_id)
    if member is None or member.negotiation_id != negotiation_id:
        raise NotFound("no such member")
    return member


def log_event(s: Executor, negotiation_id: str, actor: Member | None, kind: str,
         detail: dict) -> None:
    """Append an event: one INSERT now (Core, not the ORM's unit of work)."""
    s.execute(EVENTS.insert(), {"negotiation_id": negotiation_id,
                                "member_id": actor.id if actor else None,
                                "kind": kind, "detail": detail, "at": now()})


def clean_text(value: Any, field: str, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = "" if value is None else str(value).strip()
    problem = validation.text_problem(text)
    if problem:
        raise BadInput(f"{field} {problem}")
    if required and not text:
        raise BadInput(f"{field} is required")
    if len(text) > limit:
        raise BadInput(f"{field} is longer than {limit} characters")
    return text


def number(value: Any, field: str) -> float:
    """`value` as a finite float, or BadInput naming `field`."""
    try:
        found = float(value)
    except (TypeError, ValueError, OverflowError):
        raise BadInput(f"{field} must be a number") from None
    if found != found or found in (float("inf"), float("-inf")):
        raise BadInput(f"{field} must be a finite number")
    return found


def unique_slug(text: str, taken: set, fallback: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or fallback
    slug, k = base, 2
    while slug in taken:
        slug, k = f"{base}-{k}", k + 1
    return slug


def first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]
