"""Who can get into a seat of the room (issue 15, defects 1 and 4), over sequences of actions.

No member, the mediator included, can obtain another member's session: a link is issued only
to a seat no one has joined; a member gets back in with its own recovery code (shown once,
stored hashed, replaced by every use); revoking a member is public, ends its sessions and
opens nothing. Each test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re

import pytest
from room_helpers import (
    Person,
    drop_schema,
    form_csrf,
    postgres_schema_url,
    skip_without_postgres,
)

from accord.room import create_app

SECRET = 0.314159
SECRET_RESERVATION = 0.271828




class Member(Person):
    """A Person that keeps the recovery code its first page showed it."""

    code = ""

    def open(self, *args, **kwargs) -> str:
        n = super().open(*args, **kwargs)
        self.code = shown_code(self.landing)
        return n

    def join(self, link: str) -> Member:
        super().join(link)
        self.code = shown_code(self.landing)
        return self

    def recover(self, code: str):
        """Post a recovery code from this browser's recovery page; the response."""
        page = self.client.get(f"/n/{self.n}/recover")
        assert page.status_code == 200, page.text
        return self.client.post(f"/n/{self.n}/recover",
                                data={"csrf": form_csrf(page.text), "code": code})

    def lose_cookies(self) -> None:
        self.client.cookies.clear()


def shown_code(html: str) -> str:
    found = re.search(r'id="recovery-code">([^<]+)<', html)
    assert found, "the page after joining shows the recovery code"
    return found.group(1)


def prefs(secret: float = SECRET) -> dict:
    return {"reservation": SECRET_RESERVATION, "preferences": {
        "ceasefire": {"salience": 0.6, "valuations": {"immediate": secret, "phased": 0.5,
                                                      "none": 0.0}, "red_lines": []},
        "sanctions": {"salience": 0.4, "valuations": {"lifted": 1.0, "eased": 0.4,
                                                      "kept": 0.0}, "red_lines": []}}}


@pytest.fixture
def room(app):
    """Mediator, delegation A (confidential preferences, nothing shared, an answer),
    delegation B, an observer, draft 1."""
    mediator = Member(app)
    mediator.open()
    a = Member(app).join(mediator.invite("Alpha"))
    b = Member(app).join(mediator.invite("Beta"))
    observer = Member(app).join(mediator.invite("Press", "observer"))
    assert a.post("api/preferences", prefs()).status_code == 200
    assert b.post("api/preferences", prefs(0.5)).status_code == 200
    assert mediator.post("api/drafts", {"title": "First",
                                        "options": {"ceasefire": "phased"}}).is_success
    assert a.post("api/drafts/1/answers", {"ceasefire": {
        "verdict": "accept", "comment": "alpha-private-comment"}}).is_success
    return mediator, a, b, observer


def member_id(person: Person) -> int:
    return person.state["member"]


def mediator_reads(mediator: Member, a: Member) -> list[str]:
    """Everything the mediator can fetch in the room (pages and API)."""
    gets = ["", "current", "api/state", f"api/preferences/{member_id(a)}", "api/history",
            "api/zone", "api/drafts/1/answers", "export", "drafts/1/memo.md",
            "drafts/1/memo.html", "drafts/1/compare/1"]
    texts = [mediator.get(path).text for path in gets]
    texts.append(mediator.post("api/propose").text)
    texts.append(mediator.form("propose", {}).text)
    return texts


def test_mediator_cannot_reinvite_a_joined_delegation(room):
    mediator, a, _, _ = room
    for attempt in (lambda: mediator.form(f"members/{member_id(a)}/invite", {}),
                    lambda: mediator.post(f"members/{member_id(a)}/invite")):
        response = attempt()
        assert response.status_code == 409, response.text
        assert "already joined" in response.text and "/join/" not in response.text
    # the mediator cannot make a link for its own seat either
    me = member_id(mediator)
    assert mediator.form(f"members/{me}/invite", {}).status_code == 403
    # nor sign in as A with a guessed recovery code
    assert mediator.recover(f"{member_id(a)}-{'x' * 24}").status_code == 403
    assert mediator.get("api/state").json()["member"] == me  # still only itself
    # and nothing it reads afterwards holds A's unshared data
    for text in mediator_reads(mediator, a):
        for secret in (str(SECRET), str(SECRET_RESERVATION)):
            assert secret not in text
    # A is untouched and still alone in its seat
    assert a.get("api/state").json()["member"] == member_id(a)
    assert a.get(f"api/preferences/{member_id(a)}").json()["preferences"]["reservation"] == \
        SECRET_RESERVATION
    signins = [e for e in a.get("api/history").json()["history"] if e["kind"] == "signed-in"]
    assert len(signins) == 1


def test_unjoined_member_can_still_get_a_new_link(app):
    mediator = Member(app)
    mediator.open()
    old = mediator.invite("Gamma")
    gamma = [m for m in mediator.get("api/state").json()["roster"] if m["name"] == "Gamma"][0]
    assert gamma["joined"] is False and gamma["revoked"] is False
    page = mediator.form(f"members/{gamma['id']}/invite", {})
    assert page.status_code == 200
    new = re.findall(r'value="([^"]*/join/[^"]*)"', page.text)[-1]
    stale = Member(app)
    join_page = stale.client.get(old)
    token = re.search(r'name="token" value="([^"]+)"', join_page.text).group(1)
    assert stale.client.post("/join", data={"csrf": form_csrf(join_page.text),
                                            "token": token}).status_code == 404
    Member(app).join(new)
    # once joined, no more links
    assert mediator.form(f"members/{gamma['id']}/invite", {}).status_code == 409


def test_delegation_recovers_with_its_code_and_the_old_code_dies(room):
    _, a, _, _ = room
    first = a.code
    assert re.fullmatch(r"\d+-[A-Za-z0-9_-]+", first)
    a.lose_cookies()
    assert a.get("api/state").status_code == 401
    assert f"/n/{a.n}/recover" in a.get("api/state").text
    response = a.recover(first)
    assert response.status_code == 200 and str(response.url).endswith(f"/n/{a.n}")
    second = shown_code(response.text)
    assert second != first
    state = a.get("api/state").json()
    assert state["member"] == a.state["member"]
    a.csrf = state["csrf"]
    assert a.get(f"api/preferences/{member_id(a)}").json()["preferences"]["reservation"] == \
        SECRET_RESERVATION
    assert a.post("api/drafts/1/answers", {"ceasefire": {"verdict": "reject",
                                                         "comment": ""}}).is_success
    # the code is shown once: a reload shows none
    assert 'id="recovery-code"' not in a.get("").text
    # the old code no longer works, from anywhere
    thief = Member(a.client.app)
    thief.n = a.n
    response = thief.recover(first)
    assert response.status_code == 403 and "accord_session" not in response.cookies
    assert thief.get("api/state").status_code == 401
    # the new one does, once
    a.lose_cookies()
    assert a.recover(second).status_code == 200
    assert a.get("api/state").json()["member"] == member_id(a)


def test_mediator_signs_out_and_gets_back_with_its_code(room):
    mediator, a, _, _ = room
    page = mediator.get("").text
    assert 'id="recovery-code"' not in page  # it was shown on the first page only
    assert mediator.form("logout", {}).status_code == 200
    assert mediator.get("").status_code == 401
    response = mediator.recover(mediator.code)
    assert response.status_code == 200
    assert 'id="zone"' in response.text or "Mediator" in response.text
    state = mediator.get("api/state").json()
    assert state["role"] == "mediator"
    mediator.csrf = state["csrf"]
    assert mediator.post("api/drafts", {"title": "Second", "options": {}}).json() == \
        {"number": 2}
    # its old code is spent; the new one it was shown works
    again = shown_code(response.text)
    mediator.lose_cookies()
    assert mediator.recover(mediator.code).status_code == 403
    assert mediator.recover(again).status_code == 200
    # a code is good only in its own negotiation
    other = Member(a.client.app)
    other.open()
    other.lose_cookies()
    other.n = mediator.n
    assert other.recover(other.code).status_code == 403
    assert other.get("api/state").status_code == 401


def test_a_signed_in_member_can_renew_its_code(room):
    _, a, _, _ = room
    old = a.code
    response = a.form("recovery-code", {})
    assert response.status_code == 200
    new = shown_code(response.text)
    assert new != old
    a.lose_cookies()
    assert a.recover(old).status_code == 403
    assert a.recover(new).status_code == 200


def test_revoking_ends_sessions_is_public_and_opens_nothing(room):
    mediator, a, b, observer = room
    a_id = member_id(a)
    assert b.post(f"api/members/{a_id}/revoke").status_code == 403
    assert observer.form(f"members/{a_id}/revoke", {}).status_code == 403
    response = mediator.form(f"members/{a_id}/revoke", {})
    assert response.status_code == 200 and "/join/" not in response.text
    assert "revoked" in response.text
    # the revoked member is out, everywhere, and its code does not bring it back
    for path in ("", "api/state", f"api/preferences/{a_id}"):
        assert a.get(path).status_code == 401
    assert a.post("api/drafts/1/answers", {"ceasefire": {"verdict": "reject",
                                                         "comment": ""}}).status_code == 401
    a.lose_cookies()
    assert a.recover(a.code).status_code == 403
    assert a.get("api/state").status_code == 401
    # everyone sees it: roster and history
    for person in (mediator, b, observer):
        roster = person.get("api/state").json()["roster"]
        assert [m["revoked"] for m in roster if m["id"] == a_id] == [True]
        kinds = [(e["kind"], e["detail"].get("member")) for e in
                 person.get("api/history").json()["history"]]
        assert ("member-revoked", "Alpha") in kinds
    for person in (b, observer):  # and on their pages
        assert re.search(r"<li>Alpha \(delegation, <strong[^>]*>revoked</strong>\)</li>",
                         person.get("").text)
    # no link is issued, now or later; revoking twice is refused
    assert mediator.form(f"members/{a_id}/invite", {}).status_code == 409
    assert mediator.post(f"api/members/{a_id}/revoke").status_code == 409
    assert mediator.post(f"api/members/{member_id(mediator)}/revoke").status_code == 403
    # the mediator still reads nothing of A's unshared data
    for text in mediator_reads(mediator, a):
        assert str(SECRET) not in text and str(SECRET_RESERVATION) not in text
    # the others carry on; the engine no longer waits for the revoked delegation
    assert b.get("api/state").status_code == 200
    assert mediator.get("api/zone").status_code == 200


def test_revoking_a_member_who_never_joined_voids_its_link(app):
    mediator = Member(app)
    mediator.open()
    link = mediator.invite("Delta")
    delta = [m for m in mediator.get("api/state").json()["roster"] if m["name"] == "Delta"][0]
    assert mediator.post(f"api/members/{delta['id']}/revoke").status_code == 200
    late = Member(app)
    page = late.client.get(link)
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    assert late.client.post("/join", data={"csrf": form_csrf(page.text),
                                           "token": token}).status_code == 404


def test_wrong_codes_give_no_session_and_never_crash(room):
    mediator, a, _, _ = room
    a.lose_cookies()
    wrong = [f"{member_id(a)}-{'A' * 24}", f"{member_id(mediator)}-{'b' * 30}", "", "   ",
             "1", "-", "x" * 5000, "9" * 40 + "-" + "a" * 20, "\u00e9\u00e8-\u00e7" * 3,
             f"{member_id(a)}-{a.code.split('-', 1)[1][::-1]}", a.code + "x",
             f"{member_id(a) + 1000}-{a.code.split('-', 1)[1]}", "0-" + "a" * 24,
             "<script>-aaaaaaaaaaaaaaaaaaaa", "1e3-" + "a" * 20, " " + "a" * 99,
             f"{member_id(a)}--{'a' * 20}", "\x00" * 10, "%00", f"{member_id(a)}-"]
    assert len(wrong) == 20
    for code in wrong:
        response = a.recover(code)
        assert 400 <= response.status_code < 500, (code, response.status_code)
        assert "accord_session" not in response.cookies
        assert a.get("api/state").status_code == 401
    # a missing CSRF token or an unknown negotiation is refused too
    assert a.client.post(f"/n/{a.n}/recover", data={"code": a.code}).status_code == 403
    assert a.client.get("/n/nosuchroom/recover").status_code == 404
    # and the right code still works after all that
    assert a.recover(a.code).status_code == 200
    assert a.get("api/state").json()["member"] == member_id(a)


def test_recovery_codes_are_stored_hashed(room):
    from sqlalchemy import select

    from accord.room.db import Member as Row

    mediator, a, _, _ = room
    with mediator.client.app.state.db.session() as s:
        rows = {r.id: r.recovery_hash for r in s.scalars(select(Row))}
    assert rows[member_id(a)].startswith("scrypt$")
    stored = " ".join(v or "" for v in rows.values())
    for code in (a.code, mediator.code):
        assert code not in stored and code.split("-", 1)[1] not in stored


def _colleague_join(app, link: str):
    person = Member(app)
    page = person.client.get(link)
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    response = person.client.post("/join", data={"csrf": form_csrf(page.text), "token": token})
    return person, response


def test_a_delegation_adds_a_colleague_to_its_own_seat(room):
    mediator, a, b, observer = room
    # only a delegation makes links, and only into its own seat: not the mediator
    assert mediator.form("colleagues", {}).status_code == 403
    assert observer.form("colleagues", {}).status_code == 403
    page = a.form("colleagues", {})
    assert page.status_code == 200
    link = re.search(r'id="colleague-link" readonly value="([^"]+)"', page.text).group(1)
    colleague, response = _colleague_join(a.client.app, link)
    assert response.status_code == 200 and 'id="recovery-code"' not in response.text
    colleague.n = a.n
    colleague._signed_in()
    assert colleague.state["member"] == member_id(a)
    assert colleague.get(f"api/preferences/{member_id(a)}").json()["preferences"][
        "reservation"] == SECRET_RESERVATION
    # the link works once; A's own code still works; the mediator learns nothing new
    again, response = _colleague_join(a.client.app, link)
    assert response.status_code == 404
    for text in mediator_reads(mediator, a):
        assert str(SECRET) not in text and str(SECRET_RESERVATION) not in text
    a.lose_cookies()
    assert a.recover(a.code).status_code == 200
    # B's colleague link leads into B's seat, never A's
    b_link = re.search(r'id="colleague-link" readonly value="([^"]+)"',
                       b.form("colleagues", {}).text).group(1)
    b_colleague, _ = _colleague_join(a.client.app, b_link)
    b_colleague.n = b.n
    b_colleague._signed_in()
    assert b_colleague.state["member"] == member_id(b)
    assert b_colleague.get(f"api/preferences/{member_id(a)}").status_code == 403
    # revoking A ends its colleague's session too, and voids an unused colleague link
    unused = re.search(r'id="colleague-link" readonly value="([^"]+)"',
                       colleague.form("colleagues", {"csrf": colleague.csrf}).text).group(1)
    assert mediator.post(f"api/members/{member_id(a)}/revoke").status_code == 200
    assert colleague.get("api/state").status_code == 401
    late, response = _colleague_join(a.client.app, unused)
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_existing_databases_upgrade(tmp_path, kind):
    """A room made before the access columns (schema 0001) upgrades: its mediator and every
    member who signed in count as joined (no link can be issued to them); a member still
    waiting for its link does not."""
    schema = None
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        found = postgres_schema_url()  # a fresh, empty schema of its own
        if found is None:
            skip_without_postgres()
        url, schema = found
    try:
        _upgrade_old_room(url)
    finally:
        if schema is not None:
            drop_schema(schema)


def _upgrade_old_room(url: str) -> None:
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from accord.room.db import MIGRATIONS, Database

    database = Database(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(sa.text("INSERT INTO negotiations (id, title, issues, created_at) "
                                   "VALUES ('old', 'Old', '[]', CURRENT_TIMESTAMP)"))
        for role, name, invite in (("mediator", "Mediator", None),
                                   ("delegation", "Joined", None),
                                   ("delegation", "Waiting", "0" * 64)):
            connection.execute(sa.text(
                "INSERT INTO members (negotiation_id, role, name, party_id, invite_hash, "
                "shared, created_at) VALUES ('old', :role, :name, :party, :invite, '[]', "
                "CURRENT_TIMESTAMP)"),
                {"role": role, "name": name, "invite": invite,
                 "party": None if role == "mediator" else name.lower()})
        joined = connection.execute(sa.text("SELECT id FROM members WHERE name = 'Joined'"))
        connection.execute(sa.text(
            "INSERT INTO events (negotiation_id, member_id, kind, detail, at) VALUES "
            "('old', :m, 'signed-in', '{}', CURRENT_TIMESTAMP)"), {"m": joined.scalar()})
    database.migrate()
    with database.engine.begin() as connection:
        rows = connection.execute(sa.text(
            "SELECT name, joined_at IS NOT NULL, revoked_at, recovery_hash, colleague_hash "
            "FROM members"))
        found = {name: (bool(joined), revoked, code, link)
                 for name, joined, revoked, code, link in rows}
    database.dispose()
    assert found == {"Mediator": (True, None, None, None), "Joined": (True, None, None, None),
                     "Waiting": (False, None, None, None)}
    with database.engine.begin() as connection:  # 0005 and 0006 gave old rows their defaults
        assert set(connection.execute(sa.text("SELECT disclosure FROM members"))) == \
            {("nothing",)}
        assert list(connection.execute(sa.text("SELECT due_at FROM drafts"))) == []
    database.dispose()
    create_app(url).state.db.dispose()  # a current database: migrating again is a no-op
