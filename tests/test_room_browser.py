"""The room in a real headless browser: the mediator publishes a draft and it appears, live,
on a delegation's page (server-sent events), in Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from pathlib import Path

import pytest
from test_report_browser import CHROMIUM, LAUNCH_ARGS, OUTPUT, _require_browser

from accord.room import create_app


@contextlib.contextmanager
def serving(room):
    """`room` under uvicorn in a thread on a free 127.0.0.1 port: its base URL."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(room, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    room = create_app(f"sqlite:///{tmp_path_factory.mktemp('room') / 'room.sqlite3'}")
    with serving(room) as base:
        yield base


def test_published_draft_appears_live_on_a_delegation_page(server):
    sync_api = _require_browser()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            _negotiate(browser, server)
        finally:
            browser.close()


def _negotiate(browser, base: str) -> None:
    problems: list[str] = []
    mediator = browser.new_context().new_page()
    mediator.on("pageerror", lambda error: problems.append(str(error)))
    mediator.goto(base + "/")
    mediator.fill("input[name=title]", "Browser talks")
    mediator.fill("textarea[name=issues]", "Ceasefire: immediate; phased\nSanctions: lifted; kept")
    mediator.click("text=Open the negotiation")
    mediator.wait_for_selector("#zone")
    dashboard = mediator.url
    mediator.fill("#add-member input[name=name]", "Alpha")
    mediator.click("#add-member button")
    link = mediator.input_value("#invitation-link")

    delegation = browser.new_context().new_page()
    delegation.on("pageerror", lambda error: problems.append(str(error)))
    delegation.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    delegation.goto(link)
    delegation.click("#join")
    delegation.wait_for_selector("text=No draft has been published yet.")
    time.sleep(0.5)  # the event stream is open

    mediator.goto(dashboard)
    mediator.select_option("select[name=option-ceasefire]", "phased")
    mediator.fill("#publish-form input[name=title]", "First text")
    mediator.click("#publish")
    mediator.wait_for_selector("text=Draft 1: First text")

    delegation.wait_for_selector("#current-draft >> text=Draft 1: First text", timeout=15_000)
    delegation.wait_for_selector("#answer-form")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    delegation.screenshot(path=str(OUTPUT / "room-delegation.png"), full_page=True)
    mediator.screenshot(path=str(OUTPUT / "room-mediator.png"), full_page=True)
    assert not problems, problems


SCENARIO = Path(__file__).resolve().parents[1] / "src/accord/data/scenarios/ukraine-2025.yaml"
ROOM_OUTPUT = OUTPUT.parent / "room-browser"
PARTIES = {"us": "United States", "ukraine": "Ukraine"}


@pytest.mark.slow
def test_a_whole_negotiation_played_in_the_browser(server):
    """Mediator opens ukraine-2025 (two of its parties as delegations); each delegation joins
    from its link, imports its preferences (one by choosing the shipped scenario, one by
    uploading the file), answers draft 1 point by point; the mediator asks the engine for a
    proposal and publishes it as draft 2; both accept every point; the memorandum lists it."""
    sync_api = _require_browser()
    ROOM_OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            _whole_negotiation(browser, server)
        finally:
            browser.close()


def _page(browser, problems: list[str]):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    return page


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ROOM_OUTPUT / f"{name}.png"), full_page=True)


def _answer_every_point(page, issues, verdict_of, draft: int) -> None:
    page.wait_for_selector(f"#answer-form >> text=Your answers to draft {draft}")
    for issue in issues:
        verdict = verdict_of(issue.id)
        page.check(f"#answer-form input[name=verdict-{issue.id}][value={verdict}]")
        if verdict != "accept":
            page.fill(f"#answer-form input[name=comment-{issue.id}]", f"{verdict}: {issue.id}")
    page.click("#answer-form button")
    page.wait_for_selector("#answer-form")
    for issue in issues:  # the answers were stored and are shown back
        assert page.is_checked(f"#answer-form input[name=verdict-{issue.id}]"
                               f"[value={verdict_of(issue.id)}]"), issue.id


def _whole_negotiation(browser, base: str) -> None:
    from accord.io.builtin import load_builtin

    scenario = load_builtin("ukraine-2025")
    issues = scenario.issues
    problems: list[str] = []

    mediator = _page(browser, problems)
    mediator.goto(base + "/")
    mediator.fill("input[name=title]", "Ukraine talks")
    mediator.select_option("select[name=shipped]", "ukraine-2025")
    mediator.fill("input[name=parties]", ", ".join(PARTIES))
    mediator.click("text=Open the negotiation")
    mediator.wait_for_selector("#zone >> text=waiting for preferences")
    dashboard = mediator.url
    _shot(mediator, "1-mediator-opened")

    delegations = {}
    for party, name in PARTIES.items():
        mediator.goto(dashboard)
        mediator.click(f"tr:has(td:text-is('{name}')) >> text=New invitation link")
        link = mediator.input_value("#invitation-link")
        page = _page(browser, problems)
        page.goto(link)
        page.click("#join")
        page.wait_for_selector("text=No draft has been published yet.")
        assert page.input_value("#import-form input[name=party]") == party
        if party == "us":
            page.select_option("#import-form select[name=shipped]", "ukraine-2025")
        else:
            page.set_input_files("#import-form input[name=scenario]", str(SCENARIO))
        page.click("#import-form button")
        page.wait_for_selector("#preferences-form")
        first = issues[0].id
        assert float(page.input_value(f"input[name=salience-{first}]")) == \
            scenario.party(party).preferences[first].salience
        page.check("#sharing-form input[value=salience]")
        page.click("#sharing-form button")
        page.wait_for_selector("#sharing-form input[value=salience]:checked")
        delegations[party] = page
    _shot(delegations["us"], "2-delegation-preferences")

    mediator.goto(dashboard)
    mediator.wait_for_selector("#zone >> text=there is a package")
    mediator.fill("#publish-form input[name=title]", "First reading")
    tabled = issues[:4]  # the other points stay open: shown open, not asked about
    for issue in tabled:
        mediator.select_option(f"select[name=option-{issue.id}]", issue.options[0].id)
    mediator.fill(f"input[name=text-{issues[0].id}]", "Lines as of the day of signature.")
    mediator.click("#publish")
    mediator.wait_for_selector("text=Draft 1: First reading")

    for party, page in delegations.items():  # arrives live (server-sent events)
        page.wait_for_selector("#current-draft >> text=Draft 1: First reading", timeout=15_000)
        assert page.locator("#answer-form .open-point").count() == len(issues) - len(tabled)
        rejected = issues[0].id if party == "ukraine" else issues[1].id
        _answer_every_point(page, tabled, lambda i, r=rejected: "reject" if i == r else
                            "can-live-with" if i == issues[2].id else "accept", 1)
    _shot(delegations["ukraine"], "3-delegation-answered-draft-1")

    mediator.goto(dashboard)
    assert mediator.locator("#matrix td.v-reject").count() == 2
    assert mediator.locator("#matrix td.v-can-live-with").count() == 2
    assert mediator.locator("#matrix td.v-accept").count() == 2 * (len(tabled) - 2)
    assert mediator.locator("#matrix >> text=reject: " + issues[0].id).count() == 1
    _shot(mediator, "4-mediator-answers-to-draft-1")

    mediator.click("text=Propose the next draft")
    mediator.wait_for_selector("#proposal >> text=The engine's proposal")
    package = {i.id: mediator.input_value(f"#publish-form select[name=option-{i.id}]")
               for i in issues}
    assert all(package.values()), package  # the form is filled with a whole package
    # A point's wording belongs to its option: kept only while the point keeps it (room.js).
    first, wording = issues[0], "Lines as of the day of signature."
    words = f"#publish-form input[name=text-{first.id}]"
    kept = package[first.id] == first.options[0].id
    assert mediator.input_value(words) == (wording if kept else "")
    other = next(o.id for o in first.options if o.id != first.options[0].id)
    mediator.select_option(f"#publish-form select[name=option-{first.id}]", other)
    assert mediator.input_value(words) == ""
    mediator.select_option(f"#publish-form select[name=option-{first.id}]", first.options[0].id)
    assert mediator.input_value(words) == wording
    mediator.select_option(f"#publish-form select[name=option-{first.id}]", package[first.id])
    assert mediator.input_value(words) == (wording if kept else "")
    _shot(mediator, "5-mediator-proposal")
    mediator.fill("#publish-form input[name=title]", "Proposed package")
    mediator.click("#publish")
    mediator.wait_for_selector("text=Draft 2: Proposed package")

    for page in delegations.values():
        page.wait_for_selector("#current-draft >> text=Draft 2: Proposed package",
                               timeout=15_000)
        _answer_every_point(page, issues, lambda i: "accept", 2)
    _shot(delegations["us"], "6-delegation-accepted-draft-2")

    mediator.goto(dashboard)
    assert mediator.locator("#matrix td.v-accept").count() == 2 * len(issues)
    assert mediator.locator("#matrix td.v-reject, #matrix td.v-none").count() == 0
    _shot(mediator, "7-mediator-all-accepted")

    labels = {i.id: {o.id: o.label for o in i.options} for i in issues}
    expected = [f"{i.title}: {labels[i.id][package[i.id]]}." for i in issues]
    markdown = mediator.request.get(dashboard + "/drafts/2/memo.md")
    assert markdown.ok, markdown.status
    text = markdown.text()
    assert "## Draft 2: Proposed package" in text
    assert [line.split(". ", 1)[1].replace("**", "") for line in text.splitlines()
            if line[:1].isdigit()] == expected
    mediator.click("text=Memorandum (HTML)")
    mediator.wait_for_selector("h2 >> text=Draft 2: Proposed package")
    assert [item.split("\n")[0] for item in mediator.locator("li").all_inner_texts()] == expected
    assert (wording in mediator.locator("li").first.inner_text()) == kept
    _shot(mediator, "8-memorandum")
    assert not problems, problems


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A live room holding a negotiation with markup in every user-typed field (the one
    tests/test_room_escaping.py builds), and the people in it."""
    from test_room_escaping import hostile_negotiation

    room = create_app(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'room.sqlite3'}")
    people = hostile_negotiation(room)
    with serving(room) as base:
        yield base, people
    room.state.db.dispose()


def test_markup_typed_by_users_is_shown_as_text_on_every_page(hostile):
    """Every page of every role, and the anonymous join page with a crafted token, shows the
    markup users typed as text: no element it names exists, no request leaves the room's
    origin, and no page navigates away (the meta refresh of issue 15 would)."""
    from urllib.parse import quote

    from test_room_escaping import TOKEN, markup

    base, people = hostile
    sync_api = _require_browser()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            _hostile_pages(browser, base, people, markup, TOKEN,
                           base + "/join/" + quote(TOKEN, safe=""))
        finally:
            browser.close()


def _hostile_pages(browser, base: str, people: dict, markup, token: str,
                   join_url: str) -> None:
    problems: list[str] = []
    n = people["mediator"].n

    def page_of(who: str | None):
        context = browser.new_context()
        if who is not None:
            cookie = people[who].client.cookies.get("accord_session")
            context.add_cookies([{"name": "accord_session", "value": cookie,
                                  "domain": "127.0.0.1", "path": f"/n/{n}",
                                  "httpOnly": True, "sameSite": "Strict"}])
        page = context.new_page()
        page.on("request", lambda r: None if r.url.startswith((base, "data:")) else
                problems.append(f"{who}: request to {r.url}"))
        page.on("pageerror", lambda error: problems.append(f"{who}: {error}"))
        return page

    def check(page, where: str, url: str, shown: list[str]) -> None:
        page.wait_for_timeout(1500)  # a meta refresh with delay 0 would have fired
        assert page.url == url, (where, page.url)
        for selector in ("b#x", "#x", "meta[http-equiv]", "script:not([src])"):
            assert page.locator(selector).count() == 0, (where, selector)
        text = page.inner_text("body")
        for field in shown:
            assert markup(field) in text, (where, field)

    draft2 = ["draft2", "text2-alpha"]
    roles = {
        "mediator": {"": ["title", "delegation", "comment2-other-beta", *draft2],
                     "/current": draft2, "/drafts/2/compare/1": ["text1-alpha", "text2-beta"],
                     "/drafts/2/memo.html": ["title", *draft2]},
        "delegation": {"": ["title", "delegation", "label-beta2", *draft2],
                       "/current": draft2},
        "observer": {"": ["title", "observer", *draft2], "/current": draft2},
    }
    for who, pages in roles.items():
        page = page_of(who)
        for path, shown in pages.items():
            url = f"{base}/n/{n}{path}"
            page.goto(url)
            check(page, f"{who} {path or '/'}", url, shown)

    mediator = page_of("mediator")
    dashboard = f"{base}/n/{n}"
    mediator.goto(dashboard)
    mediator.fill("#add-member input[name=name]", markup("browser-invitee"))
    mediator.click("#add-member button")
    mediator.wait_for_selector("#invitation-link")
    check(mediator, "invitation", f"{dashboard}/members", ["browser-invitee"])
    mediator.goto(dashboard)
    mediator.click("text=Propose the next draft")
    mediator.wait_for_selector("#proposal")
    check(mediator, "proposal", f"{dashboard}/propose", ["title", "issue-alpha"])

    stranger = page_of(None)
    stranger.goto(join_url)
    check(stranger, "join", join_url, [])
    assert stranger.locator("input[name=token]").input_value() == token
    assert not problems, problems
