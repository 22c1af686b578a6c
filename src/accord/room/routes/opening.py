"""Opening a negotiation, joining it with an invitation link, and signing out."""

from __future__ import annotations

import re
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from accord.errors import AccordError
from accord.io import loads_scenario
from accord.io.builtin import builtin_names
from accord.room import auth, recovery, validation, web
from accord.room import services as rules
from accord.room.web import FormBody, Upload

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    return web.page(request, "home.html.j2", {"anon_csrf": web.anon_csrf(request),
                                              "shipped": builtin_names()})


@router.post("/open", openapi_extra=validation.form_body("title", "issues", "parties", "shipped"))
def open_negotiation(request: Request, form: FormBody, upload: Upload):
    web.check_anon(request, form.get("csrf"))
    raw = scenario_bytes(upload, str(form.get("shipped") or ""))
    issues, parties = _opening_issues(raw, str(form.get("issues") or ""),
                                      str(form.get("parties") or ""))
    with web.transaction(request, write=True) as s:
        negotiation, mediator = rules.open_negotiation(s, str(form.get("title") or ""),
                                                       issues, parties)
        s.flush()
        cookie, _ = auth.start_session(s, mediator)
        code = recovery.new_code(mediator)
    response = web.see_other(f"/n/{negotiation.id}")
    web.set_session(request, response, negotiation.id, cookie)
    recovery.show_once(response, negotiation.id, code, web.secure(request))
    return response


def scenario_bytes(upload: bytes, shipped: str) -> bytes:
    """The scenario a form names: an uploaded file, else a shipped scenario chosen by name."""
    if upload or not shipped:
        return upload
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
    return web.page(request, "join.html.j2", {"token": token, "anon_csrf": web.anon_csrf(request)})


@router.post("/join", openapi_extra=validation.form_body("token"))
def join(request: Request, form: FormBody):
    web.check_anon(request, form.get("csrf"))
    token = str(form.get("token") or "")
    with web.transaction(request) as s:
        seat = recovery.invited_seat(s, token)
    prepared = recovery.prepare_code(seat) if seat is not None else None
    with web.transaction(request, write=True) as s:
        member, cookie, code = recovery.join(s, token, prepared)
        n = member.negotiation_id
    response = web.see_other(f"/n/{n}")
    web.set_session(request, response, n, cookie)
    if code is not None:
        recovery.show_once(response, n, code, web.secure(request))
    return response


@router.post("/n/{n}/logout")
def logout(request: Request, n: str, form: FormBody):
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, _, _csrf):
        auth.end_session(s, request.cookies.get(auth.COOKIE))
    response = web.see_other("/")
    response.delete_cookie(auth.COOKIE, path=f"/n/{n}")
    return response
