"""Several server processes on one database behave as one room (issue 16).

Two `accord serve` processes on one database (two ports: two hosts behind a proxy would be
the same) and one `accord serve --workers 2`: a draft published through one process
reaches a delegation streaming from the other; a form shown by one is accepted by the
other (the CSRF key is shared through the database); answers written through one are read
through the other. On SQLite (one data folder) and PostgreSQL (one fresh schema).
"""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import threading
from pathlib import Path

import httpx
from room_helpers import (
    free_port,
    kill_server,
    start_server,
)

ISSUES = "\n".join(f"Point {k}: yes; no; later" for k in range(1, 5))
WAIT = 20.0


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _open(client: httpx.Client, shown_by: str, posted_to: str) -> tuple[str, str]:
    """The mediator opens a negotiation with a form one process showed and another takes."""
    page = client.get(shown_by + "/")
    opened = client.post(posted_to + "/open", data={"csrf": _csrf(page.text), "title": "Two",
                                                    "issues": ISSUES})
    assert opened.status_code == 303, opened.text
    n = opened.headers["location"].rsplit("/", 1)[1]
    return n, client.get(f"{posted_to}/n/{n}/api/state").json()["csrf"]


def _join(client: httpx.Client, link: str, base: str) -> str:
    page = client.get(link)
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    joined = client.post(base + "/join", data={"csrf": _csrf(page.text), "token": token})
    assert joined.status_code == 303, joined.text
    n = joined.headers["location"].rsplit("/", 1)[1]
    return client.get(f"{base}/n/{n}/api/state").json()["csrf"]


def _stream(client: httpx.Client, url: str, found: queue.Queue, opened: threading.Event) -> None:
    """Read an event stream; put each `event: draft` number on `found`."""
    try:
        with client.stream("GET", url, timeout=WAIT + 10) as response:
            opened.set()
            event = None
            for line in response.iter_lines():
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "draft":
                    found.put(int(line[6:]))
    except httpx.HTTPError as error:
        found.put(error)
    finally:
        opened.set()


def _drafts_seen(found: queue.Queue, wanted: int) -> list:
    seen = []
    try:
        while wanted not in seen:
            seen.append(found.get(timeout=WAIT))
    except queue.Empty:
        pass
    return seen


def test_two_servers_on_one_database_are_one_room(server_database, tmp_path):
    ports = free_port(), free_port()
    servers = []
    try:
        for port in ports:
            servers.append(start_server(server_database, port, tmp_path / f"server-{port}.log"))
        first, second = (f"http://127.0.0.1:{port}" for port in ports)
        with httpx.Client(timeout=30) as mediator, httpx.Client(timeout=30) as delegation:
            n, csrf = _open(mediator, first, second)  # the form's CSRF key is shared
            link = mediator.post(f"{first}/n/{n}/api/members", headers={"x-csrf-token": csrf},
                                 json={"role": "delegation", "name": "North"}).json()["link"]
            own = _join(delegation, link.replace(first, second), second)
            assert mediator.post(f"{first}/n/{n}/api/drafts", headers={"x-csrf-token": csrf},
                                 json={"title": "One", "options": {}}).json() == {"number": 1}

            found, opened = queue.Queue(), threading.Event()
            listener = threading.Thread(target=_stream, daemon=True, args=(
                delegation, f"{second}/n/{n}/events?since=1&seconds={WAIT}", found, opened))
            listener.start()
            assert opened.wait(WAIT)
            published = mediator.post(f"{first}/n/{n}/api/drafts",
                                      headers={"x-csrf-token": csrf},
                                      json={"title": "Two", "options": {}})
            assert published.json() == {"number": 2}
            assert 2 in _drafts_seen(found, 2), "draft 2 never reached the other server"

            answered = delegation.post(f"{second}/n/{n}/api/drafts/2/answers",
                                       headers={"x-csrf-token": own},
                                       json={"point-1": {"verdict": "accept", "comment": "ok"}})
            assert answered.status_code == 200, answered.text
            answers = mediator.get(f"{first}/n/{n}/api/drafts/2/answers").json()["answers"]
            assert [a["point-1"]["verdict"] for a in answers.values()] == ["accept"]
    finally:
        for server in servers:
            kill_server(server)


def test_workers_share_live_updates(server_database, tmp_path: Path):
    """`--workers 2`: every one of several streams (spread over both workers by the
    kernel) hears of a draft published through whichever worker took the request."""
    port = free_port()
    server = start_server([*server_database, "--workers", "2"], port, tmp_path / "workers.log")
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=30) as mediator:
            n, csrf = _open(mediator, base, base)
            streams = []
            for _ in range(6):
                client = httpx.Client(timeout=30, cookies=mediator.cookies)
                found, opened = queue.Queue(), threading.Event()
                threading.Thread(target=_stream, daemon=True, args=(
                    client, f"{base}/n/{n}/events?since=0&seconds={WAIT}", found,
                    opened)).start()
                assert opened.wait(WAIT)
                streams.append((client, found))
            for number in (1, 2, 3):
                response = mediator.post(f"{base}/n/{n}/api/drafts",
                                         headers={"x-csrf-token": csrf},
                                         json={"title": f"Draft {number}", "options": {}})
                assert response.json() == {"number": number}
            for client, found in streams:
                assert 3 in _drafts_seen(found, 3)
                client.close()
    finally:
        _stop(server)


def _stop(server) -> None:
    """SIGTERM: the supervisor stops its workers too (SIGKILL would orphan them)."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kill_server(server)
