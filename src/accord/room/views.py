"""Routes: server-rendered pages (Jinja2) and a small JSON API over the same services.

Every route under /n/{id} signs the caller in from the session cookie and leaves every
permission to `services`; every POST checks the session's CSRF token.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.io import loads_scenario
from accord.io.builtin import builtin_names
from accord.room import auth, events, memo, recovery, validation
from accord.room import services as rules
from accord.room.db import DraftRow, Member
from accord.room.limits import BodyTooLarge

router = APIRouter()
templates = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).with_name("templates"))),
    autoescape=True))
"""Every template escapes every value (the files are *.html.j2, which Starlette's default,
select_autoescape(), would leave raw). The only values marked safe are jinja's own
`tojson` (JSON with <, >, & and ' escaped) and `super()`/includes of these templates."""
STREAM_SECONDS = 3600.0


class SignedOut(rules.RoomError):
    status = 401


# ---------------------------------------------------------------- plumbing

def error_response(request: Request, status: int, message: str) -> Response:
    message = message.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    if "text/html" in request.headers.get("accept", ""):
        return templates.TemplateResponse(request, "message.html.j2",
                                          {"title": f"Error {status}", "message": message},
                                          status_code=status)
    return JSONResponse({"error": message}, status)


@contextlib.contextmanager
def _db(request: Request) -> Iterator[Session]:
    with request.app.state.db.session() as s, s.begin():
        yield s


@contextlib.contextmanager
def signed_in(request: Request, n: str, csrf: str | None = None,
              write: bool = False) -> Iterator[tuple[Session, Member, str]]:
    """The database session, the member this cookie signs in, and its CSRF token; for a
    write, the CSRF token sent (form field or X-CSRF-Token header) must match."""
    with _db(request) as s:
        rules.negotiation(s, n)
        found = auth.find_session(s, n, request.cookies.get(auth.COOKIE))
        if found is None:
            raise SignedOut("sign in first: with the invitation link you were given, or with "
                            f"your recovery code at /n/{n}/recover")
        member, sign_in = found
        if write and not auth.same(csrf or request.headers.get("x-csrf-token"), sign_in.csrf):
            raise rules.Forbidden("missing or wrong CSRF token: reload the page and try again")
        yield s, member, sign_in.csrf


def _set_session(request: Request, response: Response, n: str, cookie: str) -> None:
    response.set_cookie(auth.COOKIE, cookie, max_age=int(auth.SESSION_LIFETIME.total_seconds()),
                        path=f"/n/{n}", httponly=True, samesite="strict",
                        secure=_secure(request))


def _secure(request: Request) -> bool:
    forced = request.app.state.secure_cookies
    return forced if forced is not None else request.url.scheme == "https"


def _anon_csrf(request: Request) -> str:
    return auth.anon_csrf(request.app.state.csrf_secret, request.cookies.get(auth.ANON_COOKIE))


def _page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context, status_code=status)
    if "anon_csrf" in context:
        response.set_cookie(auth.ANON_COOKIE, context["anon_csrf"], httponly=True,
                            samesite="strict", secure=_secure(request))
    response.headers["cache-control"] = "no-store"
    return response


def _check_anon(request: Request, sent: Any) -> None:
    if not auth.anon_csrf_ok(request.app.state.csrf_secret, sent,
                             request.cookies.get(auth.ANON_COOKIE)):
        raise rules.Forbidden("missing or wrong CSRF token: reload the page and try again")


async def _form(request: Request) -> Any:
    try:
        return await request.form(max_files=2, max_fields=5000, max_part_size=1 << 20)
    except BodyTooLarge:  # a streamed body over the limit: the guard answers 413
        raise
    except Exception as error:  # malformed multipart or urlencoded body
        raise rules.BadInput(f"the form could not be read: {error}") from None


async def _json(request: Request) -> Any:
    try:
        data = json.loads(await request.body())
    except (ValueError, RecursionError):
        raise rules.BadInput("the body must be JSON") from None
    problem = validation.structure_problem(data)
    if problem:
        raise rules.BadInput(f"the body is not acceptable: {problem}")
    return data


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# ---------------------------------------------------------------- opening and joining

@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    return _page(request, "home.html.j2", {"anon_csrf": _anon_csrf(request),
                                           "shipped": builtin_names()})


@router.post("/open", openapi_extra=validation.form_body("title", "issues", "parties", "shipped"))
async def open_negotiation(request: Request):
    form = await _form(request)
    _check_anon(request, form.get("csrf"))
    raw = await _scenario_bytes(form)
    with _db(request) as s:
        issues, parties = _opening_issues(raw, str(form.get("issues") or ""),
                                          str(form.get("parties") or ""))
        negotiation, mediator = rules.open_negotiation(s, str(form.get("title") or ""),
                                                       issues, parties)
        s.flush()
        cookie, _ = auth.start_session(s, mediator)
        code = recovery.new_code(mediator)
    response = _see_other(f"/n/{negotiation.id}")
    _set_session(request, response, negotiation.id, cookie)
    recovery.show_once(response, negotiation.id, code, _secure(request))
    return response


async def _scenario_bytes(form: Any) -> bytes:
    """The scenario a form names: an uploaded file, else a shipped scenario chosen by name."""
    upload = form.get("scenario")
    raw = await upload.read() if upload is not None and hasattr(upload, "read") else b""
    shipped = str(form.get("shipped") or "")
    if raw or not shipped:
        return raw
    if shipped not in builtin_names():
        raise rules.BadInput(f"no shipped scenario named {shipped!r}")
    return (resources.files("accord.data") / "scenarios" / f"{shipped}.yaml").read_bytes()


def _opening_issues(raw: bytes, text: str,
                    chosen: str = "") -> tuple[list[dict], list[tuple[str, str]]]:
    if raw:
        try:
            scenario = loads_scenario(raw, "upload")
        except AccordError as error:
            raise rules.BadInput(error.user_message()) from None
        parties = [(p.id, p.name) for p in scenario.parties]
        wanted = [w for w in re.split(r"[\s,]+", chosen) if w]
        if wanted:
            unknown = set(wanted) - {p for p, _ in parties}
            if unknown:
                raise rules.BadInput(f"the scenario has no party {', '.join(sorted(unknown))}; "
                                     f"its parties: {', '.join(p for p, _ in parties)}")
            parties = [(p, name) for p, name in parties if p in wanted]
        return rules.issues_from_scenario(scenario), parties
    return rules.issues_from_text(text), []


@router.get("/join/{token}", response_class=HTMLResponse)
def join_page(request: Request, token: str):
    return _page(request, "join.html.j2", {"token": token, "anon_csrf": _anon_csrf(request)})


@router.post("/join", openapi_extra=validation.form_body("token"))
async def join(request: Request):
    form = await _form(request)
    _check_anon(request, form.get("csrf"))
    with _db(request) as s:
        member, cookie, code = recovery.join(s, str(form.get("token") or ""))
        n = member.negotiation_id
    response = _see_other(f"/n/{n}")
    _set_session(request, response, n, cookie)
    if code is not None:
        recovery.show_once(response, n, code, _secure(request))
    return response


@router.post("/n/{n}/logout")
async def logout(request: Request, n: str):
    form = await _form(request)
    with signed_in(request, n, form.get("csrf"), write=True) as (s, _, _csrf):
        auth.end_session(s, request.cookies.get(auth.COOKIE))
    response = _see_other("/")
    response.delete_cookie(auth.COOKIE, path=f"/n/{n}")
    return response


# ---------------------------------------------------------------- pages

@router.get("/n/{n}", response_class=HTMLResponse)
def negotiation_page(request: Request, n: str):
    with signed_in(request, n) as (s, member, csrf):
        context = _context(s, member, csrf)
        context["recovery_code"] = recovery.shown_code(request.cookies.get(recovery.SHOW_COOKIE))
        response = _page(request, f"{member.role}.html.j2", context)
    if recovery.SHOW_COOKIE in request.cookies:  # shown once: never again
        response.delete_cookie(recovery.SHOW_COOKIE, path=f"/n/{n}")
    return response


@router.get("/n/{n}/current", response_class=HTMLResponse)
def current_draft_fragment(request: Request, n: str):
    """The current-draft panel alone, fetched by the page when a draft is published."""
    with signed_in(request, n) as (s, member, csrf):
        return _page(request, "current.html.j2", _context(s, member, csrf))


def _context(s: Session, member: Member, csrf: str) -> dict:
    row = rules.negotiation(s, member.negotiation_id)
    drafts = rules.drafts(s, member)
    current = drafts[-1] if drafts else None
    context = {"me": member, "csrf": csrf, "negotiation": row, "issues": row.issues,
               "drafts": drafts, "current": current, "roster": rules.roster(s, member),
               "verdicts": rules.VERDICTS, "shareable": rules.SHAREABLE,
               "shipped": builtin_names(),
               "options": {i["id"]: {o["id"]: o["label"] for o in i["options"]}
                           for i in row.issues}}
    if member.role == rules.MEDIATOR:
        context["matrix"] = rules.answers_to(s, member, current.number) if current else {}
        context["zone"] = rules.zone(s, member)
        context["shared"] = {m["id"]: rules.preferences_of(s, member, m["id"])
                             for m in context["roster"] if m["role"] == rules.DELEGATION}
        context["history"] = rules.history(s, member)[-30:]
    if member.role == rules.DELEGATION:
        context["mine"] = (rules.answers_to(s, member, current.number).get(member.id, {})
                           if current else {})
        context["prefs"] = member.preferences or {"reservation": 0.0, "preferences": {}}
    return context


@router.post("/n/{n}/members", openapi_extra=validation.form_body("role", "name"))
async def add_member(request: Request, n: str):
    form = await _form(request)
    with signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        added, token = rules.add_member(s, member, str(form.get("role") or ""),
                                        str(form.get("name") or ""))
        name = added.name
    return _invitation_page(request, n, name, token)


@router.post("/n/{n}/members/{member_id}/invite", openapi_extra=validation.form_body())
async def reinvite(request: Request, n: str, member_id: validation.DbInt):
    form = await _form(request)
    with signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        token = rules.invite(s, member, member_id)
        name = s.get(Member, member_id).name
    return _invitation_page(request, n, name, token)


def _invitation_page(request: Request, n: str, name: str, token: str) -> HTMLResponse:
    link = str(request.url_for("join_page", token=token))
    return _page(request, "invitation.html.j2", {"n": n, "name": name, "link": link})


@router.post("/n/{n}/drafts", openapi_extra=validation.form_body("title"))
async def publish(request: Request, n: str):
    form = await _form(request)
    with signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        issues = rules.negotiation(s, n).issues
        draft = rules.publish_draft(
            s, member, str(form.get("title") or ""),
            {i["id"]: str(form.get(f"option-{i['id']}") or "") or None for i in issues},
            {i["id"]: str(form.get(f"text-{i['id']}") or "") for i in issues})
        number = draft.number
    request.app.state.broker.published(n, number)
    return _see_other(f"/n/{n}")


@router.post("/n/{n}/preferences", openapi_extra=validation.form_body("reservation"))
async def preferences(request: Request, n: str):
    form = await _form(request)
    with signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        rules.set_preferences(s, member, _preferences_from_form(
            form, rules.negotiation(s, n).issues))
    return _see_other(f"/n/{n}")


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
async def import_preferences(request: Request, n: str):
    form = await _form(request)
    raw = await _scenario_bytes(form)
    with signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        if not raw:
            raise rules.BadInput("choose a scenario file to import")
        rules.import_preferences(s, member, raw, str(form.get("party") or "") or None)
    return _see_other(f"/n/{n}")


@router.post("/n/{n}/sharing", openapi_extra=validation.form_body("share"))
async def sharing(request: Request, n: str):
    form = await _form(request)
    with signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        rules.set_sharing(s, member, [str(v) for v in form.getlist("share")])
    return _see_other(f"/n/{n}")


@router.post("/n/{n}/drafts/{number}/answers", openapi_extra=validation.form_body())
async def answers(request: Request, n: str, number: validation.DbInt):
    form = await _form(request)
    with signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        draft = rules.draft(s, member, number)
        given = {p["issue"]: (str(form.get(f"verdict-{p['issue']}")),
                              str(form.get(f"comment-{p['issue']}") or ""))
                 for p in draft.points if form.get(f"verdict-{p['issue']}")}
        rules.answer(s, member, number, given)
    return _see_other(f"/n/{n}")


@router.post("/n/{n}/propose", response_class=HTMLResponse, openapi_extra=validation.form_body())
async def propose(request: Request, n: str):
    form = await _form(request)
    with signed_in(request, n, form.get("csrf"), write=True) as (s, member, csrf):
        proposal = rules.propose(s, member)
        context = _context(s, member, csrf) | {"proposal": proposal}
    return _page(request, "proposal.html.j2", context)


@router.get("/n/{n}/drafts/{number}/memo.{fmt}")
def memorandum(request: Request, n: str, number: validation.DbInt, fmt: str):
    with signed_in(request, n) as (s, member, _):
        row, draft = rules.negotiation(s, n), rules.draft(s, member, number)
        if fmt == "md":
            return PlainTextResponse(memo.memorandum_markdown(row.title, row.issues, draft),
                                     media_type="text/markdown; charset=utf-8")
        if fmt == "html":
            return HTMLResponse(memo.memorandum_html(row.title, row.issues, draft))
    raise rules.NotFound("a memorandum is .md or .html")


@router.get("/n/{n}/drafts/{number}/compare/{other}", response_class=HTMLResponse)
def compare(request: Request, n: str, number: validation.DbInt, other: validation.DbInt):
    with signed_in(request, n) as (s, member, csrf):
        row = rules.negotiation(s, n)
        old, new = rules.draft(s, member, other), rules.draft(s, member, number)
        rows = memo.compare_drafts(row.issues, old, new)
        return _page(request, "compare.html.j2", {"me": member, "negotiation": row, "old": old,
                                                  "new": new, "rows": rows, "csrf": csrf})


@router.get("/n/{n}/export")
def export(request: Request, n: str):
    with signed_in(request, n) as (s, member, _):
        data = rules.export(s, member)
    return JSONResponse(data, headers={"content-disposition":
                                       f'attachment; filename="negotiation-{n}.json"'})


@router.get("/n/{n}/events")
async def live(request: Request, n: str, since: int = 0, seconds: float = STREAM_SECONDS):
    with signed_in(request, n):
        pass
    db = request.app.state.db

    def load() -> int:
        with db.session() as s:
            return s.scalar(select(func.max(DraftRow.number))
                            .where(DraftRow.negotiation_id == n)) or 0

    stream = events.draft_stream(request.app.state.broker, n, since, load,
                                 request.is_disconnected, min(seconds, STREAM_SECONDS))
    return StreamingResponse(stream, media_type="text/event-stream",
                             headers={"cache-control": "no-store", "x-accel-buffering": "no"})


# ---------------------------------------------------------------- JSON API

@router.get("/n/{n}/api/state")
def api_state(request: Request, n: str):
    with signed_in(request, n) as (s, member, csrf):
        return {"role": member.role, "member": member.id, "name": member.name, "csrf": csrf,
                "roster": rules.roster(s, member),
                "issues": rules.negotiation(s, n).issues,
                "drafts": [{"number": d.number, "title": d.title, "points": d.points}
                           for d in rules.drafts(s, member)]}


@router.get("/n/{n}/api/preferences/{member_id}")
def api_preferences(request: Request, n: str, member_id: validation.DbInt):
    with signed_in(request, n) as (s, member, _):
        return {"preferences": rules.preferences_of(s, member, member_id)}


@router.post("/n/{n}/api/preferences")
async def api_set_preferences(request: Request, n: str, body: validation.PreferencesBody):
    with signed_in(request, n, write=True) as (s, member, _):
        return {"preferences": rules.set_preferences(s, member, body.model_dump(mode="json"))}


@router.post("/n/{n}/api/sharing", openapi_extra=validation.SHARING_JSON)
async def api_sharing(request: Request, n: str):
    body = await _json(request)
    if not isinstance(body, list):
        raise rules.BadInput("send a list of fields to share")
    with signed_in(request, n, write=True) as (s, member, _):
        return {"shared": rules.set_sharing(s, member, [str(f) for f in body])}


@router.post("/n/{n}/api/members", openapi_extra=validation.MEMBER_JSON)
async def api_add_member(request: Request, n: str):
    body = await _json(request)
    if not isinstance(body, dict):
        raise rules.BadInput("send {role, name}")
    with signed_in(request, n, write=True) as (s, member, _):
        added, token = rules.add_member(s, member, str(body.get("role", "")),
                                        str(body.get("name", "")))
        return {"member": added.id, "party": added.party_id,
                "link": str(request.url_for("join_page", token=token))}


@router.post("/n/{n}/api/drafts")
async def api_publish(request: Request, n: str, body: validation.DraftBody):
    with signed_in(request, n, write=True) as (s, member, _):
        draft = rules.publish_draft(s, member, body.title, body.options, body.texts)
        number = draft.number
    request.app.state.broker.published(n, number)
    return {"number": number}


@router.get("/n/{n}/api/drafts/{number}/answers")
def api_answers(request: Request, n: str, number: validation.DbInt):
    with signed_in(request, n) as (s, member, _):
        return {"answers": {str(k): v for k, v in rules.answers_to(s, member, number).items()}}


@router.post("/n/{n}/api/drafts/{number}/answers")
async def api_answer(request: Request, n: str, number: validation.DbInt,
                     body: validation.AnswersBody):
    with signed_in(request, n, write=True) as (s, member, _):
        rules.answer(s, member, number, {k: (v.verdict, v.comment) for k, v in body.items()})
    return {"ok": True}


@router.get("/n/{n}/api/history")
def api_history(request: Request, n: str):
    with signed_in(request, n) as (s, member, _):
        return {"history": rules.history(s, member)}


@router.get("/n/{n}/api/zone")
def api_zone(request: Request, n: str):
    with signed_in(request, n) as (s, member, _):
        answer = rules.zone(s, member)
        found = {"verdict": answer.verdict, "waiting_for": list(answer.waiting_for)}
        return found | ({"reason": answer.reason} if answer.reason else {})


@router.post("/n/{n}/api/propose")
def api_propose(request: Request, n: str):
    with signed_in(request, n, write=True) as (s, member, _):
        proposal = rules.propose(s, member)
        return {"package": proposal.package, "reason": proposal.reason}
