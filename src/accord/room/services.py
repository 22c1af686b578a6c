"""The rules of the room as plain operations: who may read or write what.

Every function takes the acting `Member` (or a token) and checks the role itself, so the
web layer cannot forget a check. Confidential data (preferences, answers) leaves this
module only for its owner, and for the mediator only as far as the owner shared it.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
from typing import Any

from pydantic import ValidationError
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.io import loads_scenario
from accord.model import IssuePreference, Scenario
from accord.room import auth, engine, validation
from accord.room import live
from accord.room.db import Answer, DraftRow, Event, Member, Negotiation, now, upsert

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


# ---------------------------------------------------------------- negotiations and members

def open_negotiation(s: Session, title: str, issues: list[dict],
                     delegations: list[tuple[str, str]] = ()) -> tuple[Negotiation, Member]:
    """A new negotiation with its mediator (and, from a scenario, its delegations)."""
    title = _text(title, "title", required=True)
    issues = check_issues(issues)
    problem = validation.issues_problem("new", title, issues)
    if problem:
        raise BadInput(problem)
    negotiation = Negotiation(id=secrets.token_urlsafe(12), title=title, issues=issues)
    s.add(negotiation)
    s.flush()
    mediator = Member(negotiation_id=negotiation.id, role=MEDIATOR, name="Mediator", shared=[],
                      joined_at=now())
    s.add(mediator)
    s.flush()
    for party_id, name in delegations:
        s.add(Member(negotiation_id=negotiation.id, role=DELEGATION, name=name,
                     party_id=party_id, shared=[]))
    _log(s, negotiation.id, mediator, "opened", {"title": title})
    return negotiation, mediator


def issues_from_scenario(scenario: Scenario) -> list[dict]:
    """The public part of a scenario's issues (no party data)."""
    return [{"id": i.id, "title": i.title, "text": i.text or "",
             "options": [{"id": o.id, "label": o.label} for o in i.options]}
            for i in scenario.issues]


def issues_from_text(text: str) -> list[dict]:
    """Issues written one a line as `Title: option; option; …`."""
    issues = []
    for n, line in enumerate(_text(text, "issues").splitlines(), start=1):
        if not line.strip():
            continue
        title, sep, rest = line.partition(":")
        labels = [label.strip() for label in rest.split(";") if label.strip()]
        if not sep or not title.strip() or len(labels) < 2:
            raise BadInput(f"issues line {n}: expected 'Title: option; option; …' "
                           "with at least two options")
        issues.append({"id": _unique_slug(title, {i["id"] for i in issues}, f"point-{n}"),
                       "title": title.strip(), "text": "",
                       "options": [{"id": _unique_slug(label, set(), f"option-{k}"),
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
    _require(actor, MEDIATOR)
    if role not in (DELEGATION, OBSERVER):
        raise BadInput(f"role must be {DELEGATION} or {OBSERVER}")
    name = _text(name, "name", required=True, limit=200)
    if role == DELEGATION:
        taken = {m.party_id for m in members(s, actor.negotiation_id)}
        party_id = party_id or _unique_slug(name, taken, "delegation")
        if party_id in taken or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", party_id):
            raise BadInput(f"delegation id {party_id!r} is taken or not a valid id")
    member = Member(negotiation_id=actor.negotiation_id, role=role, name=name,
                    party_id=party_id if role == DELEGATION else None, shared=[])
    s.add(member)
    s.flush()
    _log(s, actor.negotiation_id, actor, "member-added", {"role": role, "name": name})
    return member, invite(s, actor, member.id)


def invite(s: Session, actor: Member, member_id: int) -> str:
    """A new single-use invitation token for a member who has not joined yet (any earlier
    one stops working). A seat someone has joined is entered only with its recovery code."""
    _require(actor, MEDIATOR)
    member = _member(s, actor.negotiation_id, member_id)
    if member.role == MEDIATOR:
        raise Forbidden("the mediator gets back in with its own recovery code, not a link")
    if member.revoked_at is not None:
        raise Conflict(f"{member.name} was revoked: add a new member instead")
    if member.joined_at is not None:
        raise Conflict(f"{member.name} has already joined: no one can be given a link to its "
                       "seat; it gets back in with its own recovery code")
    token = auth.new_token()
    member.invite_hash = auth.digest(token)
    _log(s, actor.negotiation_id, actor, "invited", {"member": member.name})
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
    _log(s, member.negotiation_id, member, "signed-in", {})
    return member, cookie, csrf


def members(s: Session, negotiation_id: str) -> list[Member]:
    return list(s.scalars(select(Member).where(Member.negotiation_id == negotiation_id)
                          .order_by(Member.id)))


@dataclasses.dataclass(frozen=True)
class Opened:
    """A negotiation's title and public issues: they never change once it is opened."""

    id: str
    title: str
    issues: list
    created_at: Any


_OPENED: dict[str, Opened] = {}
"""Negotiations this process has read, kept instead of read again on every request."""
_OPENED_MAX = 4096


def negotiation(s: Session, negotiation_id: str) -> Opened:
    """The negotiation (title and public issues), or NotFound."""
    found = _OPENED.get(negotiation_id)
    if found is not None:
        return found
    row = (s.get(Negotiation, negotiation_id)
           if re.fullmatch(r"[A-Za-z0-9_\-]{1,32}", negotiation_id) else None)
    if row is None:
        raise NotFound("no such negotiation")
    if len(_OPENED) >= _OPENED_MAX:
        _OPENED.clear()
    found = _OPENED[negotiation_id] = Opened(row.id, row.title, row.issues, row.created_at)
    return found


def roster(s: Session, actor: Member) -> list[dict]:
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


# ---------------------------------------------------------------- drafts

def publish_draft(s: Session, actor: Member, title: str, choices: dict[str, str | None],
                  texts: dict[str, str]) -> DraftRow:
    """The mediator publishes the next numbered draft of the single negotiating text."""
    _require(actor, MEDIATOR)
    issues = {i["id"]: i for i in negotiation(s, actor.negotiation_id).issues}
    unknown = set(choices) - set(issues)
    if unknown:
        raise BadInput(f"unknown issue(s): {', '.join(sorted(unknown))}")
    points = []
    for issue_id, issue in issues.items():
        option = choices.get(issue_id) or None
        if option is not None and option not in {o["id"] for o in issue["options"]}:
            raise BadInput(f"issue {issue_id!r} has no option {option!r}")
        points.append({"issue": issue_id, "option": option,
                       "text": _text(texts.get(issue_id, ""), "text")})
    number = (s.scalar(select(func.max(DraftRow.number))
                       .where(DraftRow.negotiation_id == actor.negotiation_id)) or 0) + 1
    draft = DraftRow(negotiation_id=actor.negotiation_id, number=number,
                     title=_text(title, "title", limit=500) or f"Draft {number}", points=points)
    s.add(draft)
    _log(s, actor.negotiation_id, actor, "draft-published", {"number": number})
    live.announce(s, actor.negotiation_id, number)
    return draft


def drafts(s: Session, actor: Member) -> list[DraftRow]:
    """Published drafts with their texts, oldest first: every role sees them."""
    return list(s.scalars(select(DraftRow).where(DraftRow.negotiation_id == actor.negotiation_id)
                          .order_by(DraftRow.number)))


def draft_list(s: Session, actor: Member) -> list[dict]:
    """Every published draft's number, title and date (not its text), oldest first."""
    rows = s.execute(select(DRAFTS.c.number, DRAFTS.c.title, DRAFTS.c.published_at)
                     .where(DRAFTS.c.negotiation_id == actor.negotiation_id)
                     .order_by(DRAFTS.c.number))
    return [{"number": r.number, "title": r.title,
             "published": r.published_at.isoformat(timespec="seconds")} for r in rows]


def current_draft(s: Session, actor: Member) -> Any:
    """The newest draft, the one on the table (a read-only row; None before the first)."""
    return s.execute(select(DRAFTS).where(DRAFTS.c.negotiation_id == actor.negotiation_id)
                     .order_by(DRAFTS.c.number.desc()).limit(1)).first()


def draft(s: Session, actor: Member, number: int) -> Any:
    """Published draft `number` (a read-only row: number, title, points, published_at)."""
    if not 0 <= number <= validation.DB_INT_MAX:
        raise NotFound(f"no draft number {number}")
    found = s.execute(select(DRAFTS).where(DRAFTS.c.negotiation_id == actor.negotiation_id,
                                           DRAFTS.c.number == number)).first()
    if found is None:
        raise NotFound(f"no draft number {number}")
    return found


# ---------------------------------------------------------------- preferences

def set_preferences(s: Session, actor: Member, data: dict[str, Any]) -> dict:
    """A delegation replaces its own confidential preferences (validated against the issues)."""
    _require(actor, DELEGATION)
    row = negotiation(s, actor.negotiation_id)
    clean = check_preferences(row.issues, data)
    problem = validation.party_problem(row.id, row.title, row.issues, actor.party_id or "",
                                       actor.name, clean)
    if problem:
        raise BadInput(problem)
    actor.preferences = clean
    _log(s, actor.negotiation_id, actor, "preferences-changed", {"preferences": clean},)
    return clean


def import_preferences(s: Session, actor: Member, raw: bytes, party_id: str | None) -> dict:
    """A delegation takes its preferences from a scenario file (one party of it)."""
    _require(actor, DELEGATION)
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
            raise BadInput(f"{issue_id}: {_first_error(error)}") from None
        if set(checked.valuations) != options[issue_id]:
            raise BadInput(f"{issue_id}: value every option ({', '.join(sorted(options[issue_id]))})")
        if not set(checked.red_lines) <= options[issue_id]:
            raise BadInput(f"{issue_id}: red lines must be options of the issue")
        clean[issue_id] = checked.model_dump(include={"salience", "valuations", "red_lines"},
                                             mode="json")
    return {"reservation": _number(data.get("reservation", 0.0), "reservation"),
            "preferences": clean}


def set_sharing(s: Session, actor: Member, fields: list[str]) -> list[str]:
    """A delegation chooses which of its preference fields the mediator may see."""
    _require(actor, DELEGATION)
    unknown = set(fields) - set(SHAREABLE)
    if unknown:
        raise BadInput(f"can share only: {', '.join(SHAREABLE)}")
    actor.shared = [f for f in SHAREABLE if f in fields]
    _log(s, actor.negotiation_id, actor, "sharing-changed", {"shared": actor.shared})
    return actor.shared


def preferences_of(s: Session, actor: Member, member_id: int) -> dict | None:
    """A delegation's preferences as the actor may see them: all of its own; for the
    mediator only the shared fields; nothing for anyone else."""
    target = _member(s, actor.negotiation_id, member_id)
    if target.role != DELEGATION:
        raise NotFound("only delegations have preferences")
    if actor.id == target.id:
        return target.preferences
    if actor.role != MEDIATOR:
        raise Forbidden("the preferences of a delegation are confidential")
    return shared_view(target)


def shared_views(s: Session, actor: Member) -> dict[int, dict | None]:
    """What each delegation shared with the mediator, by member id (one query)."""
    _require(actor, MEDIATOR)
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


# ---------------------------------------------------------------- answers

def answer(s: Session, actor: Member, number: int,
           answers: dict[str, tuple[str, str]]) -> int:
    """A delegation answers points of a draft: issue id -> (verdict, comment). All the
    points are written in one statement; returns how many."""
    _require(actor, DELEGATION)
    target = draft(s, actor, number)
    points = {p["issue"] for p in target.points}
    stamp, rows = now(), []
    for issue, (verdict, comment) in answers.items():
        if issue not in points:
            raise BadInput(f"draft {number} has no point {issue!r}")
        if verdict not in VERDICTS:
            raise BadInput(f"answer must be one of {', '.join(VERDICTS)}")
        rows.append({"draft_id": target.id, "member_id": actor.id, "issue": issue,
                     "verdict": verdict, "comment": _text(comment, "comment"),
                     "answered_at": stamp})
    upsert(s, Answer, rows, key=("draft_id", "member_id", "issue"),
           update=("verdict", "comment", "answered_at"))
    _log(s, actor.negotiation_id, actor, "answered",
         {"draft": number, "answers": {k: list(v) for k, v in answers.items()}})
    return len(rows)


def answers_to(s: Session, actor: Member, number: int) -> dict[int, dict[str, dict]]:
    """Answers to a draft, member id -> issue -> {verdict, comment}: a delegation gets its
    own only, the mediator everyone's; an observer none."""
    if actor.role == OBSERVER:
        raise Forbidden("answers are not published")
    target = draft(s, actor, number)
    query = select(Answer).where(Answer.draft_id == target.id)
    if actor.role != MEDIATOR:
        query = query.where(Answer.member_id == actor.id)
    result: dict[int, dict[str, dict]] = {}
    for row in s.scalars(query):
        result.setdefault(row.member_id, {})[row.issue] = {"verdict": row.verdict,
                                                           "comment": row.comment}
    return result


# ---------------------------------------------------------------- engine questions

def zone(s: Session, actor: Member) -> engine.ZoneAnswer:
    """Is there a zone of agreement? A verdict only (mediator)."""
    _require(actor, MEDIATOR)
    return engine.zone_exists(*_confidential_scenario(s, actor))  # never raises on bad data


def propose(s: Session, actor: Member) -> engine.Proposal:
    """The engine's next draft (Nash package over everyone's preferences): a package only."""
    _require(actor, MEDIATOR)
    proposal = engine.propose_next_draft(*_confidential_scenario(s, actor))
    _log(s, actor.negotiation_id, actor, "proposal-asked", {"found": proposal.package is not None})
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


# ---------------------------------------------------------------- history and export

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
    if event.kind == "preferences-changed":
        return {}
    return event.detail


def export(s: Session, actor: Member) -> dict:
    """The negotiation as the mediator sees it: a scenario (issues, delegations with only
    their shared preferences, drafts) plus the history."""
    _require(actor, MEDIATOR)
    row = negotiation(s, actor.negotiation_id)
    parties = []
    for m in members(s, actor.negotiation_id):
        if m.role == DELEGATION:
            parties.append(_exported_party(m))
    scenario = {"accord": 1, "id": engine._scenario_id(row.id), "title": row.title,
                "issues": [engine._issue_data(i) for i in row.issues], "parties": parties,
                "drafts": [_exported_draft(d) for d in drafts(s, actor)]}
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


# ---------------------------------------------------------------- helpers

def _require(actor: Member, role: str) -> None:
    if actor.role != role:
        raise Forbidden(f"only the {role} may do this")


def _member(s: Session, negotiation_id: str, member_id: int) -> Member:
    if not 0 <= member_id <= validation.DB_INT_MAX:
        raise NotFound("no such member")
    member = s.get(Member, member_id)
    if member is None or member.negotiation_id != negotiation_id:
        raise NotFound("no such member")
    return member


def _log(s: Session, negotiation_id: str, actor: Member | None, kind: str,
         detail: dict) -> None:
    """Append an event: one INSERT now (Core, not the ORM's unit of work)."""
    s.execute(EVENTS.insert(), {"negotiation_id": negotiation_id,
                                "member_id": actor.id if actor else None,
                                "kind": kind, "detail": detail, "at": now()})


def _text(value: Any, field: str, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = "" if value is None else str(value).strip()
    problem = validation.text_problem(text)
    if problem:
        raise BadInput(f"{field} {problem}")
    if required and not text:
        raise BadInput(f"{field} is required")
    if len(text) > limit:
        raise BadInput(f"{field} is longer than {limit} characters")
    return text


def _number(value: Any, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise BadInput(f"{field} must be a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise BadInput(f"{field} must be a finite number")
    return number


def _unique_slug(text: str, taken: set, fallback: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or fallback
    slug, k = base, 2
    while slug in taken:
        slug, k = f"{base}-{k}", k + 1
    return slug


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]
