"""The negotiation room over HTTP: every role boundary, CSRF, tokens, limits, bad input.

Each test runs on SQLite (a file in tmp) and on PostgreSQL (a fresh schema per run,
dropped at the end; skipped, saying so, only when no server answers).
"""

from __future__ import annotations

import json

import pytest
from room_helpers import (
    SCENARIO_YAML,
    Person,
    form_csrf,
)

SECRET_A = 0.123457
SECRET_B = 0.987653




def prefs(secret: float, red: list[str] = ()) -> dict:
    return {"reservation": 0.05, "preferences": {
        "ceasefire": {"salience": 0.6, "valuations": {"immediate": secret, "phased": 0.5,
                                                      "none": 0.0}, "red_lines": list(red)},
        "sanctions": {"salience": 0.4, "valuations": {"lifted": 1.0, "eased": 0.4,
                                                      "kept": 0.0}, "red_lines": []}}}


@pytest.fixture
def room(app):
    """A negotiation with a mediator, delegations A and B, an observer, and draft 1."""
    mediator = Person(app)
    mediator.open()
    a = Person(app).join(mediator.invite("Alpha"))
    b = Person(app).join(mediator.invite("Beta"))
    observer = Person(app).join(mediator.invite("Press", "observer"))
    assert a.post("api/preferences", prefs(SECRET_A)).status_code == 200
    assert b.post("api/preferences", prefs(SECRET_B, ["none"])).status_code == 200
    assert a.post("api/sharing", ["salience"]).status_code == 200
    draft = mediator.post("api/drafts", {"title": "First", "options": {"ceasefire": "phased"},
                                         "texts": {"ceasefire": "A phased ceasefire."}})
    assert draft.json() == {"number": 1}
    assert a.post("api/drafts/1/answers", {"ceasefire": {"verdict": "accept",
                                                         "comment": "alpha-comment"}}).is_success
    assert b.post("api/drafts/1/answers", {"ceasefire": {"verdict": "reject",
                                                         "comment": "beta-comment"}}).is_success
    return mediator, a, b, observer


def member_id(person: Person) -> int:
    return person.state["member"]


def test_delegations_never_read_each_other(room):
    mediator, a, b, observer = room
    assert a.get(f"api/preferences/{member_id(b)}").status_code == 403
    assert b.get(f"api/preferences/{member_id(a)}").status_code == 403
    assert a.get(f"api/preferences/{member_id(a)}").json()["preferences"] == prefs(SECRET_A)
    assert b.get("api/drafts/1/answers").json()["answers"] == {
        str(member_id(b)): {"ceasefire": {"verdict": "reject", "comment": "beta-comment"}}}
    for page in ("", "current", "api/history", "api/state", "drafts/1/memo.md",
                 "drafts/1/memo.html"):
        text = b.get(page).text
        assert str(SECRET_A) not in text and "alpha-comment" not in text, page
        assert str(SECRET_B) not in a.get(page).text, page


def test_mediator_sees_only_what_was_shared(room):
    mediator, a, b, _ = room
    view_a = mediator.get(f"api/preferences/{member_id(a)}").json()["preferences"]
    assert view_a == {"shared": ["salience"], "preferences": {
        "ceasefire": {"salience": 0.6}, "sanctions": {"salience": 0.4}}}
    view_b = mediator.get(f"api/preferences/{member_id(b)}").json()["preferences"]
    assert view_b == {"shared": [], "preferences": {"ceasefire": {}, "sanctions": {}}}
    for text in (mediator.get("").text, mediator.get("api/history").text,
                 mediator.get("export").text):
        assert str(SECRET_A) not in text and str(SECRET_B) not in text
    answers = mediator.get("api/drafts/1/answers").json()["answers"]
    assert answers[str(member_id(a))]["ceasefire"]["verdict"] == "accept"
    assert answers[str(member_id(b))]["ceasefire"]["comment"] == "beta-comment"


def test_observer_sees_only_what_is_published(room):
    mediator, a, _, observer = room
    assert observer.get(f"api/preferences/{member_id(a)}").status_code == 403
    assert observer.get("api/drafts/1/answers").status_code == 403
    kinds = {e["kind"] for e in observer.get("api/history").json()["history"]}
    assert kinds <= {"opened", "draft-published", "signed-in"}
    page = observer.get("").text
    assert "A phased ceasefire." in page and "alpha-comment" not in page
    for path in ("api/zone", "export"):
        assert observer.get(path).status_code == 403
    assert observer.post("api/propose").status_code == 403


@pytest.mark.parametrize("who", ["delegation", "observer"])
def test_only_the_mediator_runs_the_negotiation(room, who):
    mediator, a, _, observer = room
    person = a if who == "delegation" else observer
    assert person.post("api/drafts", {"options": {}}).status_code == 403
    assert person.post("api/members", {"role": "delegation", "name": "X"}).status_code == 403
    assert person.get("api/zone").status_code == 403
    assert person.get("export").status_code == 403
    assert person.form(f"members/{member_id(a)}/invite", {}).status_code == 403


def test_only_delegations_state_preferences_and_answer(room):
    mediator, _, _, observer = room
    for person in (mediator, observer):
        assert person.post("api/preferences", prefs(0.5)).status_code == 403
        assert person.post("api/sharing", ["salience"]).status_code == 403
        assert person.post("api/drafts/1/answers",
                           {"ceasefire": {"verdict": "accept"}}).status_code == 403


def test_engine_answers_reveal_no_numbers(room):
    mediator, *_ = room
    zone = mediator.get("api/zone").json()
    assert zone == {"verdict": "yes", "waiting_for": []}
    proposal = mediator.post("api/propose").json()
    assert set(proposal) == {"package", "reason", "basis", "versus"}
    assert proposal["basis"] == "preferences" and proposal["versus"] is None
    assert proposal["package"]["ceasefire"] in {"immediate", "phased", "none"}
    assert proposal["package"]["ceasefire"] != "none"  # Beta's red line
    assert not any(ch.isdigit() for ch in json.dumps(proposal))
    page = mediator.form("propose", {}).text
    assert "The engine&#39;s proposal" in page or "engine's proposal" in page
    assert str(SECRET_A) not in page and str(SECRET_B) not in page


def test_zone_waits_for_every_delegation(app):
    mediator = Person(app)
    mediator.open()
    Person(app).join(mediator.invite("Gamma"))
    assert mediator.get("api/zone").json() == {"verdict": "incomplete", "waiting_for": ["Gamma"]}
    # without everyone's preferences the engine proposes from answers (none yet: it opens)
    proposal = mediator.post("api/propose").json()
    assert proposal["basis"] == "answers" and set(proposal["package"]) == {"ceasefire",
                                                                            "sanctions"}


def test_csrf_is_required_on_every_post(room):
    mediator, a, *_ = room
    assert a.post("api/preferences", prefs(0.5), csrf="").status_code == 403
    assert a.post("api/preferences", prefs(0.5), csrf=mediator.csrf).status_code == 403
    assert mediator.post("api/drafts", {"options": {}}, csrf="wrong").status_code == 403
    bad_form = a.client.post(f"/n/{a.n}/sharing", data={"share": "salience"})
    assert bad_form.status_code == 403
    assert Person(mediator.client.app).client.post(
        "/open", data={"title": "x", "issues": "A: b; c"}).status_code == 403


def test_invitation_token_works_once(app):
    mediator = Person(app)
    mediator.open()
    link = mediator.invite("Delta")
    Person(app).join(link)
    second = Person(app)
    page = second.client.get(link)
    token = page.text.split('name="token" value="')[1].split('"')[0]
    response = second.client.post("/join", data={"csrf": form_csrf(page.text), "token": token})
    assert response.status_code == 404


def test_reissued_invitation_replaces_the_old_one(app):
    mediator = Person(app)
    mediator.open()
    old = mediator.invite("Echo")
    member = [m for m in mediator.get("api/state").json()["roster"] if m["name"] == "Echo"][0]
    page = mediator.form(f"members/{member['id']}/invite", {})
    assert page.status_code == 200 and "/join/" in page.text
    stale = Person(app)
    join_page = stale.client.get(old)
    token = join_page.text.split('name="token" value="')[1].split('"')[0]
    assert stale.client.post("/join", data={"csrf": form_csrf(join_page.text),
                                            "token": token}).status_code == 404


def test_a_session_is_bound_to_its_negotiation(app):
    first, second = Person(app), Person(app)
    first.open()
    second.open()
    cookie = first.client.cookies.get("accord_session")
    stranger = Person(app)
    assert stranger.client.get(f"/n/{first.n}/api/state",
                               headers={"cookie": f"accord_session={cookie}"}).status_code == 200
    assert stranger.client.get(f"/n/{second.n}/api/state",
                               headers={"cookie": f"accord_session={cookie}"}).status_code == 401
    assert stranger.client.get(f"/n/{first.n}/api/state").status_code == 401
    assert stranger.client.get(f"/n/{first.n}/api/state",
                               headers={"cookie": f"accord_session={cookie}x"}).status_code == 401


def test_session_cookie_flags(app):
    person = Person(app)
    person.client.get("/")
    csrf = form_csrf(person.client.get("/").text)
    response = person.client.post("/open", data={"csrf": csrf, "title": "t", "issues": "A: b; c"},
                                  follow_redirects=False)
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=strict" in header and "path=/n/" in header
    assert response.headers["x-frame-options"] == "DENY"


def test_request_size_is_limited(room):
    mediator, a, *_ = room
    big = b"x" * (2 << 20)
    response = a.client.post(f"/n/{a.n}/api/preferences", content=big,
                             headers={"x-csrf-token": a.csrf, "content-type": "application/json"})
    assert response.status_code == 413

    def chunks():
        for _ in range(40):
            yield b"y" * 65536

    streamed = a.client.post(f"/n/{a.n}/api/preferences", content=chunks(),
                             headers={"x-csrf-token": a.csrf})
    assert streamed.status_code == 413


@pytest.mark.parametrize("body", [
    b"not json", json.dumps({"preferences": {"nope": {}}}).encode(),
    json.dumps({"preferences": {"ceasefire": {"salience": 1, "valuations": {"immediate": 2}}}}
               ).encode(),
    json.dumps({"reservation": "many", "preferences": {}}).encode(),
    json.dumps([1, 2]).encode(),
])
def test_bad_preferences_are_4xx(room, body):
    _, a, *_ = room
    response = a.client.post(f"/n/{a.n}/api/preferences", content=body,
                             headers={"x-csrf-token": a.csrf})
    assert response.status_code == 422 and "error" in response.json()


def test_other_bad_input_is_4xx(room):
    mediator, a, *_ = room
    assert a.post("api/drafts/1/answers", {"ceasefire": {"verdict": "maybe"}}).status_code == 422
    assert a.post("api/drafts/1/answers", {"nowhere": {"verdict": "accept"}}).status_code == 422
    assert a.post("api/drafts/9/answers", {"ceasefire": {"verdict": "accept"}}).status_code == 404
    assert a.get("api/drafts/x/answers").status_code == 422
    assert mediator.post("api/drafts", {"options": {"ceasefire": "never"}}).status_code == 422
    assert mediator.post("api/members", {"role": "king", "name": "X"}).status_code == 422
    assert a.client.get("/n/no-such-thing/api/state").status_code == 404
    assert a.get("drafts/1/memo.pdf").status_code == 404
    html = a.client.get(f"/n/{a.n}/drafts/7/memo.md", headers={"accept": "text/html"})
    assert html.status_code == 404 and "<html" in html.text and "Traceback" not in html.text
    upload = a.client.post(f"/n/{a.n}/preferences/import", data={"csrf": a.csrf},
                           files={"scenario": ("s.yaml", b"id: [unclosed", "application/yaml")})
    assert upload.status_code == 422


def test_forms_drive_the_whole_negotiation(app):
    mediator = Person(app)
    mediator.open(scenario=SCENARIO_YAML.encode())
    roster = mediator.state["roster"]
    assert [m["party"] for m in roster if m["role"] == "delegation"] == ["north", "south"]
    north_id = [m["id"] for m in roster if m["party"] == "north"][0]
    page = mediator.form(f"members/{north_id}/invite", {})
    link = page.text.split('value="')[-1].split('"')[0]
    north = Person(app).join(link)
    imported = north.client.post(f"/n/{north.n}/preferences/import", data={"csrf": north.csrf},
                                 files={"scenario": ("s.yaml", SCENARIO_YAML.encode(), "x")})
    assert imported.status_code == 200
    own = north.get(f"api/preferences/{north.state['member']}").json()["preferences"]
    assert own["reservation"] == 0.2 and own["preferences"]["ceasefire"]["salience"] == 0.7
    saved = north.form("preferences", {"reservation": "0.1", "salience-ceasefire": "1",
                                       "value-ceasefire-immediate": "0", "value-ceasefire-phased":
                                       "0.5", "value-ceasefire-none": "1",
                                       "red-ceasefire-immediate": "on"})
    assert saved.status_code == 200
    own = north.get(f"api/preferences/{north.state['member']}").json()["preferences"]
    assert own["preferences"] == {"ceasefire": {"salience": 1.0, "red_lines": ["immediate"],
                                                "valuations": {"immediate": 0.0, "phased": 0.5,
                                                               "none": 1.0}}}
    assert north.form("sharing", {"share": ["salience", "reservation"]}).status_code == 200
    published = mediator.form("drafts", {"title": "One", "option-ceasefire": "phased",
                                         "text-ceasefire": "Phased.", "option-sanctions": ""})
    assert published.status_code == 200 and "Draft 1: One" in published.text
    mediator.form("drafts", {"title": "Two", "option-ceasefire": "none"})
    answered = north.form("drafts/2/answers", {"verdict-ceasefire": "can-live-with",
                                               "comment-ceasefire": "if monitored"})
    assert answered.status_code == 200 and "checked" in answered.text
    dashboard = mediator.get("").text
    assert "can-live-with" in dashboard and "if monitored" in dashboard
    compared = mediator.get("drafts/2/compare/1").text
    assert "modified" in compared and "Phased." in compared
    memo = north.get("drafts/1/memo.md").text
    assert memo.startswith("# Talks") and "**Ceasefire**: phased." in memo
    exported = mediator.get("export").json()
    party = exported["scenario"]["parties"][0]
    assert party == {"id": "north", "name": "North", "reservation": 0.1}
    assert [d["id"] for d in exported["scenario"]["drafts"]] == ["draft-1", "draft-2"]
    kinds = [e["kind"] for e in exported["history"]]
    assert "preferences-changed" in kinds and "answered" in kinds
    changes = [e for e in exported["history"] if e["kind"] == "preferences-changed"]
    assert all(e["detail"] == {} for e in changes)
    from accord.model import Scenario

    assert Scenario.build(exported["scenario"]).parties[0].reservation == 0.1


def test_live_updates_stream_new_drafts(room):
    mediator, a, *_ = room
    with a.client.stream("GET", f"/n/{a.n}/events?since=0&seconds=1") as stream:
        body = "".join(stream.iter_text())
    assert "event: draft\ndata: 1" in body
    assert Person(mediator.client.app).client.get(f"/n/{a.n}/events").status_code == 401


def test_history_is_append_only_and_per_reader(room):
    mediator, a, b, _ = room
    own = [e for e in a.get("api/history").json()["history"] if e["kind"] == "preferences-changed"]
    assert own and own[0]["detail"]["preferences"] == prefs(SECRET_A)
    assert all(e["by"] in ("Beta", "Mediator", "") or e["kind"] in ("opened", "draft-published")
               for e in b.get("api/history").json()["history"])
    before = len(mediator.get("api/history").json()["history"])
    a.post("api/preferences", prefs(0.3))
    after = mediator.get("api/history").json()["history"]
    assert len(after) == before + 1 and after[-1]["kind"] == "preferences-changed"


def test_serve_is_a_cli_command():
    from typer.testing import CliRunner

    from accord.cli import app as cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "--database-url" in result.output


# ---------------------------------------------------------------- every endpoint, every role

A_SHARED, A_HIDDEN_VALUE, A_HIDDEN_RESERVATION = 0.613571, 0.724683, 0.0357913
B_SHARED_RESERVATION, B_HIDDEN_SALIENCE, B_HIDDEN_VALUE = 0.0481516, 0.462819, 0.835791
A_COMMENT, B_COMMENT = "alpha-secret-comment-7731", "beta-secret-comment-4471"
MARKERS = {"A salience (shared)": str(A_SHARED), "A valuation": str(A_HIDDEN_VALUE),
           "A reservation": str(A_HIDDEN_RESERVATION), "A comment": A_COMMENT,
           "B reservation (shared)": str(B_SHARED_RESERVATION),
           "B salience": str(B_HIDDEN_SALIENCE), "B valuation": str(B_HIDDEN_VALUE),
           "B comment": B_COMMENT}
MAY_SEE = {
    "mediator": {"A salience (shared)", "A comment", "B reservation (shared)", "B comment"},
    "A": {"A salience (shared)", "A valuation", "A reservation", "A comment"},
    "B": {"B reservation (shared)", "B salience", "B valuation", "B comment"},
    "observer": set(), "nobody": set()}
JSON_BODIES = {
    "api/preferences": prefs(0.5), "api/sharing": list(("salience", "valuations", "red_lines",
                                                         "reservation")),
    "api/members": {"role": "observer", "name": "Someone"},
    "api/drafts": {"title": "More", "options": {"ceasefire": "immediate"}},
    "api/drafts/{number}/answers": {"ceasefire": {"verdict": "accept", "comment": "again"}}}
PATH_VALUES = {"number": ["1"], "other": ["1"], "fmt": ["md", "html"], "token": ["no-token"]}


def app_routes(app) -> list[tuple[str, str]]:
    """Every (method, path template) the app answers, read from `app.routes` (included
    routers unfolded, mounts as one GET), so an endpoint added later is tried too."""
    from starlette.routing import Mount

    found = []

    def walk(routes, prefix=""):
        for route in routes:
            if hasattr(route, "original_router"):  # FastAPI's included router
                walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif hasattr(route, "routes") and not isinstance(route, Mount):
                walk(route.routes, prefix + getattr(route, "path", ""))
            elif isinstance(route, Mount):
                found.append(("GET", prefix + route.path + "/{static}"))
            else:
                found.extend((m, prefix + route.path) for m in sorted(route.methods - {"HEAD"}))

    walk(app.routes)
    return found


def _seed(mediator: Person, a: Person, b: Person) -> None:
    a_prefs = {"reservation": A_HIDDEN_RESERVATION, "preferences": {
        "ceasefire": {"salience": A_SHARED, "valuations": {"immediate": A_HIDDEN_VALUE,
                                                           "phased": 0.5, "none": 0.0},
                      "red_lines": ["none"]}}}
    b_prefs = {"reservation": B_SHARED_RESERVATION, "preferences": {
        "ceasefire": {"salience": B_HIDDEN_SALIENCE, "valuations": {"immediate": 0.0,
                                                                    "phased": B_HIDDEN_VALUE,
                                                                    "none": 1.0}}}}
    assert a.post("api/preferences", a_prefs).is_success
    assert a.post("api/sharing", ["salience"]).is_success
    assert b.post("api/preferences", b_prefs).is_success
    assert b.post("api/sharing", ["reservation"]).is_success
    for person, comment in ((a, A_COMMENT), (b, B_COMMENT)):
        assert person.post("api/drafts/1/answers", {"ceasefire": {
            "verdict": "can-live-with", "comment": comment}}).is_success


def _requests(method: str, template: str, callers: dict, members: dict):
    """The concrete requests trying one route: every value of each path parameter."""
    import itertools
    import re

    names = re.findall(r"{(\w+)}", template)
    values = {"n": [callers["mediator"].n], "member_id": [str(m) for m in members.values()],
              "static": ["room.js"], **PATH_VALUES}
    missing = [name for name in names if name not in values]
    assert not missing, f"{template}: say which values to try for {missing} in PATH_VALUES"
    for combo in itertools.product(*(values[name] for name in names)):
        path = template
        for name, value in zip(names, combo):
            path = path.replace("{" + name + "}", value)
        if method == "GET":
            params = {"since": 0, "seconds": 0.3} if template.endswith("/events") else None
            yield "get", path, {"params": params}
        else:
            short = template.removeprefix("/n/{n}/")
            yield "json", path, {"json": JSON_BODIES.get(short, {})}
            yield "form", path, {"data": {"title": "x", "name": "Someone", "role": "observer",
                                          "verdict-ceasefire": "accept", "share": "valuations",
                                          "option-ceasefire": "none"}}


def test_every_endpoint_as_every_role_leaks_nothing(app):
    """Plants unique numbers and comments in both delegations' preferences (shared and not)
    and answers, then calls every route of the app as the mediator, delegation A,
    delegation B, an observer and nobody, and searches every response body for what that
    caller may not see; each write is undone (re-seeded) before the next call."""
    mediator = Person(app)
    mediator.open()
    a = Person(app).join(mediator.invite("Alpha"))
    b = Person(app).join(mediator.invite("Beta"))
    observer = Person(app).join(mediator.invite("Press", "observer"))
    assert mediator.post("api/drafts", {"title": "First", "options": {}}).is_success
    _seed(mediator, a, b)
    nobody = Person(app)
    nobody.n = mediator.n
    callers = {"mediator": mediator, "A": a, "B": b, "observer": observer, "nobody": nobody}
    members = {who: p.state["member"] for who, p in callers.items() if who != "nobody"}
    routes = app_routes(app)
    assert ("POST", "/n/{n}/api/drafts/{number}/answers") in routes and len(routes) > 25
    seen, tried = {who: set() for who in callers}, set()
    # signing out and revoking put callers out: try them at the end
    last = [r for r in routes if r[1].endswith(("/logout", "/revoke"))]
    for method, template in [r for r in routes if r not in last] + last:
        for kind, path, kwargs in _requests(method, template, callers, members):
            for who, person in callers.items():
                client = person.client
                if kind == "get":
                    response = client.get(path, **kwargs)
                else:
                    headers = {"x-csrf-token": person.csrf}
                    data = kwargs.get("data")
                    if data is not None:
                        kwargs = {"data": {"csrf": person.csrf, **data}}
                    response = client.post(path, headers=headers, **kwargs)
                tried.add((method, template))
                body = response.text
                assert "Traceback" not in body and response.status_code != 500, (path, who)
                for marker, text in MARKERS.items():
                    if text in body:
                        assert marker in MAY_SEE[who], (
                            f"{who} got {marker} from {kind} {path} ({response.status_code})")
                        seen[who].add(marker)
                if method == "POST" and response.status_code < 400 and \
                        not template.endswith(("/logout", "/revoke")):
                    _seed(mediator, a, b)
    assert tried == set(routes)
    # the search is not vacuous: whoever may see a marker did get it from some endpoint
    assert seen["A"] == MAY_SEE["A"] and seen["B"] == MAY_SEE["B"]
    assert seen["mediator"] == MAY_SEE["mediator"]


def test_open_and_import_from_a_shipped_scenario(app):
    mediator = Person(app)
    home = mediator.client.get("/").text
    assert '<option value="ukraine-2025">' in home
    csrf = form_csrf(home)
    opened = mediator.client.post("/open", data={"csrf": csrf, "title": "T",
                                                 "shipped": "ukraine-2025",
                                                 "parties": "us, ukraine"})
    assert opened.status_code == 200, opened.text
    mediator.n = str(opened.url).rstrip("/").split("/n/")[1]
    mediator._signed_in()
    roster = mediator.state["roster"]
    assert [m["party"] for m in roster if m["role"] == "delegation"] == ["us", "ukraine"]
    for bad in ({"shipped": "atlantis"}, {"shipped": "ukraine-2025", "parties": "us, mars"}):
        refused = mediator.client.post("/open", data={"csrf": csrf, "title": "T", **bad})
        assert refused.status_code == 422, refused.text
        assert bad.get("parties", bad["shipped"]).split()[-1] in refused.text
    link = mediator.form(f"members/{roster[1]['id']}/invite", {}).text
    us = Person(app).join(link.split('value="')[-1].split('"')[0])
    assert us.form("preferences/import", {"shipped": "ukraine-2025"}).status_code == 200
    own = us.get(f"api/preferences/{us.state['member']}").json()["preferences"]
    assert len(own["preferences"]) == 18
    assert us.form("preferences/import", {"shipped": "atlantis"}).status_code == 422
