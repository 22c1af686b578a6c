"""The room in a real headless browser: the mediator publishes a draft and it appears, live,
on a delegation's page (server-sent events), in Debian's Chromium driven by Playwright."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from test_report_browser import CHROMIUM, LAUNCH_ARGS, OUTPUT, _require_browser

from accord.room import create_app


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    room = create_app(f"sqlite:///{tmp_path_factory.mktemp('room') / 'room.sqlite3'}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(room, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


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
