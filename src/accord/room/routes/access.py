"""Getting back in and putting out: recovery codes, colleague links and revoking (see
`recovery`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from accord.room import recovery, web
from accord.room import services as rules
from accord.room.web import FormBody

router = APIRouter()
MemberId = Annotated[int, Path(ge=0, le=2**31 - 1)]


@router.get("/n/{n}/recover", response_class=HTMLResponse)
def recover_page(request: Request, n: str):
    with web.transaction(request) as s:
        rules.negotiation(s, n)  # a 404 for no such negotiation; its title is not shown
    return web.page(request, "recover.html.j2", {"n": n, "anon_csrf": web.anon_csrf(request)})


@router.post("/n/{n}/recover")
def recover(request: Request, n: str, form: FormBody):
    """Sign back in with a recovery code; the code is replaced and the new one shown once."""
    web.check_anon(request, form.get("csrf"))
    with web.transaction(request, write=True) as s:
        rules.negotiation(s, n)
        _, cookie, code = recovery.recover(s, n, str(form.get("code") or ""))
    response = web.see_other(f"/n/{n}")
    web.set_session(request, response, n, cookie)
    recovery.show_once(response, n, code, web.secure(request))
    return response


@router.post("/n/{n}/recovery-code")
def renew(request: Request, n: str, form: FormBody):
    """A signed-in member replaces its recovery code; the new one is shown once."""
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        code = recovery.renew(s, member)
    response = web.see_other(f"/n/{n}")
    recovery.show_once(response, n, code, web.secure(request))
    return response


@router.post("/n/{n}/members/{member_id}/revoke")
def revoke(request: Request, n: str, member_id: MemberId, form: FormBody):
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        recovery.revoke(s, member, member_id)
    return web.see_other(f"/n/{n}?done=revoked")


@router.post("/n/{n}/api/members/{member_id}/revoke")
def api_revoke(request: Request, n: str, member_id: MemberId):
    with web.signed_in(request, n, write=True) as (s, member, _):
        revoked = recovery.revoke(s, member, member_id)
        return {"revoked": revoked.id, "name": revoked.name}


@router.post("/n/{n}/colleagues")
def colleague(request: Request, n: str, form: FormBody):
    """A signed-in delegation makes a single-use link into its own seat for a colleague."""
    with web.signed_in(request, n, form.get("csrf"), write=True) as (s, member, _):
        token = recovery.colleague_link(s, member)
        name = member.name
    link = str(request.url_for("join_page", token=token))
    return web.page(request, "colleague.html.j2", {"n": n, "name": name, "link": link})
