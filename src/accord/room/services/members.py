"""Negotiations and who takes part: opening one, its public issues, adding, inviting and
admitting members, and the roster each member may read."""

from __future__ import annotations

import dataclasses
import re
import secrets
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.model import Scenario
from accord.room import auth, engine, validation
from accord.room.db import Executor, Member, Negotiation, now
from accord.room.services.common import (
    DELEGATION,
    MAX_ISSUES,
    MEDIATOR,
    OBSERVER,
    BadInput,
    Conflict,
    Forbidden,
    NotFound,
    clean_text,
    log_event,
    member_of,
    require,
    unique_slug,
)

def open_negotiation(s: Session, title: str, issues: list[dict],
                     delegations: list[tuple[str, str]] = (), rule: Any = None,
                     rule_source: str = "the decision rule") -> tuple[Negotiation, Member]:
    """A new negotiation with its mediator (and, from a scenario, its delegations), under
    `rule` (the scenario format's `rule` over the delegations' party ids; None: unanimity),
    validated by the engine (`validation.check_rule`; `rule_source` names it in a refusal)."""
    title = clean_text(title, "title", required=True)
    issues = check_issues(issues)
    problem = validation.issues_problem("new", title, issues)
    if problem:
        raise BadInput(problem)
    rule, problem = validation.check_rule(title, issues, delegations, rule, rule_source)
    if problem:
        raise BadInput(problem)
    negotiation = Negotiation(id=secrets.token_urlsafe(12), title=title, issues=issues,
                              rule=rule)
    s.add(negotiation)
    s.flush()
    mediator = Member(negotiation_id=negotiation.id, role=MEDIATOR, name="Mediator", shared=[],
                      joined_at=now())
    s.add(mediator)
    s.flush()
    for party_id, name in delegations:
        s.add(Member(negotiation_id=negotiation.id, role=DELEGATION, name=name,
                     party_id=party_id, shared=[]))
    log_event(s, negotiation.id, mediator, "opened", {"title": title})
    return negotiation, mediator


def issues_from_scenario(scenario: Scenario) -> list[dict]:
    """The public part of a scenario's issues (no party data)."""
    return [{"id": i.id, "title": i.title, "text": i.text or "",
             "options": [{"id": o.id, "label": o.label} for o in i.options]}
            for i in scenario.issues]


def issues_from_text(text: str) -> list[dict]:
    """Issues written one a line as `Title: option; option; …`."""
    issues = []
    for n, line in enumerate(clean_text(text, "issues").splitlines(), start=1):
        if not line.strip():
            continue
        title, sep, rest = line.partition(":")
        labels = [label.strip() for label in rest.split(";") if label.strip()]
        if not sep or not title.strip() or len(labels) < 2:
            raise BadInput(f"issues line {n}: expected 'Title: option; option; …' "
                           "with at least two options")
        issues.append({"id": unique_slug(title, {i["id"] for i in issues}, f"point-{n}"),
                       "title": title.strip(), "text": "",
                       "options": [{"id": unique_slug(label, set(), f"option-{k}"),
                                    "label": label} for k, label in enumerate(labels, 1)]})
    return check_issues(issues)


def check_issues(issues: list[dict]) -> list[dict]:
    if not issues:
        raise BadInput("a negotiation needs at least one issue")
    if len(issues) > MAX_ISSUES:
        raise BadInput(f"at most {MAX_ISSUES} issues")
    ids = [i["id"] for i in issues]
    if len(set(ids)) != len(ids):
        raise BadInput("issue ids must be unique")
    return issues


def add_member(s: Session, actor: Member, role: str, name: str,
               party_id: str | None = None) -> tuple[Member, str]:
    """The mediator adds a delegation or an observer; returns it and its invitation token."""
    require(actor, MEDIATOR)
    if role not in (DELEGATION, OBSERVER):
        raise BadInput(f"role must be {DELEGATION} or {OBSERVER}")
    name = clean_text(name, "name", required=True, limit=200)
    if role == DELEGATION:
        taken = {m.party_id for m in members(s, actor.negotiation_id)}
        party_id = party_id or unique_slug(name, taken, "delegation")
        if party_id in taken or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", party_id):
            raise BadInput(f"delegation id {party_id!r} is taken or not a valid id")
    member = Member(negotiation_id=actor.negotiation_id, role=role, name=name,
                    party_id=party_id if role == DELEGATION else None, shared=[])
    s.add(member)
    s.flush()
    log_event(s, actor.negotiation_id, actor, "member-added", {"role": role, "name": name})
    return member, invite(s, actor, member.id)


def invite(s: Session, actor: Member, member_id: int) -> str:
    """A new single-use invitation token for a member who has not joined yet (any earlier
    one stops working). A seat someone has joined is entered only with its recovery code."""
    require(actor, MEDIATOR)
    member = member_of(s, actor.negotiation_id, member_id)
    if member.role == MEDIATOR:
        raise Forbidden("the mediator gets back in with its own recovery code, not a link")
    if member.revoked_at is not None:
        raise Conflict(f"{member.name} was revoked: add a new member instead")
    if member.joined_at is not None:
        raise Conflict(f"{member.name} has already joined: no one can be given a link to its "
                       "seat; it gets back in with its own recovery code")
    token = auth.new_token()
    member.invite_hash = auth.digest(token)
    log_event(s, actor.negotiation_id, actor, "invited", {"member": member.name})
    return token


def redeem(s: Session, token: str) -> tuple[Member, str, str]:
    """Exchange an invitation token, once, for a session: (member, cookie, csrf)."""
    if not token or len(token) > 128:
        raise NotFound("this invitation link is not valid (or was already used)")
    member = s.scalar(select(Member).where(Member.invite_hash == auth.digest(token))
                      .with_for_update())
    if member is None or member.joined_at is not None or member.revoked_at is not None:
        raise NotFound("this invitation link is not valid (or was already used)")
    member.invite_hash = None
    member.joined_at = now()
    cookie, csrf = auth.start_session(s, member)
    log_event(s, member.negotiation_id, member, "signed-in", {})
    return member, cookie, csrf


def members(s: Session, negotiation_id: str) -> list[Member]:
    return list(s.scalars(select(Member).where(Member.negotiation_id == negotiation_id)
                          .order_by(Member.id)))


@dataclasses.dataclass(frozen=True)
class Opened:
    """A negotiation's title, public issues and decision rule: they never change once it
    is opened."""

    id: str
    title: str
    issues: list
    created_at: Any
    rule: dict | None = None
    """The decision rule (public; None: unanimity)."""


_OPENED: dict[str, Opened] = {}
"""Negotiations this process has read, kept instead of read again on every request."""
_OPENED_MAX = 4096


_NEGOTIATIONS = Negotiation.__table__
_NEGOTIATION = select(_NEGOTIATIONS).where(_NEGOTIATIONS.c.id == bindparam("id"))


def negotiation(s: Executor, negotiation_id: str) -> Opened:
    """The negotiation (title and public issues), or NotFound."""
    found = _OPENED.get(negotiation_id)
    if found is not None:
        return found
    row = (s.execute(_NEGOTIATION, {"id": negotiation_id}).first()
           if re.fullmatch(r"[A-Za-z0-9_\-]{1,32}", negotiation_id) else None)
    if row is None:
        raise NotFound("no such negotiation")
    if len(_OPENED) >= _OPENED_MAX:
        _OPENED.clear()
    found = _OPENED[negotiation_id] = Opened(row.id, row.title, row.issues, row.created_at,
                                             row.rule)
    return found


_WORDS: dict[tuple, dict[str, Any]] = {}
_WORDS_MAX = 1024


def rule_in_words(opened: Opened, roster: list[dict]) -> dict[str, Any]:
    """The decision rule as every member may read it (it is public): `words` over the
    delegations taking part (`engine.describe_rule`), whether it is `unanimous` (the
    engine's questions are then the classic ones), its `note`, and whether one was `set`.
    A rule that no longer fits them (a delegation it names or counts on was revoked) is
    described over every delegation seated, saying so. From the roster: no statement."""
    seated = [(m["party"], m["name"]) for m in roster if m["role"] == DELEGATION]
    taking_part = [(m["party"], m["name"]) for m in roster
                   if m["role"] == DELEGATION and not m["revoked"]]
    key = (opened.id, tuple(taking_part), tuple(seated))
    found = _WORDS.get(key)
    if found is not None:
        return found
    try:
        words, unanimous = engine.describe_rule(opened.id, opened.title, opened.issues,
                                                opened.rule, taking_part)
    except AccordError:
        try:
            words, _ = engine.describe_rule(opened.id, opened.title, opened.issues,
                                            opened.rule, seated)
        except AccordError:
            words = "as set at opening"
        words, unanimous = (words + " (as set at opening: a delegation it names or counts "
                            "on was revoked, so no package can pass)"), False
    if len(_WORDS) >= _WORDS_MAX:
        _WORDS.clear()
    found = _WORDS[key] = {"words": words, "unanimous": unanimous,
                           "note": (opened.rule or {}).get("note"),
                           "set": opened.rule is not None}
    return found


def roster(s: Executor, actor: Member) -> list[dict]:
    """Who takes part: names and roles (public to members); invitation state for the mediator.
    Reads the columns it shows, never anyone's preferences."""
    rows = []
    for m in s.execute(_ROSTER, {"negotiation_id": actor.negotiation_id}):
        row = {"id": m.id, "role": m.role, "name": m.name, "party": m.party_id,
               "revoked": m.revoked_at is not None}
        if actor.role == MEDIATOR:
            row["joined"] = m.joined_at is not None
            row["invitation_open"] = bool(m.invited)
            row["has_preferences"] = bool(m.has_preferences)
        rows.append(row)
    return rows


_MEMBERS = Member.__table__
_ROSTER = (select(_MEMBERS.c.id, _MEMBERS.c.role, _MEMBERS.c.name, _MEMBERS.c.party_id,
                  _MEMBERS.c.revoked_at, _MEMBERS.c.joined_at,
                  _MEMBERS.c.invite_hash.is_not(None).label("invited"),
                  _MEMBERS.c.preferences.is_not(None).label("has_preferences"))
           .where(_MEMBERS.c.negotiation_id == bindparam("negotiation_id"))
           .order_by(_MEMBERS.c.id))
