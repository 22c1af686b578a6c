"""The single negotiating text: publishing numbered drafts, reading them, and the
delegations' answers to their points."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from accord.room import answers_mediator, live, validation
from accord.room.db import Answer, DraftRow, Executor, Member, WholeAnswer, now, upsert
from accord.room.services.common import (
    DELEGATION,
    DRAFTS,
    MEDIATOR,
    OBSERVER,
    VERDICTS,
    BadInput,
    Forbidden,
    NotFound,
    clean_text,
    log_event,
    require,
)
from accord.room.services.members import negotiation, roster

def publish_draft(s: Session, actor: Member, title: str, choices: dict[str, str | None],
                  texts: dict[str, str], due_in_hours: float | None = None,
                  versus: int | None = None) -> DraftRow:
    """The mediator publishes the next numbered draft of the single negotiating text, with
    the answers due `due_in_hours` from now if it sets a deadline, and, with `versus`, a
    request to compare it with that earlier draft."""
    require(actor, MEDIATOR)
    if due_in_hours is not None and not 0 < due_in_hours <= validation.MAX_DUE_HOURS:
        raise BadInput(f"answers may be due from a moment to {validation.MAX_DUE_HOURS} hours "
                       "from now")
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
                       "text": clean_text(texts.get(issue_id, ""), "text")})
    number = (s.scalar(select(func.max(DraftRow.number))
                       .where(DraftRow.negotiation_id == actor.negotiation_id)) or 0) + 1
    if versus is not None and not 1 <= versus < number:
        raise BadInput(f"versus: draft {versus} is not an earlier published draft "
                       f"(expected a number from 1 to {number - 1})" if number > 1 else
                       "versus: there is no earlier draft to compare the first one with")
    published = now()
    due = published + dt.timedelta(hours=due_in_hours) if due_in_hours is not None else None
    draft = DraftRow(negotiation_id=actor.negotiation_id, number=number, published_at=published,
                     title=clean_text(title, "title", limit=500) or f"Draft {number}",
                     points=points, due_at=due, versus=versus)
    s.add(draft)
    log_event(s, actor.negotiation_id, actor, "draft-published",
              {"number": number} | ({"versus": versus} if versus is not None else {}))
    live.announce(s, actor.negotiation_id, number)
    return draft


def drafts(s: Session, actor: Member) -> list[DraftRow]:
    """Published drafts with their texts, oldest first: every role sees them."""
    return list(s.scalars(select(DraftRow).where(DraftRow.negotiation_id == actor.negotiation_id)
                          .order_by(DraftRow.number)))


def answers_due(draft: Any) -> dict[str, Any] | None:
    """A draft's deadline as pages and the API show it: when (UTC, ISO 8601), whether it
    has passed, and the whole minutes left (0 once passed); None without a deadline."""
    due = draft.due_at
    if due is None:
        return None
    left = (due - now()).total_seconds()
    return {"due": due.isoformat(timespec="seconds") + "Z", "passed": left <= 0,
            "minutes_left": max(0, math.ceil(left / 60))}


def draft_list_and_current(s: Executor, actor: Member) -> tuple[list[dict], Any]:
    """Every published draft's number, title and date, oldest first, and the newest draft
    (a read-only row, None before the first), in one statement (the busiest read:
    api/state): the text is read for the newest draft only."""
    newest = func.max(DRAFTS.c.number).over()
    rows = s.execute(select(DRAFTS.c.number, DRAFTS.c.title, DRAFTS.c.published_at,
                            DRAFTS.c.due_at, DRAFTS.c.versus,
                            case((DRAFTS.c.number == newest, DRAFTS.c.points)).label("points"))
                     .where(DRAFTS.c.negotiation_id == actor.negotiation_id)
                     .order_by(DRAFTS.c.number)).all()
    listed = [{"number": r.number, "title": r.title,
               "published": r.published_at.isoformat(timespec="seconds")} for r in rows]
    return listed, (rows[-1] if rows else None)


def current_draft(s: Executor, actor: Member) -> Any:
    """The newest draft, the one on the table (a read-only row; None before the first)."""
    return s.execute(select(DRAFTS).where(DRAFTS.c.negotiation_id == actor.negotiation_id)
                     .order_by(DRAFTS.c.number.desc()).limit(1)).first()


def draft(s: Executor, actor: Member, number: int) -> Any:
    """Published draft `number` (a read-only row: number, title, points, published_at)."""
    if not 0 <= number <= validation.DB_INT_MAX:
        raise NotFound(f"no draft number {number}")
    found = s.execute(select(DRAFTS).where(DRAFTS.c.negotiation_id == actor.negotiation_id,
                                           DRAFTS.c.number == number)).first()
    if found is None:
        raise NotFound(f"no draft number {number}")
    return found


def answer(s: Executor, actor: Member, number: int,
           answers: dict[str, tuple[str, str] | tuple[str, str, bool]]) -> int:
    """A delegation answers points of a draft: issue id -> (verdict, comment[, red line]):
    a rejection may say the point crosses the delegation's red line. All the points are
    written in one statement; returns how many."""
    require(actor, DELEGATION)
    target = draft(s, actor, number)
    points = {p["issue"] for p in target.points}
    stamp, rows, logged = now(), [], {}
    for issue, given in answers.items():
        verdict, comment, red_line = (*given, False)[:3]
        if issue not in points:
            raise BadInput(f"draft {number} has no point {issue!r}")
        if verdict not in VERDICTS:
            raise BadInput(f"answer must be one of {', '.join(VERDICTS)}")
        if red_line and verdict != "reject":
            raise BadInput(f"point {issue!r}: only a rejection can cross a red line")
        comment = clean_text(comment, "comment")
        rows.append({"draft_id": target.id, "member_id": actor.id, "issue": issue,
                     "verdict": verdict, "comment": comment, "red_line": bool(red_line),
                     "answered_at": stamp})
        logged[issue] = [verdict, comment] + (["red-line"] if red_line else [])
    upsert(s, Answer, rows, key=("draft_id", "member_id", "issue"),
           update=("verdict", "comment", "red_line", "answered_at"))
    log_event(s, actor.negotiation_id, actor, "answered", {"draft": number, "answers": logged})
    return len(rows)


COMPARISONS = ("better", "same", "worse")
"""How a delegation may find a draft against the earlier one the mediator named."""


def answer_whole(s: Executor, actor: Member, number: int, sign: bool | None,
                 compared: str | None, priorities: list[str]) -> None:
    """A delegation answers a draft as a whole: whether it could sign it (None: not
    saying), how it compares with the earlier draft the mediator asked about (better,
    same or worse for the delegation; only when asked) and the points it wants changed,
    most important first (points of this draft, each once)."""
    require(actor, DELEGATION)
    target = draft(s, actor, number)
    if compared is not None:
        if compared not in COMPARISONS:
            raise BadInput(f"compared must be one of {', '.join(COMPARISONS)}")
        if target.versus is None:
            raise BadInput(f"draft {number} asks for no comparison with an earlier draft")
    points = {p["issue"] for p in target.points}
    for issue in priorities:
        if issue not in points:
            raise BadInput(f"priorities: draft {number} has no point {issue!r}")
    if len(set(priorities)) != len(priorities):
        raise BadInput("priorities: each point at most once")
    upsert(s, WholeAnswer, [{"draft_id": target.id, "member_id": actor.id, "sign": sign,
                             "compared": compared, "priorities": list(priorities),
                             "answered_at": now()}],
           key=("draft_id", "member_id"), update=("sign", "compared", "priorities",
                                                  "answered_at"))
    log_event(s, actor.negotiation_id, actor, "answered-whole",
              {"draft": number, "sign": sign, "compared": compared,
               "priorities": list(priorities)})


def whole_answers_to(s: Executor, actor: Member, number: int,
                     target: Any = None) -> dict[int, dict[str, Any]]:
    """Answers on a draft as a whole, member id -> {sign, compared, priorities}: a
    delegation gets its own only, the mediator everyone's; an observer none. `target`:
    the draft's row, when the caller has read it."""
    if actor.role == OBSERVER:
        raise Forbidden("answers are not published")
    target = target if target is not None and target.number == number else draft(s, actor, number)
    table = WholeAnswer.__table__
    query = select(table.c.member_id, table.c.sign, table.c.compared, table.c.priorities
                   ).where(table.c.draft_id == target.id)
    if actor.role != MEDIATOR:
        query = query.where(table.c.member_id == actor.id)
    return {row.member_id: {"sign": row.sign, "compared": row.compared,
                            "priorities": list(row.priorities or [])}
            for row in s.execute(query)}


AGREEING = ("accept", "can-live-with")
AGREED_WITHIN = 50
"""How many of the newest drafts are looked at for the agreed text, so the mediator's page
costs the same however long the negotiation has run."""


def agreed_draft(s: Executor, actor: Member, delegation_ids: list[int]) -> Any:
    """The newest draft (of the last `AGREED_WITHIN`) that every delegation of
    `delegation_ids` accepts or can live with on every point, none left open (a read-only
    row), or None. Mediator only: it is read from everyone's answers. One query counts the
    agreeing answers per draft; only drafts with enough of them are looked at, newest
    first."""
    require(actor, MEDIATOR)
    if not delegation_ids:
        return None
    answers = Answer.__table__
    recent = (select(DRAFTS.c.id).where(DRAFTS.c.negotiation_id == actor.negotiation_id)
              .order_by(DRAFTS.c.number.desc()).limit(AGREED_WITHIN))
    agreeing = (select(answers.c.draft_id, func.count().label("agreeing"))
                .where(answers.c.draft_id.in_(recent), answers.c.member_id.in_(delegation_ids),
                       answers.c.verdict.in_(AGREEING))
                .group_by(answers.c.draft_id).subquery())
    rows = s.execute(select(DRAFTS, agreeing.c.agreeing)
                     .join(agreeing, agreeing.c.draft_id == DRAFTS.c.id)
                     .where(DRAFTS.c.negotiation_id == actor.negotiation_id,
                            agreeing.c.agreeing >= len(delegation_ids))
                     .order_by(DRAFTS.c.number.desc()))
    for row in rows:
        if (row.points and all(p["option"] for p in row.points)
                and row.agreeing == len(delegation_ids) * len(row.points)):
            return row
    return None


def answers_to(s: Executor, actor: Member, number: int,
               target: Any = None) -> dict[int, dict[str, dict]]:
    """Answers to a draft, member id -> issue -> {verdict, comment, red_line when said}: a
    delegation gets its own only, the mediator everyone's; an observer none. `target`: the
    draft's row, when the caller has read it."""
    if actor.role == OBSERVER:
        raise Forbidden("answers are not published")
    target = target if target is not None and target.number == number else draft(s, actor, number)
    answers = Answer.__table__
    query = (select(answers.c.member_id, answers.c.issue, answers.c.verdict, answers.c.comment,
                    answers.c.red_line)
             .where(answers.c.draft_id == target.id))
    if actor.role != MEDIATOR:
        query = query.where(answers.c.member_id == actor.id)
    result: dict[int, dict[str, dict]] = {}
    for row in s.execute(query):
        given = {"verdict": row.verdict, "comment": row.comment}
        if row.red_line:
            given["red_line"] = True
        result.setdefault(row.member_id, {})[row.issue] = given
    return result


def answer_record(s: Executor, actor: Member, parties: dict[int, str]
                  ) -> list[answers_mediator.RoomDraft]:
    """Every draft with the answers of the delegations `parties` (member id -> party id),
    oldest first, for the engine mediator that learns from answers. Mediator only: it is
    made of everyone's answers. Three queries, whatever the length of the negotiation."""
    require(actor, MEDIATOR)
    rows = list(s.execute(select(DRAFTS.c.id, DRAFTS.c.number, DRAFTS.c.points,
                                 DRAFTS.c.versus)
                          .where(DRAFTS.c.negotiation_id == actor.negotiation_id)
                          .order_by(DRAFTS.c.number)))
    verdicts: dict[tuple[int, int], dict[str, str]] = {}
    red: dict[tuple[int, int], set[str]] = {}
    whole: dict[tuple[int, int], Any] = {}
    if rows and parties:
        ids, members_ = [r.id for r in rows], list(parties)
        answers, wholes = Answer.__table__, WholeAnswer.__table__
        for a in s.execute(select(answers.c.draft_id, answers.c.member_id, answers.c.issue,
                                  answers.c.verdict, answers.c.red_line)
                           .where(answers.c.draft_id.in_(ids),
                                  answers.c.member_id.in_(members_))):
            verdicts.setdefault((a.draft_id, a.member_id), {})[a.issue] = a.verdict
            if a.red_line:
                red.setdefault((a.draft_id, a.member_id), set()).add(a.issue)
        for w in s.execute(select(wholes).where(wholes.c.draft_id.in_(ids),
                                                 wholes.c.member_id.in_(members_))):
            whole[(w.draft_id, w.member_id)] = w
    record = []
    for r in rows:
        answered = {}
        for member, party in parties.items():
            if (r.id, member) not in verdicts:
                continue
            w = whole.get((r.id, member))
            answered[party] = answers_mediator.DelegationAnswers(
                verdicts[(r.id, member)], frozenset(red.get((r.id, member), ())),
                w.sign if w else None, w.compared if w else None,
                tuple(w.priorities or ()) if w else ())
        record.append(answers_mediator.RoomDraft(
            r.number, {p["issue"]: p["option"] for p in r.points}, r.versus, answered))
    return record


CONCESSION_DRAFTS = 10
"""Drafts the concession picture shows (the newest), so its cost stays fixed."""


def concessions(s: Executor, actor: Member, last: int = CONCESSION_DRAFTS) -> dict[str, Any]:
    """How each delegation's answers moved across the newest `last` drafts: for each
    delegation taking part, point -> one cell per draft, oldest first: its verdict, 'open'
    (the draft left the point open) or None (not answered). Mediator only: it is made of
    everyone's answers. Three queries (the roster, the drafts, their answers)."""
    require(actor, MEDIATOR)
    delegations = [(m["id"], m["name"]) for m in roster(s, actor)
                   if m["role"] == DELEGATION and not m["revoked"]]
    rows = list(s.execute(select(DRAFTS.c.id, DRAFTS.c.number, DRAFTS.c.points)
                          .where(DRAFTS.c.negotiation_id == actor.negotiation_id)
                          .order_by(DRAFTS.c.number.desc()).limit(max(1, min(last, 50)))))
    rows.reverse()
    answers = Answer.__table__
    given: dict[tuple[int, int, str], str] = {}
    if rows and delegations:
        for row in s.execute(select(answers.c.draft_id, answers.c.member_id, answers.c.issue,
                                    answers.c.verdict)
                             .where(answers.c.draft_id.in_([r.id for r in rows]),
                                    answers.c.member_id.in_([m for m, _ in delegations]))):
            given[(row.draft_id, row.member_id, row.issue)] = row.verdict
    issues = [i["id"] for i in negotiation(s, actor.negotiation_id).issues]
    tabled = {r.id: {p["issue"] for p in r.points if p["option"]} for r in rows}
    return {"drafts": [r.number for r in rows],
            "delegations": [{"member": member, "name": name, "points": {
                issue: [given.get((r.id, member, issue)) if issue in tabled[r.id] else "open"
                        for r in rows] for issue in issues}}
                for member, name in delegations]}
