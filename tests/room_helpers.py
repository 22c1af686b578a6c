"""Shared set-up of the room tests: an app per database, and people driving it over HTTP."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

POSTGRES_URL = os.environ.get("ACCORD_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ISSUES = "Ceasefire: immediate; phased; none\nSanctions: lifted; eased; kept"
SCENARIO_YAML = """\
id: two-issues
title: Two issues
issues:
  - id: ceasefire
    title: Ceasefire
    options: [{id: immediate, label: immediate}, {id: phased, label: phased}, {id: none, label: none}]
  - id: sanctions
    title: Sanctions
    options: [{id: lifted, label: lifted}, {id: eased, label: eased}, {id: kept, label: kept}]
parties:
  - id: north
    name: North
    reservation: 0.2
    preferences:
      ceasefire: {salience: 0.7, valuations: {immediate: 0.1, phased: 0.6, none: 1.0}}
      sanctions: {salience: 0.3, valuations: {lifted: 1.0, eased: 0.5, kept: 0.0}}
  - id: south
    name: South
    preferences:
      ceasefire: {salience: 0.6, valuations: {immediate: 1.0, phased: 0.7, none: 0.0}, red_lines: [none]}
      sanctions: {salience: 0.4, valuations: {lifted: 0.0, eased: 0.6, kept: 1.0}}
"""


def postgres_schema_url() -> tuple[str, str] | None:
    """A fresh schema on the test PostgreSQL server (url, schema), or None if unreachable."""
    import sqlalchemy as sa

    schema = f"room_test_{os.getpid()}_{secrets.token_hex(4)}"
    engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError:
        return None
    finally:
        engine.dispose()
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}", schema


def drop_schema(schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def skip_without_postgres() -> None:
    message = (f"no PostgreSQL server at {POSTGRES_URL} (set ACCORD_TEST_POSTGRES_URL); "
               "the room's PostgreSQL tests are skipped, SQLite ones still run")
    if os.environ.get("ACCORD_REQUIRE_POSTGRES"):
        pytest.fail(message)
    pytest.skip(message)


START_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(database: list[str], port: int, log: Path) -> subprocess.Popen:
    """`accord serve --port PORT *database` as a subprocess, once it answers on /."""
    accord = Path(sys.executable).with_name("accord")
    command = [str(accord)] if accord.exists() else [
        sys.executable, "-c", "from accord.cli import main; main()"]
    with log.open("ab") as out:
        server = subprocess.Popen([*command, "serve", "--port", str(port), *database],
                                  stdout=out, stderr=subprocess.STDOUT,
                                  env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited ({server.returncode}): "
                                 + log.read_text(errors="replace")[-2000:])
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.kill()
    raise AssertionError("the server did not start: " + log.read_text(errors="replace")[-2000:])


def stop_server(server: subprocess.Popen) -> None:
    """Ctrl-C, as a mediator stops the room (killed if it has not stopped in 20 s); closes
    the pipes the test opened."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    for pipe in (server.stdout, server.stderr):
        if pipe is not None:
            pipe.close()


def kill_server(server: subprocess.Popen | None) -> None:
    if server is not None and server.poll() is None:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)


def form_csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


class Person:
    """One browser: a TestClient with its own cookies, and its CSRF token once signed in."""

    def __init__(self, app) -> None:
        from fastapi.testclient import TestClient

        self.client = TestClient(app)
        self.n = ""
        self.csrf = ""

    def open(self, title: str = "Talks", issues: str = ISSUES, scenario: bytes = b"") -> str:
        csrf = form_csrf(self.client.get("/").text)
        files = {"scenario": ("s.yaml", scenario, "application/yaml")} if scenario else None
        response = self.client.post("/open", data={"csrf": csrf, "title": title,
                                                   "issues": issues}, files=files)
        assert response.status_code == 200, response.text
        self.landing = response.text
        self.n = str(response.url).rstrip("/").split("/n/")[1]
        return self._signed_in()

    def join(self, link: str) -> Person:
        page = self.client.get(link)
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        response = self.client.post("/join", data={"csrf": form_csrf(page.text), "token": token})
        assert response.status_code == 200, response.text
        self.landing = response.text
        self.n = str(response.url).rstrip("/").split("/n/")[1]
        self._signed_in()
        return self

    def open_shipped(self, name: str, title: str = "28 points") -> str:
        """Open a negotiation from a shipped scenario (its issues and parties as seats)."""
        csrf = form_csrf(self.client.get("/").text)
        opened = self.client.post("/open", data={"csrf": csrf, "title": title,
                                                 "shipped": name})
        assert opened.status_code == 200, opened.text
        self.n = str(opened.url).rstrip("/").split("/n/")[1]
        return self._signed_in()

    def _signed_in(self) -> str:
        self.state = self.get("api/state").json()
        self.csrf = self.state["csrf"]
        return self.n

    def get(self, path: str, **kwargs):
        return self.client.get(f"/n/{self.n}/{path}", **kwargs)

    def post(self, path: str, json=None, csrf: str | None = None, **kwargs):
        headers = {"x-csrf-token": self.csrf if csrf is None else csrf}
        return self.client.post(f"/n/{self.n}/{path}", json=json, headers=headers, **kwargs)

    def form(self, path: str, data: dict, **kwargs):
        return self.client.post(f"/n/{self.n}/{path}", data={"csrf": self.csrf, **data},
                                **kwargs)

    def seat_delegations(self, room) -> dict[str, Person]:
        """Every delegation of a negotiation opened from a scenario, signed in through the
        invitation link the mediator's form issues: party id -> its Person."""
        people = {}
        for member in self.state["roster"]:
            if member["role"] == "delegation":
                page = self.form(f"members/{member['id']}/invite", {})
                link = re.findall(r'value="([^"]*/join[^"]*)"', page.text)[-1]
                people[member["party"]] = Person(room).join(link)
        return people

    def invite(self, name: str, role: str = "delegation") -> str:
        response = self.post("api/members", {"role": role, "name": name})
        assert response.status_code == 200, response.text
        return response.json()["link"]


def room_for(database: str, tmp_path, postgres_url: str | None, **options):
    """A room app on SQLite (in tmp_path) or on the test PostgreSQL schema (or a skip)."""
    from accord.room import create_app

    if database == "sqlite":
        return create_app(f"sqlite:///{tmp_path / 'room.sqlite3'}", **options)
    if postgres_url is None:
        skip_without_postgres()
    return create_app(postgres_url, **options)


@pytest.fixture(scope="module")
def postgres_url():
    """A fresh schema on the test PostgreSQL server for one test module (None: none)."""
    found = postgres_schema_url()
    if found is None:
        yield None
        return
    url, schema = found
    yield url
    drop_schema(schema)


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, tmp_path, postgres_url):
    """The room, once on SQLite and once on PostgreSQL (import this fixture to use it)."""
    room = room_for(request.param, tmp_path, postgres_url)
    yield room
    room.state.drafts.stop()
    room.state.db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def server_database(request, tmp_path):
    """`accord serve` options naming one database for every server process of a test: a
    data folder (SQLite) or a fresh PostgreSQL schema, dropped afterwards."""
    if request.param == "sqlite":
        yield ["--data-dir", str(tmp_path / "data")]
        return
    found = postgres_schema_url()
    if found is None:
        skip_without_postgres()
    url, schema = found
    try:
        yield ["--database-url", url]
    finally:
        drop_schema(schema)
