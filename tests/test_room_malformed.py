"""Issue 15, defects 3 and 5: every write is validated at the door with the engine's own
rules (one delegation cannot lock the mediator out), and malformed input is a 4xx, never a
5xx. Each test runs on SQLite and on PostgreSQL (see tests/room_helpers.py).
"""

from __future__ import annotations

import json

import pytest
from room_helpers import (
    Person,
    form_csrf,
)

from accord.room.db import Member

BIG_INTS = [2**31, 2**63 - 1, 2**63, 2**64, 10**30, -1]
"""Path integers the databases cannot hold (PostgreSQL INTEGER is 32-bit; SQLite 64-bit)."""




def prefs(reservation=0.1) -> dict:
    return {"reservation": reservation, "preferences": {
        "ceasefire": {"salience": 0.6, "valuations": {"immediate": 0.2, "phased": 0.5,
                                                      "none": 1.0}},
        "sanctions": {"salience": 0.4, "valuations": {"lifted": 1.0, "eased": 0.4,
                                                      "kept": 0.0}}}}


@pytest.fixture
def room(app):
    """A mediator, delegations North and South with preferences, and draft 1."""
    mediator = Person(app)
    mediator.open()
    north = Person(app).join(mediator.invite("North"))
    south = Person(app).join(mediator.invite("South"))
    assert north.post("api/preferences", prefs(0.1)).status_code == 200
    assert south.post("api/preferences", prefs(0.2)).status_code == 200
    assert mediator.post("api/drafts", {"title": "One", "options": {}}).status_code == 200
    return mediator, north, south


def mediator_pages_render(mediator: Person) -> dict:
    """Every page and engine question of the mediator answers 2xx; returns them."""
    answers = {"page": mediator.get(""), "current": mediator.get("current"),
               "zone": mediator.get("api/zone"), "propose": mediator.post("api/propose"),
               "propose-form": mediator.form("propose", {})}
    for name, response in answers.items():
        assert response.status_code == 200, (name, response.status_code, response.text[:300])
    return answers


def assert_4xx(response, *statuses: int) -> None:
    allowed = statuses or tuple(range(400, 500))
    assert response.status_code in allowed, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text


# ---------------------------------------------------------------- defect 3: the lock-out

@pytest.mark.parametrize("reservation", [5e9, -5e9, 1e9 + 1])
def test_a_reservation_the_engine_refuses_is_refused_at_the_write(room, reservation):
    mediator, north, south = room
    response = south.post("api/preferences", prefs(reservation))
    assert_4xx(response, 422)
    assert "reservation" in response.json()["error"]
    form = {"reservation": str(reservation), "salience-ceasefire": "0.5",
            "value-ceasefire-immediate": "1", "value-ceasefire-phased": "0",
            "value-ceasefire-none": "0"}
    assert_4xx(south.form("preferences", form), 422)
    # nothing was stored: South keeps its earlier preferences, the mediator is not locked out
    assert south.get(f"api/preferences/{south.state['member']}").json()["preferences"][
        "reservation"] == 0.2
    answers = mediator_pages_render(mediator)
    assert answers["zone"].json()["verdict"] in ("yes", "no")
    assert answers["propose"].json()["package"] is not None


def test_a_sequence_of_bad_writes_never_locks_the_mediator_out(room):
    mediator, north, south = room
    bad = [{"reservation": 5e9}, {"reservation": "1" * 400},
           {"preferences": {"ceasefire": {"salience": 1e12, "valuations": {
               "immediate": 0.5, "phased": 0.5, "none": 0.5}}}},
           {"preferences": {"ceasefire": {"salience": 1, "valuations": {
               "immediate": 0.5, "phased": 0.5, "none": 0.5},
               "red_lines": ["immediate", "phased", "none"]}}}]
    for body in bad:
        for person in (north, south):
            assert_4xx(person.post("api/preferences", body), 422)
            mediator_pages_render(mediator)


def test_every_option_a_red_line_is_refused_naming_the_field(room):
    _, north, _ = room
    body = prefs()
    body["preferences"]["ceasefire"]["red_lines"] = ["immediate", "phased", "none"]
    response = north.post("api/preferences", body)
    assert_4xx(response, 422)
    assert "preferences.ceasefire.red_lines" in response.json()["error"]


def test_duplicate_option_ids_are_refused_at_opening(app):
    mediator = Person(app)
    csrf = form_csrf(mediator.client.get("/").text)
    response = mediator.client.post("/open", data={"csrf": csrf, "title": "Typo",
                                                   "issues": "Vote: Yes; yes; no"})
    assert_4xx(response, 422)
    assert "duplicate option id 'yes'" in response.text


def test_stored_data_the_engine_cannot_use_is_named_on_the_mediator_pages(room):
    """Data stored before the checks existed (or by any other path): the mediator's pages
    still render and say whose data stops the engine, never the number itself."""
    mediator, north, south = room
    with mediator.client.app.state.db.session() as s, s.begin():
        member = s.get(Member, south.state["member"])
        member.preferences = {**member.preferences, "reservation": 5e9}
    answers = mediator_pages_render(mediator)
    zone = answers["zone"].json()
    assert zone["verdict"] == "unavailable"
    assert "the engine cannot run" in zone["reason"] and "South" in zone["reason"]
    assert "reservation" in zone["reason"]
    proposal = answers["propose"].json()
    assert proposal["package"] is None and "South" in proposal["reason"]
    for name in ("page", "current", "propose-form"):
        assert "5000000000" not in answers[name].text and "5e9" not in answers[name].text
    assert "the engine cannot run" in answers["page"].text
    assert "South" in answers["propose-form"].text
    # South restates valid preferences: the engine runs again
    assert south.post("api/preferences", prefs(0.2)).status_code == 200
    assert mediator.get("api/zone").json()["verdict"] in ("yes", "no")


# ---------------------------------------------------------------- defect 5: no 5xx

def test_non_ascii_csrf_tokens_are_403(room):
    mediator, north, _ = room
    anon = Person(mediator.client.app)
    anon.client.get("/")
    for where in ("/open", "/join"):
        assert_4xx(anon.client.post(where, data={"csrf": "é✓", "token": "x"}), 403)
        assert_4xx(anon.client.post(where, content=b"csrf=%ED%A0%80%FF&token=%C3", headers={
            "content-type": "application/x-www-form-urlencoded"}), 403)
    other = Person(mediator.client.app)
    raw_cookie = {"cookie": b"accord_csrf=" + "é".encode()}
    assert_4xx(other.client.post("/open", data={"csrf": "é"}, headers=raw_cookie), 403)
    for person in (mediator, north):
        assert_4xx(person.client.post(f"/n/{person.n}/api/sharing", json=["salience"],
                                      headers={"x-csrf-token": "é✓".encode()}), 403)
        assert_4xx(person.client.post(f"/n/{person.n}/logout", data={"csrf": "é✓"}), 403)
        assert_4xx(person.client.post(f"/n/{person.n}/api/propose",
                                      headers={"x-csrf-token": b"\xff\xfe"}), 403)


@pytest.mark.parametrize("big", BIG_INTS)
def test_integers_out_of_range_in_a_path_are_4xx(room, big):
    mediator, north, _ = room
    for person, method, path in [
            (north, "get", f"api/drafts/{big}/answers"),
            (north, "get", f"api/drafts/{big}/whole"),
            (north, "post", f"api/drafts/{big}/whole"),
            (north, "get", f"api/preferences/{big}"),
            (north, "get", f"drafts/{big}/memo.md"),
            (north, "get", f"drafts/1/compare/{big}"),
            (north, "get", f"drafts/{big}/compare/1"),
            (north, "post", f"api/drafts/{big}/answers"),
            (north, "post", f"drafts/{big}/answers"),
            (mediator, "post", f"members/{big}/invite"),
            (mediator, "post", f"members/{big}/revoke"),
            (mediator, "post", f"api/members/{big}/revoke"),
            (mediator, "get", f"api/preferences/{big}")]:
        if method == "get":
            response = person.get(path)
        else:
            response = person.client.post(f"/n/{person.n}/{path}", data={"csrf": person.csrf},
                                          headers={"x-csrf-token": person.csrf})
        assert_4xx(response, 404, 422)


@pytest.mark.parametrize("path", ["api/preferences", "api/sharing", "api/members",
                                  "api/drafts", "api/drafts/1/answers", "api/drafts/1/whole"])
def test_deeply_nested_json_is_4xx(room, path):
    mediator, north, _ = room
    person = north if "preferences" in path or "answers" in path or "sharing" in path \
        or "whole" in path else mediator
    for depth in (40, 1000, 100_000):
        for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
            response = person.client.post(f"/n/{person.n}/{path}", content=body,
                                          headers={"x-csrf-token": person.csrf,
                                                   "content-type": "application/json"})
            assert_4xx(response, 400, 422)
    mediator_pages_render(mediator)


def test_a_reservation_of_400_digits_is_422(room):
    mediator, north, _ = room
    for digits in ("9" * 400, "-" + "9" * 400, "9" * 5000):
        body = '{"reservation": ' + digits + ', "preferences": {}}'
        response = north.client.post(f"/n/{north.n}/api/preferences", content=body,
                                     headers={"x-csrf-token": north.csrf,
                                              "content-type": "application/json"})
        assert_4xx(response, 400, 422)
        assert_4xx(north.form("preferences", {"reservation": digits}), 422)
    mediator_pages_render(mediator)


@pytest.mark.parametrize("body", [
    {"texts": ["a", "b"]}, {"texts": "ceasefire"}, {"texts": {"ceasefire": ["x"]}},
    {"options": {"ceasefire": ["immediate"]}}, {"options": ["ceasefire"]},
    {"options": {"ceasefire": {"id": "immediate"}}}, {"title": ["x"]}, [1, 2], "text",
    {"options": {"nowhere": "x"}}, {"options": {"ceasefire": "never"}}])
def test_malformed_drafts_are_422(room, body):
    mediator, *_ = room
    assert_4xx(mediator.post("api/drafts", body), 422)
    assert [d["number"] for d in mediator.get("api/state").json()["drafts"]] == [1]


BAD_TEXTS = ["\ud800", "a\udfffb", "nul\x00byte", "\x00"]


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_lone_surrogates_and_nul_bytes_are_422(room, text):
    mediator, north, _ = room
    encoded = json.dumps  # escapes both as \\uXXXX, so they reach the server as sent

    def post_json(person, path, body):
        return person.client.post(f"/n/{person.n}/{path}", content=encoded(body),
                                  headers={"x-csrf-token": person.csrf,
                                           "content-type": "application/json"})

    assert_4xx(post_json(north, "api/drafts/1/answers",
                         {"ceasefire": {"verdict": "accept", "comment": text}}), 422)
    assert_4xx(post_json(north, "api/drafts/1/answers",
                         {text: {"verdict": "accept"}}), 422)
    assert_4xx(post_json(mediator, "api/members", {"role": "observer", "name": text}), 422)
    assert_4xx(post_json(mediator, "api/drafts", {"title": text}), 422)
    assert_4xx(post_json(mediator, "api/drafts", {"texts": {"ceasefire": text}}), 422)
    assert_4xx(post_json(mediator, "api/drafts", {"options": {text: "x"}}), 422)
    assert_4xx(post_json(north, "api/sharing", [text]), 422)
    body = prefs()
    body["preferences"]["ceasefire"]["rationale"] = text
    assert_4xx(post_json(north, "api/preferences", body), 422)
    if "\x00" in text:  # a form cannot carry a lone surrogate, but it can carry a NUL
        assert_4xx(north.form("drafts/1/answers", {"verdict-ceasefire": "accept",
                                                   "comment-ceasefire": text}), 422)
        assert_4xx(mediator.form("members", {"role": "observer", "name": text}), 422)
        assert_4xx(mediator.form("drafts", {"title": text}), 422)
        csrf = form_csrf(mediator.client.get("/").text)
        assert_4xx(mediator.client.post("/open", data={"csrf": csrf, "title": text,
                                                       "issues": "A: b; c"}), 422)
        quoted = text.replace("\x00", "%00")
        assert_4xx(mediator.client.get(f"/n/{quoted}/api/state"), 404)
        assert_4xx(mediator.client.get(f"/n/{mediator.n}{quoted}/api/state"), 404)
    # nothing was stored and the room still works
    answers = mediator.get("api/drafts/1/answers").json()["answers"]
    assert all(text not in json.dumps(a) for a in answers.values())
    mediator_pages_render(mediator)


def test_odd_query_values_and_path_bytes_are_not_5xx(room):
    mediator, north, _ = room
    for seconds in ("nan", "-5", "0", "x"):
        response = north.get("events", params={"since": str(2**70), "seconds": seconds})
        assert response.status_code < 500, (seconds, response.status_code)
    for path in ("/join/%ED%A0%80", "/join/%00", "/join/" + "%FF" * 300,
                 f"/n/{mediator.n}%ED%A0%80/api/state", "/n/%00/api/zone"):
        response = mediator.client.get(path)
        assert response.status_code < 500, (path, response.status_code)
    mediator_pages_render(mediator)


def test_answers_on_the_whole_and_comparisons_refuse_odd_values(room):
    """The answer on a draft as a whole, red-line flags and a draft's `versus`, with odd
    types and values in JSON and forms: 4xx every time, and the pages still render."""
    mediator, north, _ = room
    assert mediator.post("api/drafts", {"options": {"ceasefire": "phased"}}).is_success
    assert mediator.post("api/drafts", {"options": {"ceasefire": "none"}, "versus": 2}
                         ).json() == {"number": 3}
    odd_json = [{"sign": "yes"}, {"sign": 1}, {"compared": "BETTER"}, {"compared": 1},
                {"priorities": "ceasefire"}, {"priorities": [1]}, {"priorities": [None]},
                {"priorities": ["ceasefire"] * 201}, {"priorities": ["x\u0000"]},
                {"extra": True}, [], "whole", {"priorities": ["ceasefire", "ceasefire"]}]
    for body in odd_json:
        assert_4xx(north.post("api/drafts/3/whole", body), 400, 422)
    assert_4xx(north.post("api/drafts/2/whole", {"compared": "same"}), 422)  # none asked
    for flag in ("yes", 1, None):
        assert_4xx(north.post("api/drafts/3/answers", {
            "ceasefire": {"verdict": "reject", "red_line": flag}}), 422)
    assert_4xx(north.post("api/drafts/3/answers", {
        "ceasefire": {"verdict": "accept", "red_line": True}}), 422)
    for versus in ("1", True, 1.5, -1, 0, 4, 2**40):
        assert_4xx(mediator.post("api/drafts", {"options": {}, "versus": versus}), 400, 422)
    for form in ({"sign": "maybe"}, {"rank-ceasefire": "0"}, {"rank-ceasefire": "١"},
                 {"rank-ceasefire": "9" * 50}, {"compared": "sideways", "whole": "1"}):
        assert_4xx(north.form("drafts/3/answers", form), 400, 422)
    for versus in ("x", "١", "9" * 40, "-1"):
        assert_4xx(mediator.form("drafts", {"title": "x", "versus": versus}), 400, 422)
    for best in ("maybe", "2"):
        assert_4xx(mediator.client.post(f"/n/{mediator.n}/api/propose?best={best}",
                                        headers={"x-csrf-token": mediator.csrf}), 422)
    mediator_pages_render(mediator)
