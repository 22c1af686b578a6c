"""Issue 15, defects 2 and 6: every page escapes what users typed; the signed-out forms'
CSRF cookie is signed by the server; a streamed form body over the limit is a 413; a 500
carries the security headers and leaves the connection usable.

Each test runs on SQLite and on PostgreSQL (like tests/test_room.py).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import re
import socket
import threading
import time
from urllib.parse import quote

import pytest
from markupsafe import escape
from room_helpers import (
    Person,
    form_csrf,
)

from accord.room import auth

RAW = ("<b id=x>", "<script>", "<meta http-equiv")
"""What must never reach a page unescaped (the templates themselves hold none of these)."""


def markup(field: str) -> str:
    """Markup to type into `field`: an element, an attribute break-out with a script, and a
    meta refresh to another origin; `field` names it, so each field's rendering is found."""
    return (f'<b id=x>{field}</b>"><script>{field}</script>'
            f'<meta http-equiv=refresh content="0;url=http://127.0.0.1:9/{field}">')


TOKEN = ('"><b id=x>token<script>token'
         '<meta http-equiv=refresh content="0;url=http:\\\\127.0.0.1:9\\token">')
"""A crafted join token (no slash: it is one path segment)."""


def scenario() -> bytes:
    """A scenario whose title, issue titles, option labels and party names are markup
    (JSON is YAML)."""
    issues = [{"id": i, "title": markup(f"issue-{i}"), "options": [
        {"id": f"{i}{k}", "label": markup(f"label-{i}{k}")} for k in (1, 2)]}
        for i in ("alpha", "beta")]
    parties = [{"id": p, "name": markup(f"party-{p}"), "reservation": 0.1, "preferences": {
        i: {"salience": 0.5, "valuations": {f"{i}1": v, f"{i}2": 1 - v}}
        for i in ("alpha", "beta")}} for p, v in (("north", 0.2), ("south", 0.8))]
    return json.dumps({"id": "markup", "title": markup("scenario"), "issues": issues,
                       "parties": parties}).encode()




def hostile_negotiation(app) -> dict[str, Person]:
    """A negotiation with markup in every field a user types: its title, its issues and
    options (opened from a scenario), the names of its members, two drafts' titles and
    texts, and every answer's comment."""
    mediator = Person(app)
    mediator.open(title=markup("title"), scenario=scenario())
    delegation = Person(app).join(mediator.invite(markup("delegation")))
    other = Person(app).join(mediator.invite(markup("other")))
    observer = Person(app).join(mediator.invite(markup("observer"), "observer"))
    for seat in mediator.state["roster"]:  # the scenario's seats, never joined: the engine
        if seat["party"] in ("north", "south"):  # would wait for their preferences
            assert mediator.post(f"api/members/{seat['id']}/revoke").status_code == 200
    for person, vetoed in ((delegation, "alpha1"), (other, "alpha2")):  # no deal: the
        # mediator's page shows what blocks it, naming both (they disclose their demands)
        assert person.post("api/preferences", {"reservation": 0.1, "preferences": {
            i: {"salience": 1, "valuations": {f"{i}1": 0.3, f"{i}2": 0.7},
                "red_lines": [vetoed] if i == "alpha" else []}
            for i in ("alpha", "beta")}}).status_code == 200
        assert person.post("api/disclosure", {"disclosure": "demands"}).status_code == 200
    for number in (1, 2):
        published = mediator.post("api/drafts", {
            "title": markup(f"draft{number}"), "options": {"alpha": f"alpha{number}",
                                                           "beta": "beta1"},
            "texts": {i: markup(f"text{number}-{i}") for i in ("alpha", "beta")}})
        assert published.status_code == 200, published.text
        for person, who in ((delegation, "delegation"), (other, "other")):
            answered = person.post(f"api/drafts/{number}/answers", {
                i: {"verdict": "reject", "comment": markup(f"comment{number}-{who}-{i}")}
                for i in ("alpha", "beta")})
            assert answered.status_code == 200, answered.text
    return {"mediator": mediator, "delegation": delegation, "other": other,
            "observer": observer}


def assert_escaped(html: str, page: str, fields: list[str]) -> None:
    for raw in RAW:
        assert raw not in html, (page, raw, html[max(0, html.find(raw) - 200):][:400])
    for field in fields:
        assert str(escape(markup(field))) in html, (page, field)


DRAFT2 = ["draft2", "issue-alpha", "issue-beta", "label-alpha2", "label-beta1",
          "text2-alpha", "text2-beta"]


def test_every_page_escapes_what_users_typed(app):
    people = hostile_negotiation(app)
    mediator, delegation, observer = (people["mediator"], people["delegation"],
                                      people["observer"])
    html = {"accept": "text/html"}
    pages = {
        "mediator dashboard": (mediator.get("", headers=html),
                               ["title", "delegation", "other", "observer", "party-north",
                                "comment2-delegation-alpha", "comment2-other-beta",
                                "label-alpha1", *DRAFT2]),
        "mediator current": (mediator.get("current"), DRAFT2),
        "compare": (mediator.get("drafts/2/compare/1"),
                    ["title", "issue-alpha", "label-alpha1", "label-alpha2", "text1-alpha",
                     "text2-beta"]),
        "memorandum": (mediator.get("drafts/2/memo.html"),
                       ["title", "delegation", "comment2-other-alpha", *DRAFT2]),
        "concessions": (mediator.get("concessions"), ["title", "delegation", "other",
                                                      "issue-alpha", "issue-beta"]),
        "history": (mediator.get("history"), ["title", "delegation", "other"]),
        "invitation": (mediator.form("members", {"role": "delegation",
                                                 "name": markup("invitee")}), ["invitee"]),
        "proposal": (mediator.form("propose", {}), ["title", "issue-alpha", "label-beta2"]),
        "delegation": (delegation.get(""), ["title", "delegation", "comment2-delegation-beta",
                                            "label-beta2", *DRAFT2]),
        "delegation current": (delegation.get("current"), ["comment2-delegation-alpha",
                                                           *DRAFT2]),
        "observer": (observer.get(""), ["title", "observer", *DRAFT2]),
        "observer current": (observer.get("current"), DRAFT2),
    }
    dashboard = pages["mediator dashboard"][0].text  # fetched before anyone else was invited
    assert 'id="impasse"' in dashboard and 'class="named-delegation"' in dashboard
    for page, (response, fields) in pages.items():
        assert response.status_code == 200, (page, response.text)
        assert response.headers["content-type"].startswith("text/html"), page
        assert_escaped(response.text, page, fields)
    for name in ("comment2-other-alpha", "comment1-delegation-alpha", "text1-beta"):
        assert str(escape(markup(name))) not in pages["delegation"][0].text  # sanity: not
        # every field shows everywhere; what a page shows is its role's own

    stranger = Person(app)
    join = stranger.client.get("/join/" + quote(TOKEN, safe=""))
    assert join.status_code == 200
    for raw in RAW:
        assert raw not in join.text
    assert f'name="token" value="{escape(TOKEN)}"' in join.text

    error = stranger.client.post("/open", headers=html, data={
        "csrf": form_csrf(stranger.client.get("/").text), "title": "t",
        "shipped": markup("shipped")})
    assert error.status_code == 422
    assert_escaped(error.text, "error page", [])
    assert str(escape(markup("shipped"))) in error.text


def test_templates_escape_by_default():
    from accord.room.web import templates

    rendered = templates.get_template("message.html.j2").render(title="<b id=x>",
                                                                message="<script>")
    assert "&lt;b id=x&gt;" in rendered and "&lt;script&gt;" in rendered
    assert "<b id=x>" not in rendered and "<script>" not in rendered
    for name in templates.env.list_templates():
        assert templates.env.get_template(name).render  # every template loads
        source = templates.env.loader.get_source(templates.env, name)[0]
        assert "|safe" not in source.replace(" ", ""), name
        assert "autoescape false" not in source, name


# ---------------------------------------------------------------- defect 6a: signed CSRF

def _open(person: Person, csrf: str, cookie: str | None = None):
    if cookie is not None:
        person.client.cookies.clear()
        person.client.cookies.set(auth.ANON_COOKIE, cookie)
    return person.client.post("/open", data={"csrf": csrf, "title": "t",
                                             "issues": "A: b; c"}, follow_redirects=False)


def test_signed_out_csrf_cookie_must_be_signed_by_the_server(app):
    person = Person(app)
    issued = form_csrf(person.client.get("/").text)
    assert person.client.cookies.get(auth.ANON_COOKIE) == issued
    token, stamp, mac = issued.split(".")
    assert len(mac) == 64 and stamp.isdigit()

    secret = app.state.csrf_secret

    def signed(body: str, key: bytes = secret) -> str:
        return f"{body}.{hmac.new(key, body.encode(), hashlib.sha256).hexdigest()}"

    now = int(time.time())
    refused = {
        "made up": "forged",
        "made up, dotted": f"{token}.{now}.{'0' * 64}",
        "altered token": f"{token[:-1]}{'A' if token[-1] != 'A' else 'B'}.{stamp}.{mac}",
        "other secret": signed(f"{token}.{now}", b"not the server's secret"),
        "expired": signed(f"{token}.{now - 8 * 86400}"),
    }
    for why, value in refused.items():
        assert _open(Person(app), value, value).status_code == 403, why
        joining = Person(app)
        joining.client.cookies.set(auth.ANON_COOKIE, value)
        assert joining.client.post("/join", data={"csrf": value, "token": "x"}
                                   ).status_code == 403, why
    # a page served with a forged cookie hands out a fresh signed one instead of echoing it
    fresh = Person(app)
    fresh.client.cookies.set(auth.ANON_COOKIE, "forged")
    assert form_csrf(fresh.client.get("/").text) != "forged"
    # the genuine article, as issued and as a signature of this server's, is accepted
    assert _open(person, issued).status_code == 303
    assert _open(Person(app), signed(f"{token}.{now}"), signed(f"{token}.{now}")
                 ).status_code == 303
    # the form must echo the cookie
    other = Person(app)
    other.client.get("/")
    assert _open(other, issued).status_code == 403


def test_non_ascii_csrf_values_are_403_not_500(app):
    person = Person(app)
    issued = form_csrf(person.client.get("/").text)
    assert _open(person, "éx").status_code == 403
    raw = person.client.post("/open", content="csrf=%C3%A9%ED%A0%80&title=t&issues=A%3A+b%3B+c",
                             headers={"content-type": "application/x-www-form-urlencoded",
                                      "cookie": f"{auth.ANON_COOKIE}={issued}".encode()})
    assert raw.status_code == 403
    cookie = person.client.post("/open", data={"csrf": issued, "title": "t",
                                               "issues": "A: b; c"},
                                headers={"cookie": f"{auth.ANON_COOKIE}=é".encode()})
    assert cookie.status_code == 403
    mediator = Person(app)
    mediator.open()
    header = mediator.client.post(f"/n/{mediator.n}/api/sharing", json=[],
                                  headers={"x-csrf-token": "é".encode()})
    assert header.status_code == 403
    assert mediator.form("sharing", {"csrf": "é"}).status_code == 403


# ---------------------------------------------------------------- defect 6b: 413 on forms

def _chunks(total: int = 40 * 65536, piece: bytes = b"a=" + b"y" * 65534):
    for _ in range(total // len(piece)):
        yield piece


def test_streamed_form_over_the_limit_is_413(app):
    mediator = Person(app)
    mediator.open()
    form = {"content-type": "application/x-www-form-urlencoded"}
    multipart = {"content-type": "multipart/form-data; boundary=xyz"}

    def multipart_chunks():
        yield b'--xyz\r\ncontent-disposition: form-data; name="scenario"; filename="s.yaml"\r\n\r\n'
        yield from _chunks()

    cases = {
        "open": mediator.client.post("/open", content=_chunks(), headers=form),
        "open multipart": mediator.client.post("/open", content=multipart_chunks(),
                                               headers=multipart),
        "join": mediator.client.post("/join", content=_chunks(), headers=form),
        "sharing": mediator.client.post(f"/n/{mediator.n}/sharing", content=_chunks(),
                                        headers=form),
        "import": mediator.client.post(f"/n/{mediator.n}/preferences/import",
                                       content=multipart_chunks(), headers=multipart),
    }
    for route, response in cases.items():
        assert response.status_code == 413, (route, response.status_code, response.text[:200])
        assert response.headers["x-frame-options"] == "DENY", route
        assert "content-security-policy" in response.headers, route
    declared = mediator.client.post("/open", content=b"a=" + b"y" * (2 << 20), headers=form)
    assert declared.status_code == 413 and declared.headers["x-frame-options"] == "DENY"
    assert mediator.get("api/state").status_code == 200  # the room is still there


# ---------------------------------------------------------------- defect 6c: 500s

def _failing(app, monkeypatch) -> Person:
    """A signed-in mediator, and a page and a route that fail with an unexpected error."""
    from accord.room import services

    mediator = Person(app)
    mediator.open()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "roster", broken)
    return mediator


def test_a_500_has_the_security_headers(app, monkeypatch):
    mediator = _failing(app, monkeypatch)
    for response in (mediator.get(""), mediator.get("", headers={"accept": "text/html"}),
                     mediator.get("api/state")):
        assert response.status_code == 500
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "boom" not in response.text and "Traceback" not in response.text
        assert response.json() == {"error": "internal error (logged on the server)"}


@pytest.fixture
def live(app):
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def test_uvicorn_keeps_the_connection_after_a_500(app, live, monkeypatch):
    mediator = _failing(app, monkeypatch)
    cookie = mediator.client.cookies.get(auth.COOKIE)
    connection = http.client.HTTPConnection("127.0.0.1", live, timeout=10)
    try:
        for _ in range(3):
            connection.request("GET", f"/n/{mediator.n}/api/state",
                               headers={"cookie": f"{auth.COOKIE}={cookie}"})
            response = connection.getresponse()
            body = response.read()
            assert response.status == 500, body
            assert response.getheader("x-frame-options") == "DENY"
            assert response.getheader("content-security-policy")
            assert (response.getheader("connection") or "").lower() != "close"
            sock = connection.sock
            assert sock is not None
            connection.request("GET", "/")
            after = connection.getresponse()
            after.read()
            assert after.status == 200
            assert connection.sock is sock  # the same connection served both
    finally:
        connection.close()


def test_room_still_links_invitation_tokens_that_need_no_escaping(app):
    """The join page's token field keeps a real token intact (the helper's regex reads it)."""
    mediator = Person(app)
    mediator.open()
    link = mediator.invite("Plain")
    page = Person(app).client.get(link)
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    assert link.endswith("/join/" + token)
