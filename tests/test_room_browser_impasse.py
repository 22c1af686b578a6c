"""The mediator's tools in a real browser (issue 17): on ukraine-2025 with Russia and
Ukraine the Donetsk point blocks every deal; Russia shares its red lines, Ukraine lets the
mediator know which of its demands is in the way; the mediator watches each seat's
invitation turn to "joined" without reloading, reads what blocks the deal,
fills the draft form with a candidate, publishes it with a deadline of seconds, and sees
who is overdue once it passes. Screenshots in test-output/room-browser/impasse-*.png."""

from __future__ import annotations

import time

import pytest
from test_report_browser import CHROMIUM, LAUNCH_ARGS, _require_browser
from test_room_browser import ROOM_OUTPUT, _answer_every_point, _page, _shot, server  # noqa: F401

DUE_HOURS = 0.002  # 7.2 seconds


@pytest.mark.slow
def test_the_mediator_works_through_an_impasse_in_the_browser(server):  # noqa: F811
    from accord.io.builtin import load_builtin

    sync_api = _require_browser()
    issues = load_builtin("ukraine-2025").issues
    ROOM_OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            _impasse(browser, server, issues)
        finally:
            browser.close()


def _impasse(browser, base: str, issues) -> None:
    problems: list[str] = []
    mediator = _page(browser, problems)
    mediator.goto(base + "/")
    mediator.fill("input[name=title]", "Donetsk talks")
    mediator.select_option("select[name=shipped]", "ukraine-2025")
    mediator.fill("input[name=parties]", "russia, ukraine")
    mediator.click("text=Open the negotiation")
    mediator.wait_for_selector("#zone >> text=waiting for preferences")
    dashboard = mediator.url

    delegations = {}
    for party, name in (("russia", "Russian Federation"), ("ukraine", "Ukraine")):
        mediator.goto(dashboard)
        mediator.click(f"tr:has(td:text-is('{name}')) >> text=New invitation link")
        link = mediator.input_value("#invitation-link")
        mediator.goto(dashboard)
        status = f"tr:has(td:text-is('{name}')) td.invitation"
        assert mediator.inner_text(status) == "open"
        page = _page(browser, problems)
        page.goto(link)
        page.click("#join")
        # the mediator's open page follows the seat's status without a reload
        mediator.wait_for_selector(f"{status}:text-is('joined')", timeout=15_000)
        page.select_option("#import-form select[name=shipped]", "ukraine-2025")
        page.click("#import-form button")
        page.wait_for_selector("#confirmation >> text=imported")
        delegations[party] = page
    russia, ukraine = delegations["russia"], delegations["ukraine"]
    mediator.goto(dashboard)  # the agenda, every point open: delegations may now look
    mediator.fill("#publish-form input[name=title]", "Agenda")
    mediator.click("#publish")
    mediator.wait_for_selector("#confirmation >> text=The draft is published")
    ukraine.wait_for_selector("#current-draft >> text=Draft 1: Agenda", timeout=15_000)
    ukraine.reload()
    russia.check("#sharing-form input[value=red_lines]")
    russia.click("#sharing-form button")
    russia.wait_for_selector("#confirmation >> text=what the mediator may see is saved")
    ukraine.wait_for_selector("#my-demands >> text=relaxing it alone would open a zone")
    ukraine.check("#disclosure-form input[value=demands]")
    ukraine.click("#disclosure-form button")
    ukraine.wait_for_selector("#confirmation >> text=of your demands is saved")
    _shot(ukraine, "impasse-1-delegation-demands-in-the-way")

    mediator.goto(dashboard)
    mediator.wait_for_selector("#zone >> text=no package satisfies")
    blocking = mediator.inner_text("#impasse ol.blocking")
    assert "Russian Federation: red line on" in blocking and "Ukraine: red line on" in blocking
    assert "Ukrainian-held remainder of Donetsk oblast" in blocking
    assert mediator.locator("#impasse .candidate").count() == 3
    _shot(mediator, "impasse-2-mediator-what-blocks-the-deal")

    mediator.click("#candidate-0 button")
    mediator.wait_for_selector("#proposal >> text=The text closest to acceptable for everyone")
    package = {i.id: mediator.input_value(f"#publish-form select[name=option-{i.id}]")
               for i in issues}
    assert all(package.values()), package
    mediator.fill("#publish-form input[name=title]", "Closest text")
    mediator.fill("#publish-form input[name=due_in_hours]", str(DUE_HOURS))
    mediator.click("#publish")
    mediator.wait_for_selector("#confirmation >> text=The draft is published")
    assert "min left" in mediator.inner_text("#due")
    assert mediator.locator("#due time[data-local]").count() == 1  # in the reader's zone
    published = time.monotonic()

    russia.wait_for_selector("#current-draft >> text=Draft 2: Closest text", timeout=15_000)
    _answer_every_point(russia, issues, lambda i: "accept", 2)
    time.sleep(max(0.0, DUE_HOURS * 3600 + 0.5 - (time.monotonic() - published)))
    mediator.goto(dashboard)
    assert "the deadline has passed" in mediator.inner_text("#due")
    answered = mediator.inner_text("#answered")
    assert "Russian Federation: answered" in answered
    assert "Ukraine: not answered yet (overdue)" in answered
    _shot(mediator, "impasse-3-mediator-deadline-passed")
    history = mediator.inner_text("#dashboard-history")
    assert "Russian Federation joined with the invitation link" in history
    assert "Mediator published draft 2" in history
    ukraine.reload()
    assert "the deadline has passed" in ukraine.inner_text("#due")
    assert not problems, problems
