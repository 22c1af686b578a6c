"""What every route of the room shares: templates, sign-in, CSRF, bodies, responses.

Route functions are plain `def`s: FastAPI runs them in the thread pool (sized with the
connection pool, see `db.THREADS`), so database work never blocks the event loop. Bodies
are read on the loop, before the thread starts, by the `FormBody` and `JsonBody`
dependencies. Every route under /n/{id} signs the caller in with `signed_in`, which
leaves every permission to `services`; every write checks the session's CSRF token.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from accord.room import auth, validation
from accord.room import services as rules
from accord.room.db import Executor, Member
from accord.room.limits import BodyTooLarge

templates = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).with_name("templates"))),
    autoescape=True))
"""Every template escapes every value (the files are *.html.j2, which Starlette's default,
select_autoescape(), would leave raw). The only values marked safe are jinja's own
`tojson` (JSON with <, >, & and ' escaped) and `super()`/includes of these templates."""


CONFIRMATIONS = {
    "published": "The draft is published: every member sees it now.",
    "preferences": "Your preferences are saved.",
    "imported": "Your preferences are imported from the scenario.",
    "sharing": "Your choice of what the mediator may see is saved.",
    "disclosure": "Your choice of what the mediator may be told of your demands is saved.",
    "answers": "Your answers are sent to the mediator.",
    "revoked": "The member is revoked: every member sees it in the roster.",
}
"""What a page confirms after a form redirected to it with `?done=<key>` (fixed texts: the
query string chooses one, it never carries text onto the page)."""


class SignedOut(rules.RoomError):
    status = 401


def error_response(request: Request, status: int, message: str) -> Response:
    """An error as the caller reads it: a page for a browser, JSON for a program."""
    message = message.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    if "text/html" in request.headers.get("accept", ""):
        return templates.TemplateResponse(request, "message.html.j2",
                                          {"title": f"Error {status}", "message": message},
                                          status_code=status)
    return JSONResponse({"error": message}, status)


@contextlib.contextmanager
def transaction(request: Request, write: bool = False) -> Iterator[Session]:
    """One database transaction for a request that needs no sign-in."""
    with request.app.state.db.transaction(write) as s:
        yield s


@contextlib.contextmanager
def signed_in(request: Request, n: str, csrf: str | None = None, write: bool = False,
              core: bool = False) -> Iterator[tuple[Executor, Member, str]]:
    """The database session (one transaction), the member this cookie signs in, and its
    CSRF token; for a write, the CSRF token sent (form field or X-CSRF-Token header) must
    match. One query when the cookie is good. With `core`, a Core connection and a
    read-only member row instead (the busiest routes, whose rules use Core only)."""
    database = request.app.state.db
    opened = database.connection(write) if core else database.transaction(write)
    with opened as s:
        found = auth.find_session(s, n, request.cookies.get(auth.COOKIE),
                                  for_writing=write and not core, lean=core)
        if found is None:
            rules.negotiation(s, n)  # 404 when there is no such negotiation
            raise SignedOut("sign in first: with the invitation link you were given, or with "
                            f"your recovery code at /n/{n}/recover")
        member, sign_in = found
        if write and not auth.same(csrf or request.headers.get("x-csrf-token"), sign_in.csrf):
            raise rules.Forbidden("missing or wrong CSRF token: reload the page and try again")
        yield s, member, sign_in.csrf


def check_csrf(request: Request, sent: Any, token: str) -> None:
    """The CSRF check of a write (form field or X-CSRF-Token header against the sign-in's
    token), for a POST whose first step only reads (`signed_in` checks it on writes)."""
    if not auth.same(sent or request.headers.get("x-csrf-token"), token):
        raise rules.Forbidden("missing or wrong CSRF token: reload the page and try again")


def set_session(request: Request, response: Response, n: str, cookie: str) -> None:
    response.set_cookie(auth.COOKIE, cookie, max_age=int(auth.SESSION_LIFETIME.total_seconds()),
                        path=f"/n/{n}", httponly=True, samesite="strict",
                        secure=secure(request))


def secure(request: Request) -> bool:
    """Whether cookies get the Secure flag: as configured, else when served over HTTPS."""
    forced = request.app.state.secure_cookies
    return forced if forced is not None else request.url.scheme == "https"


def anon_csrf(request: Request) -> str:
    return auth.anon_csrf(request.app.state.csrf_secret, request.cookies.get(auth.ANON_COOKIE))


def check_anon(request: Request, sent: Any) -> None:
    """The CSRF check of the forms shown before signing in (double submit)."""
    if not auth.anon_csrf_ok(request.app.state.csrf_secret, sent,
                             request.cookies.get(auth.ANON_COOKIE)):
        raise rules.Forbidden("missing or wrong CSRF token: reload the page and try again")


def page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    """A rendered template, never cached; it sets the signed-out CSRF cookie it shows."""
    response = templates.TemplateResponse(request, name, context, status_code=status)
    if "anon_csrf" in context:
        response.set_cookie(auth.ANON_COOKIE, context["anon_csrf"], httponly=True,
                            samesite="strict", secure=secure(request))
    response.headers["cache-control"] = "no-store"
    return response


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def read_form(request: Request) -> Any:
    """The request's form (urlencoded or multipart), read on the event loop."""
    try:
        return await request.form(max_files=2, max_fields=5000, max_part_size=1 << 20)
    except BodyTooLarge:  # a streamed body over the limit: the guard answers 413
        raise
    except Exception as error:  # malformed multipart or urlencoded body
        raise rules.BadInput(f"the form could not be read: {error}") from None


async def read_json(request: Request) -> Any:
    """The request's JSON body, checked for shapes no route accepts (depth, NUL, …)."""
    try:
        data = json.loads(await request.body())
    except (ValueError, RecursionError):
        raise rules.BadInput("the body must be JSON") from None
    problem = validation.structure_problem(data)
    if problem:
        raise rules.BadInput(f"the body is not acceptable: {problem}")
    return data


async def read_upload(form: Annotated[Any, Depends(read_form)]) -> bytes:
    """The bytes of the form's uploaded `scenario` file (b"" when none)."""
    upload = form.get("scenario")
    return await upload.read() if upload is not None and hasattr(upload, "read") else b""


FormBody = Annotated[Any, Depends(read_form)]
JsonBody = Annotated[Any, Depends(read_json)]
Upload = Annotated[bytes, Depends(read_upload)]
