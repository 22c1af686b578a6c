"""Opening a negotiation, joining it with an invitation link, and signing out."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

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


SCENARIO_RULE = "the scenario's decision rule (give a rule of your own to replace it)"


@router.post("/open", openapi_extra=validation.form_body(
    "title", "issues", "parties", "shipped", "rule", "at_least", "required"))
def open_negotiation(request: Request, form: FormBody, upload: Upload):
    """Open a negotiation: its issues from a scenario (uploaded or shipped) or from text,
    and its decision rule from the form (`rule_from_form`), else the scenario's own."""
    web.check_anon(request, form.get("csrf"))
    given = rule_from_form(form)
    raw = scenario_bytes(upload, str(form.get("shipped") or ""))
    issues, parties, scenario_rule = _opening_issues(raw, str(form.get("issues") or ""),
                                                     str(form.get("parties") or ""))
    rule, source = ((given, "the decision rule") if given is not None
                    else (scenario_rule, SCENARIO_RULE))
    with web.transaction(request, write=True) as s:
        negotiation, mediator = rules.open_negotiation(s, str(form.get("title") or ""),
                                                       issues, parties, rule, source)
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


def rule_from_form(form: Any) -> Any:
    """The decision rule the mediator gave, unchecked (the engine checks it in
    `validation.check_rule`): `rule`, JSON of the scenario format's `rule` mapping over the
    delegations' party ids (for programs), or the fields `at_least` (a number of
    delegations) and `required` (party ids separated by commas or spaces); None when none
    is given (`rule` may be `null`)."""
    text = str(form.get("rule") or "").strip()
    at_least = str(form.get("at_least") or "").strip()
    required = [w for w in re.split(r"[\s,]+", str(form.get("required") or "")) if w]
    if text and (at_least or required):
        raise rules.BadInput("give the decision rule either as JSON in `rule` or with "
                             "`at_least` and `required`, not both")
    if text:
        try:
            given = json.loads(text)
        except (ValueError, RecursionError):
            raise rules.BadInput('rule: expected JSON such as {"at_least": 2, "required": '
                                 '["us"]}') from None
        problem = validation.structure_problem(given)
        if problem:
            raise rules.BadInput(f"rule: {problem}")
        return given
    if not at_least and not required:
        return None
    return ({"at_least": at_least} if at_least else {}) | (
        {"required": required} if required else {})


def _opening_issues(raw: bytes, text: str, chosen: str = ""
                    ) -> tuple[list[dict], list[tuple[str, str]], dict | None]:
    """The issues, the delegations (party id, name) and the scenario's decision rule (None
    from text, or from a scenario without one)."""
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
        rule = (scenario.rule.model_dump(mode="json", exclude_defaults=True)
                if scenario.rule is not None else None)
        return rules.issues_from_scenario(scenario), parties, rule
    return rules.issues_from_text(text), [], None


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
