"""Crash safety of the room: an acknowledged answer survives SIGKILL of the server.

`accord serve` runs as a real subprocess on a free 127.0.0.1 port, with its own SQLite data
folder or a fresh PostgreSQL schema. A delegation streams answers (one point each, a unique
comment) and records each 2xx; the server is killed with SIGKILL mid-stream and started
again on the same database; every acknowledged answer must be there, read back through the
API by the delegation (with the session it had before the crash) and by the mediator.
"""

from __future__ import annotations

import re
import signal
import threading
import time

import httpx
from room_helpers import (
    free_port,
    kill_server,
    start_server,
)

ISSUES = 40
DRAFTS = 5
KILL_AFTER = 60
"""Acknowledged answers before the kill (of ISSUES * DRAFTS the stream could send)."""


def _signed_in(base: str, client: httpx.Client, link: str | None = None) -> tuple[str, str]:
    """Open a negotiation (mediator) or join one from `link`: (negotiation id, CSRF token)."""
    if link is None:
        page = client.get(base + "/")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        issues = "\n".join(f"Point {k}: yes; no; later" for k in range(1, ISSUES + 1))
        response = client.post(base + "/open", data={"csrf": csrf, "title": "Crash",
                                                     "issues": issues})
    else:
        page = client.get(link)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        response = client.post(base + "/join", data={"csrf": csrf, "token": token})
    assert response.status_code == 200, response.text
    n = str(response.url).rstrip("/").split("/n/")[1]
    return n, client.get(f"{base}/n/{n}/api/state").json()["csrf"]


def test_acknowledged_answers_survive_sigkill(server_database, tmp_path):
    port, log = free_port(), tmp_path / "server.log"
    base = f"http://127.0.0.1:{port}"
    server = None
    mediator = httpx.Client(follow_redirects=True, timeout=10)
    delegation = httpx.Client(follow_redirects=True, timeout=10)
    try:
        server = start_server(server_database, port, log)
        n, mediator_csrf = _signed_in(base, mediator)
        added = mediator.post(f"{base}/n/{n}/api/members", json={"role": "delegation",
                                                                 "name": "Alpha"},
                              headers={"x-csrf-token": mediator_csrf})
        _, csrf = _signed_in(base, delegation, added.json()["link"])
        for k in range(1, DRAFTS + 1):
            assert mediator.post(f"{base}/n/{n}/api/drafts", json={"title": f"D{k}",
                                                                   "options": {}},
                                 headers={"x-csrf-token": mediator_csrf}).is_success

        acknowledged: dict[tuple[int, str], str] = {}
        enough, stop = threading.Event(), threading.Event()

        def stream() -> None:  # one point per request, each with a unique comment
            with httpx.Client(cookies=delegation.cookies, timeout=5) as client:
                for draft in range(1, DRAFTS + 1):
                    for k in range(1, ISSUES + 1):
                        if stop.is_set():
                            return
                        comment = f"answer-{draft}-{k}-{time.monotonic_ns()}"
                        try:
                            response = client.post(
                                f"{base}/n/{n}/api/drafts/{draft}/answers",
                                json={f"point-{k}": {"verdict": "accept", "comment": comment}},
                                headers={"x-csrf-token": csrf})
                        except httpx.TransportError:
                            return  # the server is gone: this answer was not acknowledged
                        if response.is_success:
                            acknowledged[(draft, f"point-{k}")] = comment
                            if len(acknowledged) >= KILL_AFTER:
                                enough.set()
                        else:
                            raise AssertionError(f"{response.status_code}: {response.text}")

        streamer = threading.Thread(target=stream, daemon=True)
        streamer.start()
        assert enough.wait(timeout=60), f"only {len(acknowledged)} answers acknowledged"
        server.send_signal(signal.SIGKILL)  # mid-stream: requests are still being sent
        server.wait(timeout=10)
        stop.set()
        streamer.join(timeout=15)
        assert not streamer.is_alive()
        assert KILL_AFTER <= len(acknowledged) < DRAFTS * ISSUES

        server = start_server(server_database, port, log)
        for draft in range(1, DRAFTS + 1):
            own = delegation.get(f"{base}/n/{n}/api/drafts/{draft}/answers")
            assert own.status_code == 200, own.text  # the session survived too
            everyone = mediator.get(f"{base}/n/{n}/api/drafts/{draft}/answers").json()
            for reader in (own.json()["answers"], everyone["answers"]):
                stored = next(iter(reader.values()), {})
                for (d, issue), comment in acknowledged.items():
                    if d == draft:
                        assert stored.get(issue) == {"verdict": "accept", "comment": comment}, \
                            (draft, issue)
        history = mediator.get(f"{base}/n/{n}/api/history").json()["history"]
        assert sum(e["kind"] == "answered" for e in history) >= len(acknowledged)
    finally:
        kill_server(server)
        mediator.close()
        delegation.close()
