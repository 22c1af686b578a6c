"""The negotiation's decision rule (issue 18 in the room): set by the mediator when opening
it (form fields, JSON in the form, or carried over from the scenario), validated by the
engine at the door, stored (NULL: unanimity, as before), shown in words (escaped), and
every engine question of the room answered under it; the coalition carrying a passing
package reaches the mediator only as the disclosure policy allows, and no delegation
reads more than before. On SQLite and PostgreSQL (see tests/room_helpers.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis.stateful import invariant, run_state_machine_as_test
from room_helpers import Person, app, form_csrf, postgres_url  # noqa: F401 (fixtures)
from sqlalchemy import select, text
from test_room_leak_sequences import SETTINGS, machine_for

from accord.room.db import Negotiation

THREE = """\
id: three
title: Three delegations
issues:
  - id: ceasefire
    title: Ceasefire
    options: [{id: immediate, label: immediate}, {id: phased, label: phased}, {id: none, label: none}]
  - id: sanctions
    title: Sanctions
    options: [{id: lifted, label: lifted}, {id: kept, label: kept}]
parties:
  - {id: north, name: North}
  - {id: south, name: South}
  - {id: east, name: East}
"""
PREFERENCES = {
    # North rules out no ceasefire at all, South any ceasefire: unanimity has no text.
    "north": {"reservation": 0.1, "preferences": {
        "ceasefire": {"salience": 1.0, "valuations": {"immediate": 1.0, "phased": 0.8,
                                                      "none": 0.0}, "red_lines": ["none"]}}},
    "south": {"reservation": 0.1, "preferences": {
        "ceasefire": {"salience": 0.5, "valuations": {"immediate": 0.0, "phased": 0.0,
                                                      "none": 1.0},
                      "red_lines": ["immediate", "phased"]},
        "sanctions": {"salience": 0.5, "valuations": {"lifted": 1.0, "kept": 0.0}}}},
    # East accepts only no ceasefire: the one passing coalition is South and East.
    "east": {"reservation": 0.5, "preferences": {
        "ceasefire": {"salience": 1.0, "valuations": {"immediate": 0.0, "phased": 0.0,
                                                      "none": 1.0}}}},
}
QUORUM = {"at_least": 2}


def open_room(app, scenario: str = THREE, headers: dict | None = None, **fields: str):
    """The mediator's POST /open with an uploaded scenario and form `fields`."""
    mediator = Person(app)
    csrf = form_csrf(mediator.client.get("/").text)
    files = {"scenario": ("s.yaml", scenario.encode(), "application/yaml")} if scenario else None
    response = mediator.client.post("/open", data={"csrf": csrf, "title": "Talks", **fields},
                                    files=files, headers=headers)
    return mediator, response


def opened(app, scenario: str = THREE, **fields: str) -> Person:
    mediator, response = open_room(app, scenario, **fields)
    assert response.status_code == 200, response.text
    mediator.n = str(response.url).rstrip("/").split("/n/")[1]
    mediator._signed_in()
    return mediator


def seated(app, mediator: Person, preferences: dict = PREFERENCES) -> dict[str, Person]:
    """Every delegation joins from its link and enters its preferences (shares nothing)."""
    delegations = {}
    for seat in mediator.state["roster"]:
        if seat["role"] != "delegation":
            continue
        page = mediator.form(f"members/{seat['id']}/invite", {}).text
        person = Person(app).join(re.search(r"(/join/[\w-]+)", page).group(1))
        stored = person.post("api/preferences", preferences[seat["party"]])
        assert stored.status_code == 200, stored.text
        delegations[seat["party"]] = person
    return delegations


def rule_line(page: str) -> str:
    return re.search(r'<p class="rule" id="rule">.*?</p>', page, re.S).group(0)


def zone_line(page: str) -> str:
    return re.search(r'<section class="zone[^"]*" id="zone">.*?<form', page, re.S).group(0)


# ---------------------------------------------------------------- opening with a rule


@pytest.mark.parametrize("fields", [
    {"at_least": "2", "required": "east"},
    {"at_least": " 2 ", "required": " east, "},
    {"rule": '{"at_least": 2, "required": ["east"]}'},
    {"rule": '{"at_least": "2", "required": [" east "]}'},
])
def test_the_mediator_opens_with_a_rule_stored_as_the_engine_reads_it(app, fields):
    mediator = opened(app, **fields)
    assert mediator.state["rule"] == {"at_least": 2, "required": ["east"]}
    assert rule_line(mediator.get("").text) == (
        '<p class="rule" id="rule"><strong>Decision rule:</strong> at least 2 of 3 parties; '
        "including East.</p>")
    with app.state.db.transaction() as s:
        stored = s.execute(select(Negotiation.rule).where(Negotiation.id == mediator.n))
    assert stored.scalar_one() == {"at_least": 2, "required": ["east"]}
    delegations = seated(app, mediator)
    for person in delegations.values():  # public: every delegation reads it
        assert person.state["rule"] == {"at_least": 2, "required": ["east"]}
        assert "at least 2 of 3 parties; including East" in rule_line(person.get("").text)
    exported = mediator.get("export").json()["scenario"]
    assert exported["rule"] == {"at_least": 2, "required": ["east"]}


def test_names_and_notes_in_the_rule_are_escaped(app):
    hostile = THREE.replace("{id: south, name: South}",
                            '{id: south, name: "<script>alert(1)</script>"}')
    mediator = opened(app, hostile, rule='{"required": ["south"], "note": "<b>art. 5</b>"}')
    delegations = seated(app, mediator)
    for page in (mediator.get("").text, delegations["north"].get("").text):
        line = rule_line(page)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in line
        assert "&lt;b&gt;art. 5&lt;/b&gt;" in line
        assert "<script>alert" not in page and "<b>art. 5" not in page


@pytest.mark.parametrize("fields, field", [
    ({"required": "nobody"}, "rule.required[0]: unknown party 'nobody'"),
    ({"at_least": "0"}, "rule.at_least"),
    ({"at_least": "4"}, "rule.at_least: 4 parties must agree"),
    ({"at_least": "abc"}, "rule.at_least"),
    ({"at_least": "true"}, "rule.at_least"),
    ({"at_least": "1e400"}, "rule.at_least"),
    ({"at_least": "-1"}, "rule.at_least"),
    ({"at_least": "9" * 40}, "rule.at_least"),
    ({"rule": '{"required": ["nobody"]}'}, "rule.required[0]: unknown party 'nobody'"),
    ({"rule": '{"at_least": 0}'}, "rule.at_least"),
    ({"rule": '{"at_least": 4}'}, "rule.at_least: 4 parties must agree"),
    ({"rule": '{"at_least": "abc"}'}, "rule.at_least"),
    ({"rule": '{"at_least": true}'}, "rule.at_least: true/false"),
    ({"rule": '{"at_least": 1e400}'}, "rule.at_least"),
    ({"rule": '{"at_least": -2}'}, "rule.at_least"),
    ({"rule": '{"at_least": 2.5}'}, "rule.at_least"),
    ({"rule": '{"at_least": 100000000000000000000000000000}'}, "too large"),
    ({"rule": '{"at_least": 4000000000}'}, "rule.at_least"),
    ({"rule": '{"at_least": [2]}'}, "rule.at_least"),
    ({"rule": '{"at_least": {"k": 2}}'}, "rule.at_least"),
    ({"rule": '{"required": "east"}'}, "rule.required"),
    ({"rule": '{"required": {"east": 1}}'}, "rule.required"),
    ({"rule": '{"required": [true]}'}, "rule.required[0]: true/false"),
    ({"rule": '{"required": [["east"]]}'}, "rule.required[0]"),
    ({"rule": "[2]"}, "rule: expected a mapping"),
    ({"rule": "2"}, "rule: expected a mapping"),
    ({"rule": "true"}, "rule: true/false"),
    ({"rule": '"at least 2"'}, "rule: expected a mapping"),
    ({"rule": "{}"}, "rule: a rule needs at least one of"),
    ({"rule": '{"at_least": 2, "quorum": 1}'}, "rule.quorum: unknown field"),
    ({"rule": '{"issues": {"nowhere": {"at_least": 2}}}'}, "rule.issues.nowhere"),
    ({"rule": '{"thresholds": [{"weight": "members", "share": 0.5}]}'}, "rule.thresholds"),
    ({"rule": '{"issues": {"ceasefire": {"thresholds": [{"weight": "capability", '
              '"share": 0.5}]}}}'}, "rule.issues.ceasefire.thresholds"),
    ({"rule": '{"at_least": 2'}, "rule: expected JSON"),
    ({"rule": '{"note": "a\\u0000b", "at_least": 2}'}, "NUL"),
    ({"rule": "[" * 100 + "]" * 100}, "nested deeper"),
    ({"rule": '{"at_least": 2}', "at_least": "2"}, "not both"),
    ({"rule": '{"at_least": 2, "note": "%s"}' % ("n" * 30_000)}, "longer than 20000"),
    ({"required": "x, " * 100_000}, "longer than 20000"),  # refused before the engine's work
])
def test_a_malformed_rule_is_422_naming_the_field(app, fields, field):
    _, response = open_room(app, **fields)
    assert response.status_code == 422, (response.status_code, response.text[:300])
    assert field in response.json()["error"], response.json()
    assert "Traceback" not in response.text
    _, page = open_room(app, headers={"accept": "text/html"}, **fields)  # a browser's
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "<script" not in page.text.split("</head>")[1]


def test_a_rule_needs_the_delegations_known_at_opening(app):
    mediator, response = open_room(app, scenario="", issues="A: b; c", at_least="1")
    assert response.status_code == 422
    assert "open the negotiation from a scenario" in response.json()["error"]


# ---------------------------------------------------------------- the engine under the rule


def test_a_quorum_passes_where_unanimity_is_blocked(app):
    unanimity = opened(app)
    seated(app, unanimity)
    assert unanimity.get("api/zone").json() == {"verdict": "no", "waiting_for": []}
    assert "no package satisfies every delegation" in zone_line(unanimity.get("").text)

    mediator = opened(app, rule='{"at_least": 2}')
    delegations = seated(app, mediator)
    zone = mediator.get("api/zone").json()
    # Nothing shared, nothing disclosed: the delegation left out is counted, and so are
    # the carriers (their names would name it by elimination).
    assert zone == {"verdict": "yes", "waiting_for": [], "under_rule": True, "coalition": {
        "carried_by": [], "carriers": 2, "delegations": 3, "left_out": [],
        "left_out_undisclosed": 1}}
    page = mediator.get("").text
    line = zone_line(page)
    assert "a package passes under the decision rule" in line
    assert "carried by 2 of 3 delegations; left out: 1 delegation whose demands are " \
        "undisclosed" in line
    assert "at least 2 of 3 parties" in rule_line(page)
    assert mediator.get("api/impasse").json() == {"impasse": None}
    proposal = mediator.post("api/propose").json()
    assert proposal["package"]["ceasefire"] == "none", proposal
    form = mediator.form("propose", {})
    assert form.status_code == 200 and "pass under the decision rule" in form.text

    # North shares its red lines: the package crosses one, so North may be named, and
    # with no one left out unnamed the carriers are named too.
    assert delegations["north"].post("api/sharing", ["red_lines"]).status_code == 200
    coalition = mediator.get("api/zone").json()["coalition"]
    assert coalition == {"carried_by": ["South", "East"], "carriers": 2, "delegations": 3,
                         "left_out": ["North"], "left_out_undisclosed": 0}
    line = zone_line(mediator.get("").text)
    assert re.search(r'carried by <span class="carrier">South</span>, '
                     r'<span class="carrier">East</span>; left out: '
                     r'<span class="named-delegation">North</span>', line), line

    # No delegation reads the verdict or the coalition, only the rule (and, once a draft
    # is out, that none of its demands is in the way: a package passes).
    assert mediator.post("api/drafts", {"title": "Agenda", "options": {}}).is_success
    for person in delegations.values():
        assert person.get("api/zone").status_code == 403
        page = person.get("").text
        assert "carried by" not in page and "left out" not in page and 'id="zone"' not in page
        assert person.get("api/impasse").json() == {"impasse": None}


def test_under_a_rule_what_blocks_a_package_from_passing(app):
    """East must agree and accepts only no ceasefire, which North's red line rules out:
    with North required too, nothing passes; North's red line is what blocks it."""
    mediator = opened(app, required="north, east")
    delegations = seated(app, mediator)
    assert mediator.post("api/drafts", {"title": "Agenda", "options": {}}).is_success
    zone = mediator.get("api/zone").json()
    assert zone["verdict"] == "no" and zone["under_rule"] and zone["coalition"] is None
    page = mediator.get("").text
    assert "no package passes under the decision rule" in zone_line(page)
    assert "let a package pass under the decision rule" in page
    assert "including North, East" in rule_line(page)
    view = mediator.get("api/impasse").json()["impasse"]
    assert view["blocking"] and all(d == {"kind": "undisclosed"}
                                    for s in view["blocking"] for d in s)
    assert view["candidates"]
    # Each delegation reads only its own demands in the way, as before: North's red line.
    north = delegations["north"].get("api/impasse").json()["impasse"]
    assert {"kind": "red-line", "point": "ceasefire", "options": ["none"]} in [
        {k: d[k] for k in ("kind", "point", "options")} for d in north["mine"]], north
    page = delegations["north"].get("").text
    section = re.search(r'<section[^>]*id="my-demands".*?</section>', page, re.S).group(0)
    assert "No text passes under the decision rule" in section and "let a text pass" in section
    for person in delegations.values():
        for demand in (person.get("api/impasse").json()["impasse"] or {}).get("mine", []):
            assert set(demand) == {"kind", "point", "options", "opens"}


def test_a_rule_that_only_everyone_meets_is_unanimity(app):
    mediator = opened(app, at_least="3")
    seated(app, mediator)
    page = mediator.get("").text
    assert "unanimity: every party must agree" in rule_line(page)
    assert mediator.get("api/zone").json() == {"verdict": "no", "waiting_for": []}
    assert "no package satisfies every delegation" in zone_line(page)


def test_a_revoked_required_delegation_leaves_no_package_passing_and_no_500(app):
    mediator = opened(app, rule='{"at_least": 2, "required": ["north"]}')
    delegations = seated(app, mediator)
    north = delegations["north"].state["member"]
    assert mediator.post(f"api/members/{north}/revoke").status_code == 200
    zone = mediator.get("api/zone").json()
    assert zone["verdict"] == "unavailable" and "revoked" in zone["reason"], zone
    page = mediator.get("")
    assert page.status_code == 200 and "a delegation it names or counts on was revoked" in \
        rule_line(page.text)
    for path in ("api/impasse", "export", "current", "concessions"):
        assert mediator.get(path).status_code == 200, path
    assert mediator.post("api/propose").json()["package"] is None
    assert delegations["south"].get("").status_code == 200


# ---------------------------------------------------------------- carried over from a scenario


def with_rule(rule: str) -> str:
    return THREE + rule


def test_a_scenarios_rule_is_carried_over_and_a_given_rule_replaces_it(app):
    mediator = opened(app, with_rule("rule: {at_least: 2, required: [south], note: art. 9}\n"))
    assert mediator.state["rule"] == {"at_least": 2, "required": ["south"], "note": "art. 9"}
    assert "at least 2 of 3 parties; including South (art. 9)." in rule_line(
        mediator.get("").text)
    replaced = opened(app, with_rule("rule: {at_least: 2, required: [south]}\n"),
                      at_least="3")
    assert replaced.state["rule"] == {"at_least": 3}
    kept = opened(app, with_rule("rule: {required: [south]}\n"), parties="south, east")
    assert kept.state["rule"] == {"required": ["south"]}
    assert [s["party"] for s in kept.state["roster"] if s["role"] == "delegation"] == [
        "south", "east"]


@pytest.mark.parametrize("rule, fields, field", [
    ("rule: {required: [north]}\n", {"parties": "south, east"},
     "rule.required[0]: unknown party 'north'"),
    ("rule: {at_least: 3}\n", {"parties": "south, east"}, "rule.at_least"),
    ("rule: {thresholds: [{weight: members, share: 0.6}]}\n", {}, "rule.thresholds"),
])
def test_a_scenarios_rule_that_does_not_fit_the_room_is_422(app, rule, fields, field):
    _, response = open_room(app, with_rule(rule), **fields)
    assert response.status_code == 422, response.text
    message = response.json()["error"]
    assert message.startswith("the scenario's decision rule") and field in message, message


# ---------------------------------------------------------------- before rules existed


def test_an_old_negotiation_without_a_rule_behaves_as_before(app):
    mediator = Person(app)
    mediator.open()
    assert mediator.state["rule"] is None
    with app.state.db.transaction() as s:
        stored = s.execute(text("SELECT rule IS NULL FROM negotiations WHERE id = :n"),
                           {"n": mediator.n}).scalar_one()
    assert stored  # SQL NULL, as every negotiation opened before the column existed
    page = mediator.get("").text
    assert "unanimity: every party must agree" in rule_line(page)
    zone = mediator.get("api/zone").json()
    assert zone == {"verdict": "incomplete", "waiting_for": ["at least one delegation"]}
    assert "rule" not in mediator.get("export").json()["scenario"]


THREE_ISSUES = [
    {"id": "ceasefire", "title": "Ceasefire", "text": "",
     "options": [{"id": o, "label": o} for o in ("immediate", "phased", "none")]},
    {"id": "sanctions", "title": "Sanctions", "text": "",
     "options": [{"id": o, "label": o} for o in ("lifted", "kept")]}]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_negotiation_from_before_rules_upgrades_to_unanimity(tmp_path, kind):
    """A room at schema 0007 (no rule column) upgrades: its negotiation's rule is NULL and
    the engine answers it as before, under unanimity."""
    import json

    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config
    from fastapi.testclient import TestClient
    from room_helpers import drop_schema, postgres_schema_url, skip_without_postgres

    from accord.room import auth, create_app
    from accord.room.db import MIGRATIONS, Database, Member

    schema = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        found = postgres_schema_url()
        if found is None:
            skip_without_postgres()
        url, schema = found
    try:
        database = Database(url)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0007")
            connection.execute(sa.text(
                "INSERT INTO negotiations (id, title, issues, created_at) "
                "VALUES ('old', 'Old', :issues, CURRENT_TIMESTAMP)"),
                {"issues": json.dumps(THREE_ISSUES)})
            for role, party in (("mediator", None), ("delegation", "north"),
                                ("delegation", "south"), ("delegation", "east")):
                connection.execute(sa.text(
                    "INSERT INTO members (negotiation_id, role, name, party_id, preferences, "
                    "shared, created_at, joined_at) VALUES ('old', :role, :name, :party, "
                    ":prefs, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                    {"role": role, "name": (party or "mediator").title(), "party": party,
                     "prefs": json.dumps(PREFERENCES[party]) if party else None})
        database.dispose()
        app = create_app(url)  # migrates to the newest schema
        try:
            with app.state.db.transaction(write=True) as s:
                assert s.execute(sa.text("SELECT rule IS NULL FROM negotiations")).scalar()
                mediator = s.scalars(sa.select(Member).where(Member.role == "mediator")).one()
                cookie, _ = auth.start_session(s, mediator)
            client = TestClient(app)
            client.cookies.set(auth.COOKIE, cookie)
            assert client.get("/n/old/api/state").json()["rule"] is None
            assert client.get("/n/old/api/zone").json() == {"verdict": "no", "waiting_for": []}
            assert client.get("/n/old/api/impasse").json()["impasse"]["blocking"]
            page = client.get("/n/old").text
            assert "no package satisfies every delegation" in zone_line(page)
            assert "unanimity: every party must agree" in rule_line(page)
            assert "open a zone of agreement" in page
        finally:
            app.state.drafts.stop()
            app.state.db.dispose()
    finally:
        if schema is not None:
            drop_schema(schema)


# ---------------------------------------------------------------- leak sequences under a rule

LEAK_RULE = '{"at_least": 2, "required": ["alpha"]}'
LEAK_SCENARIO = """\
id: leak
title: Leak sequences
issues:
  - id: ceasefire
    title: Ceasefire
    options: [{id: immediate, label: immediate}, {id: phased, label: phased}, {id: none, label: none}]
  - id: sanctions
    title: Sanctions
    options: [{id: lifted, label: lifted}, {id: eased, label: eased}, {id: kept, label: kept}]
parties:
  - {id: alpha, name: Alpha}
  - {id: beta, name: Beta}
  - {id: gamma, name: Gamma}
"""
RULE_COUNTS = {"coalitions": 0, "named": 0}


def open_under_a_rule(app, mediator: Person) -> dict[str, Person]:
    """The leak machine's negotiation opened from a scenario under LEAK_RULE: its three
    parties are the delegations, each joins from its link."""
    csrf = form_csrf(mediator.client.get("/").text)
    response = mediator.client.post(
        "/open", data={"csrf": csrf, "title": "Talks", "rule": LEAK_RULE},
        files={"scenario": ("s.yaml", LEAK_SCENARIO.encode(), "application/yaml")})
    assert response.status_code == 200, response.text
    mediator.n = str(response.url).rstrip("/").split("/n/")[1]
    mediator._signed_in()
    joined = {}
    for seat in mediator.state["roster"]:
        if seat["role"] == "delegation":
            page = mediator.form(f"members/{seat['id']}/invite", {}).text
            joined[seat["name"]] = Person(app).join(re.search(r"(/join/[\w-]+)", page)
                                                    .group(1))
    return joined


def test_no_sequence_of_actions_leaks_under_a_rule(app):
    """The leak sequences (tests/test_room_leak_sequences.py) on a negotiation under a
    quorum with a veto player, plus: the coalition carrying a passing package names a
    delegation left out only as the disclosure policy allows, carriers only when no one
    left out is counted, and no delegation's page tells who carries anything."""
    base = machine_for(app, open_under_a_rule)

    class UnderARule(base):
        def _reservation(self) -> float:
            """Below every utility: a text passes when two delegations, Alpha one of them,
            find it within their red lines (no ceasefire with Beta, phased with Gamma)."""
            return -self._canary()

        @invariant()
        def the_coalition_is_told_only_as_each_delegation_allows(self) -> None:
            zone = self.mediator.get("api/zone").json()
            coalition = zone.get("coalition")
            may_name = {k for k, v in self.disclosure.items() if v != "nothing"}
            may_name |= self.red_lines_shared
            if coalition:
                RULE_COUNTS["coalitions"] += 1
                RULE_COUNTS["named"] += bool(coalition["left_out"] or coalition["carried_by"])
                assert set(coalition["left_out"]) <= may_name, (coalition, may_name)
                assert not coalition["carried_by"] or not coalition["left_out_undisclosed"]
                line = zone_line(self.mediator.get("").text)
                shown = re.findall(r'class="named-delegation">([^<]*)<', line)
                assert set(shown) <= may_name, shown
            for name, person in self.delegations.items():
                if name not in self.revoked:
                    page = person.get("").text
                    assert "carried by" not in page and "left out" not in page
                    assert "at least 2 of" in page or "unanimity" in page or \
                        "was revoked" in page

    run_state_machine_as_test(UnderARule, settings=SETTINGS)
    assert RULE_COUNTS["coalitions"] and RULE_COUNTS["named"], RULE_COUNTS  # exercised
