"""The negotiation's pages and the forms on them: the mediator's desk, a delegation's
answers and preferences, memoranda, comparisons, the history, the export and the live
stream that tells open pages a draft is out."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, StreamingResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from accord.io.builtin import builtin_names
from accord.room import live, memo, recovery, validation, web
from accord.room import services as rules
from accord.room.db import Member
from accord.room.routes.opening import scenario_bytes
from accord.room.web import FormBody, Upload

router = APIRouter()
STREAM_SECONDS = 3600.0
DASHBOARD_EVENTS = 30
"""Events on the mediator's page (the rest is on the history pages)."""


@router.get("/n/{n}", response_class=HTMLResponse)
def negotiation_page(request: Request, n: str, done: str = Query("", max_length=32)):
    """A member's page; `done` names the action just taken, confirmed at the top."""
    with web.signed_in(request, n) as (s, member, csrf):
        context = _context(s, member, csrf)
        context["confirmation"] = web.CONFIRMATIONS.get(done, "")
        context["recovery_code"] = recovery.shown_code(request.cookies.get(recovery.SHOW_COOKIE))
        response = web.page(request, f"{member.role}.html.j2", context)
    if recovery.SHOW_COOKIE in request.cookies:  # shown once: never again
        response.delete_cookie(recovery.SHOW_COOKIE, path=f"/n/{n}")
    return response


@router.get("/n/{n}/current", response_class=HTMLResponse)
def current_draft_fragment(request: Request, n: str):
    """The current-draft panel alone, fetched by the page when a draft is published."""
    with web.signed_in(request, n) as (s, member, csrf):
        return web.page(request, "current.html.j2", _context(s, member, csrf))


def _context(s: Session, member: Member, csrf: str) -> dict:
    """What a member's page shows; its cost does not grow with the drafts or the history."""
    row = rules.negotiation(s, member.negotiation_id)
    current = rules.current_draft(s, member)
    context = {"me": member, "csrf": csrf, "negotiation": row, "issues": row.issues,
               "current": current, "roster": rules.roster(s, member),
               "due": rules.answers_due(current) if current else None,
               "current_options": {p["issue"]: p["option"] for p in current.points}
               if current else {},
               "verdicts": rules.VERDICTS, "shareable": rules.SHAREABLE,
               "shipped": builtin_names(),
               "options": {i["id"]: {o["id"]: o["label"] for o in i["options"]}
                           for i in row.issues}}
    context["rule"] = rules.rule_in_words(row, context["roster"])  # public: who must agree
    if member.role == rules.MEDIATOR:
        number = current.number if current else None
        context["matrix"] = rules.answers_to(s, member, number, current) if current else {}
        context["whole"] = rules.whole_answers_to(s, member, number, current) if current else {}
        tabled = [p["issue"] for p in current.points if p["option"]] if current else []
        context["tabled"] = len(tabled)
        context["answered"] = {who: sum(issue in given for issue in tabled)
                               for who, given in context["matrix"].items()}
        context |= rules.desk(s, member, current)  # zone, impasse, settlement
        context["shared"] = rules.shared_views(s, member)
        context["history"] = rules.history(s, member, before=validation.DB_INT_MAX,
                                           limit=DASHBOARD_EVENTS)
    if member.role == rules.DELEGATION:
        number = current.number if current else None
        context["mine"] = (rules.answers_to(s, member, number, current).get(member.id, {})
                           if current else {})
        context["mine_whole"] = (rules.whole_answers_to(s, member, number, current)
                                 .get(member.id, {}) if current else {})
        context["prefs"] = member.preferences or {"reservation": 0.0, "preferences": {}}
        context["impasse"] = (rules.impasse_for(s, member, current=current)
                              if member.preferences else None)
    return context


@router.get("/n/{n}/concessions", response_class=HTMLResponse)
def concessions_page(request: Request, n: str):
    """The mediator's concession picture: each delegation's answers per point across the
    newest drafts."""
    with web.signed_in(request, n) as (s, member, csrf):
        picture = rules.concessions(s, member)
        return web.page(request, "concessions.html.j2", {
            "me": member, "csrf": csrf, "negotiation": rules.negotiation(s, n),
            "picture": picture, "issues": rules.negotiation(s, n).issues})


@router.get("/n/{n}/history", response_class=HTMLResponse)
def history_page(request: Request, n: str,
                 before: int = Query(validation.DB_INT_MAX, ge=1, le=validation.DB_INT_MAX),
                 limit: int = Query(100, ge=1, le=rules.HISTORY_MAX)):
    """The history as this member may read it, newest page first, `limit` a page."""
    with web.signed_in(request, n) as (s, member, csrf):
        events = rules.history(s, member, before=before, limit=limit)
        row = rules.negotiation(s, n)
    older = events[0]["id"] if len(events) == limit else None
    return web.page(request, "history.html.j2", {"me": member, "negotiation": row,
                                                 "csrf": csrf, "events": events,
                                                 "older": older, "limit": limit})


@router.post("/n/{n}/members", openapi_extra=validation.form_body("role", "name"))
def add_member(request: Request, n: str, form: FormBody):
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        added, token = rules.add_member(s, member, str(form.get("role") or ""),
                                        str(form.get("name") or ""))
        name = added.name
    return _invitation_page(request, n, name, token)


@router.post("/n/{n}/members/{member_id}/invite", openapi_extra=validation.form_body())
def reinvite(request: Request, n: str, member_id: validation.DbInt, form: FormBody):
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        token = rules.invite(s, member, member_id)
        name = s.get(Member, member_id).name
    return _invitation_page(request, n, name, token)


def _invitation_page(request: Request, n: str, name: str, token: str) -> HTMLResponse:
    link = str(request.url_for("join_page", token=token))
    return web.page(request, "invitation.html.j2", {"n": n, "name": name, "link": link})


@router.post("/n/{n}/drafts", openapi_extra=validation.form_body("title", "due_in_hours"))
def publish(request: Request, n: str, form: FormBody):
    due = str(form.get("due_in_hours") or "").strip()
    if due and not re.fullmatch(r"[0-9]{1,6}(\.[0-9]{1,6})?", due):
        raise rules.BadInput("answers due in: a number of hours such as 48 or 0.5, or empty")
    hours = float(due) if due else None
    versus = str(form.get("versus") or "").strip()
    if versus and not re.fullmatch(r"[0-9]{1,9}", versus):
        raise rules.BadInput("compare with: the number of an earlier draft, or empty")
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        issues = rules.negotiation(s, n).issues
        draft = rules.publish_draft(
            s, member, str(form.get("title") or ""),
            {i["id"]: str(form.get(f"option-{i['id']}") or "") or None for i in issues},
            {i["id"]: str(form.get(f"text-{i['id']}") or "") for i in issues}, hours,
            int(versus) if versus else None)
        number = draft.number
    request.app.state.drafts.published(n, number)
    return web.see_other(f"/n/{n}?done=published")


@router.post("/n/{n}/preferences", openapi_extra=validation.form_body("reservation"))
def preferences(request: Request, n: str, form: FormBody):
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        rules.set_preferences(s, member, _preferences_from_form(
            form, rules.negotiation(s, n).issues))
    return web.see_other(f"/n/{n}?done=preferences")


def _preferences_from_form(form: Any, issues: list[dict]) -> dict:
    prefs = {}
    for issue in issues:
        salience = form.get(f"salience-{issue['id']}")
        if salience in (None, ""):
            continue
        prefs[issue["id"]] = {
            "salience": _float(salience, f"salience of {issue['id']}"),
            "valuations": {o["id"]: _float(form.get(f"value-{issue['id']}-{o['id']}") or 0,
                                           f"value of {o['id']}") for o in issue["options"]},
            "red_lines": [o["id"] for o in issue["options"]
                          if form.get(f"red-{issue['id']}-{o['id']}")]}
    return {"reservation": _float(form.get("reservation") or 0, "reservation"),
            "preferences": prefs}


def _float(value: Any, field: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise rules.BadInput(f"{field} must be a number") from None


@router.post("/n/{n}/preferences/import")
def import_preferences(request: Request, n: str, form: FormBody, upload: Upload):
    raw = scenario_bytes(upload, str(form.get("shipped") or ""))
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        if not raw:
            raise rules.BadInput("choose a scenario file to import")
        rules.import_preferences(s, member, raw, str(form.get("party") or "") or None)
    return web.see_other(f"/n/{n}?done=imported")


@router.post("/n/{n}/sharing", openapi_extra=validation.form_body("share"))
def sharing(request: Request, n: str, form: FormBody):
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        rules.set_sharing(s, member, [str(v) for v in form.getlist("share")])
    return web.see_other(f"/n/{n}?done=sharing")


@router.post("/n/{n}/disclosure", openapi_extra=validation.form_body("disclosure"))
def disclosure(request: Request, n: str, form: FormBody):
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        rules.set_disclosure(s, member, str(form.get("disclosure") or ""))
    return web.see_other(f"/n/{n}?done=disclosure")


@router.post("/n/{n}/drafts/{number}/answers", openapi_extra=validation.form_body())
def answers(request: Request, n: str, number: validation.DbInt, form: FormBody):
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        draft = rules.draft(s, member, number)
        # the red-line box counts with a rejection only (the form cannot hide it otherwise)
        given = {p["issue"]: (str(form.get(f"verdict-{p['issue']}")),
                              str(form.get(f"comment-{p['issue']}") or ""),
                              bool(form.get(f"red-line-{p['issue']}"))
                              and form.get(f"verdict-{p['issue']}") == "reject")
                 for p in draft.points if form.get(f"verdict-{p['issue']}")}
        rules.answer(s, member, number, given)
        whole = _whole_from_form(form, draft)
        if whole is not None:
            rules.answer_whole(s, member, number, *whole)
    return web.see_other(f"/n/{n}?done=answers")


def _whole_from_form(form: Any, draft: Any) -> tuple[bool | None, str | None, list[str]] | None:
    """The answer on the draft as a whole from the answer form: could sign (yes / no /
    not saying), the comparison asked for, and the points to change first (ranks 1, 2, …
    typed next to the points); None when the form has no such part (`whole` absent) and
    says nothing of it. With the part, what it says replaces the stored answer, so "not
    saying" and empty ranks take an earlier answer back."""
    sign = str(form.get("sign") or "")
    compared = str(form.get("compared") or "") or None
    if sign not in ("", "yes", "no"):
        raise rules.BadInput("sign: yes, no, or empty (not saying)")
    ranks = []
    for p in draft.points:
        rank = str(form.get(f"rank-{p['issue']}") or "").strip()
        if rank:
            if not re.fullmatch(r"[0-9]{1,3}", rank) or int(rank) < 1:
                raise rules.BadInput(f"point {p['issue']!r}: the rank of a point to change "
                                     "is a whole number from 1 (change first)")
            ranks.append((int(rank), p["issue"]))
    if not form.get("whole") and not sign and compared is None and not ranks:
        return None
    return ({"yes": True, "no": False}.get(sign), compared,
            [issue for _, issue in sorted(ranks)])


@router.post("/n/{n}/propose", response_class=HTMLResponse,
             openapi_extra=validation.form_body("candidate", "improvement", "best"))
def propose(request: Request, n: str, form: FormBody):
    """The engine's next draft, or (`candidate`) one of the candidate drafts shown when
    there is no deal, or (`improvement`) a text every delegation prefers to the agreed
    one: the publish form comes back filled with it."""
    candidate = str(form.get("candidate") or "")
    if candidate and not re.fullmatch(r"[0-9]{1,6}", candidate):
        raise rules.BadInput("candidate must be a number (the candidate's place, from 0)")
    best, compute = bool(form.get("best")), None
    if not form.get("improvement") and not candidate:  # the engine runs out of any transaction
        with web.signed_in(request, n) as (s, member, token):
            web.check_csrf(request, form.get("csrf"), token)
            compute = rules.prepare_proposal(s, member, best=best)
    computed = compute() if compute is not None else None
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, member, csrf):
        if form.get("improvement"):
            proposal = rules.propose_improvement(s, member)
        elif candidate:
            proposal = rules.propose_candidate(s, member, int(candidate))
        else:
            proposal = computed
            rules.record_proposal(s, member, proposal, best)
        context = _context(s, member, csrf) | {"proposal": proposal,
                                                "proposal_title": proposal.title}
    return web.page(request, "proposal.html.j2", context)


@router.get("/n/{n}/drafts/{number}/memo.{fmt}")
def memorandum(request: Request, n: str, number: validation.DbInt, fmt: str):
    with web.signed_in(request, n) as (s, member, _):
        row, draft = rules.negotiation(s, n), rules.draft(s, member, number)
        answers = None
        if member.role == rules.MEDIATOR:  # the mediator's copy records everyone's answers
            answers = {memo.seat_name(k, rules.roster(s, member)): v
                       for k, v in rules.answers_to(s, member, number).items()}
        if fmt == "md":
            return PlainTextResponse(memo.memorandum_markdown(row.title, row.issues, draft,
                                                              answers),
                                     media_type="text/markdown; charset=utf-8")
        if fmt == "html":
            return HTMLResponse(memo.memorandum_html(row.title, row.issues, draft, answers))
    raise rules.NotFound("a memorandum is .md or .html")


@router.get("/n/{n}/drafts/{number}/compare/{other}", response_class=HTMLResponse)
def compare(request: Request, n: str, number: validation.DbInt, other: validation.DbInt):
    with web.signed_in(request, n) as (s, member, csrf):
        row = rules.negotiation(s, n)
        old, new = rules.draft(s, member, other), rules.draft(s, member, number)
        rows = memo.compare_drafts(row.issues, old, new)
        return web.page(request, "compare.html.j2", {"me": member, "negotiation": row,
                                                     "old": old, "new": new, "rows": rows,
                                                     "csrf": csrf})


@router.get("/n/{n}/export")
def export(request: Request, n: str):
    with web.signed_in(request, n) as (s, member, _):
        data = rules.export(s, member)
    return JSONResponse(data, headers={"content-disposition":
                                       f'attachment; filename="negotiation-{n}.json"'})


def _check_signed_in(request: Request, n: str) -> None:
    with web.signed_in(request, n):
        pass


@router.get("/n/{n}/events")
async def events(request: Request, n: str, since: int = 0, seconds: float = STREAM_SECONDS):
    """Server-sent events: `draft` with the newest number whenever one is published."""
    await run_in_threadpool(_check_signed_in, request, n)
    stream = live.draft_stream(request.app.state.drafts, n, since,
                               min(seconds, STREAM_SECONDS))
    return StreamingResponse(stream, media_type="text/event-stream",
                             headers={"cache-control": "no-store", "x-accel-buffering": "no"})
