"""`accord seat` as a user runs it (issue 17): a real `accord serve`, a mediator opening
ukraine-2025 over HTTP, and an agent taking the Russian delegation's seat with the
invitation link, answering the published draft from the scenario's preferences, which the
room never receives. Bad links and parties are clear errors, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from room_helpers import free_port, kill_server, start_server

ACCORD = Path(sys.executable).with_name("accord")


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def seat(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(ACCORD), "seat", *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def server(tmp_path):
    port = free_port()
    process = start_server(["--data-dir", str(tmp_path / "data")], port, tmp_path / "log")
    yield f"http://127.0.0.1:{port}"
    kill_server(process)


def test_an_agent_answers_a_draft_from_its_own_preferences(server):
    mediator = httpx.Client(base_url=server, timeout=30)
    opened = mediator.post("/open", data={"csrf": _csrf(mediator.get("/").text),
                                          "title": "28 points", "shipped": "ukraine-2025"})
    assert opened.status_code == 303, opened.text
    n = opened.headers["location"].rsplit("/", 1)[1]
    state = mediator.get(f"/n/{n}/api/state").json()
    headers = {"x-csrf-token": state["csrf"]}
    russia = next(m for m in state["roster"] if m["party"] == "russia")
    page = mediator.post(f"/n/{n}/members/{russia['id']}/invite",
                         data={"csrf": state["csrf"]}).text
    link = server + re.search(r"(/join/[\w-]+)", page).group(1)
    proposal = mediator.post(f"/n/{n}/api/propose", headers=headers).json()
    assert proposal["basis"] == "answers"
    assert mediator.post(f"/n/{n}/api/drafts", json={"options": proposal["package"]},
                         headers=headers).json() == {"number": 1}

    done = seat(link, "--scenario", "ukraine-2025", "--party", "russia", "--drafts", "1",
                "--poll", "0.2")
    assert done.returncode == 0, done.stderr
    assert "answered draft 1" in done.stderr and "answered 1 draft(s)" in done.stderr
    answers = mediator.get(f"/n/{n}/api/drafts/1/answers").json()["answers"]
    given = answers[str(russia["id"])]
    assert set(given) == {p for p in proposal["package"]}
    assert {a["verdict"] for a in given.values()} <= {"accept", "can-live-with", "reject"}
    whole = mediator.get(f"/n/{n}/api/drafts/1/whole").json()["answers"][str(russia["id"])]
    assert isinstance(whole["sign"], bool) and whole["compared"] is None
    # the agent entered no preferences: the room still has none for the seat
    roster = mediator.get(f"/n/{n}/api/state").json()["roster"]
    assert not next(m for m in roster if m["id"] == russia["id"])["has_preferences"]
    # the link was used: a second agent cannot take the seat
    again = seat(link, "--scenario", "ukraine-2025", "--party", "russia", "--drafts", "1")
    assert again.returncode != 0 and "not valid (or was already used)" in again.stderr
    assert "Traceback" not in again.stderr


def test_bad_links_and_parties_are_clear_errors(server):
    wrong_party = seat(server + "/join/x", "--scenario", "ukraine-2025", "--party", "mars")
    assert wrong_party.returncode != 0
    assert "no party 'mars'" in wrong_party.stderr and "russia" in wrong_party.stderr
    not_a_link = seat("room-please", "--scenario", "ukraine-2025", "--party", "russia")
    assert not_a_link.returncode != 0 and "expected the invitation link" in not_a_link.stderr
    unknown = seat(server + "/join/nonsense", "--scenario", "ukraine-2025",
                   "--party", "russia")
    assert unknown.returncode != 0 and "Traceback" not in unknown.stderr
    nobody = seat(f"http://127.0.0.1:{free_port()}/join/x", "--scenario", "ukraine-2025",
                  "--party", "russia")
    assert nobody.returncode != 0 and "cannot reach the room" in nobody.stderr
    for done in (wrong_party, not_a_link, unknown, nobody):
        assert "Traceback" not in done.stderr
