"""The room under measurement: a fresh database, `accord serve` in its own process, and
the SQL statements per route, counted in process (shared by load_room.py).

`count_statements(app, call)` runs `call()` and returns how many statements the room's
engine (`app.state.db.engine`) sent to the database meanwhile, as a SQLAlchemy
`before_cursor_execute` listener sees them. That is every statement SQLAlchemy executes
through a DBAPI cursor; transaction control that the driver does by itself is not among
them (SQLite: pysqlite's implicit BEGIN and `connection.commit()`; PostgreSQL: psycopg's
implicit BEGIN and COMMIT), nor the pool's pre-ping. When a dialect does send BEGIN,
COMMIT, ROLLBACK or SAVEPOINT as statements they are counted, and `statement_kinds`
shows them apart, so the figures stay comparable either way.

`statements_table(url, sizes, points)` builds a negotiation on the database `url` for each
number of delegations in `sizes` and counts the statements of each route the load
benchmark uses, on the first call and on the second (warm) one; a route whose count grows
with the number of delegations issues a query per delegation.

`database(spec, folder)` gives a fresh database (a SQLite file, or a new PostgreSQL
database dropped afterwards); `server(url, workers, log)` runs `accord serve` on it,
`group_cpu_seconds` says how much CPU it has used, and `open_room` opens a negotiation
over HTTP and signs in its delegations.

    python benchmarks/room_statements.py [--delegations 1 50] [--points 18] [--database URL]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import random
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

from accord.room import create_app

with warnings.catch_warnings():  # this Starlette suggests `httpx2`; httpx is what we have
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
VERDICTS = ["accept", "can-live-with", "reject"]
LIMITS = httpx.Limits(max_connections=None, max_keepalive_connections=20)
"""No client-side cap on connections: an open-loop request must never queue in the client."""


def issues_text(points: int) -> str:
    """`points` issues of three options each, in the opening form's text format."""
    return "\n".join(f"Point {k}: option a; option b; option c" for k in range(1, points + 1))


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    if found is None:
        raise ValueError("no CSRF field on the page")
    return found.group(1)


def record_statements(app: Any, call: Callable[[], Any]) -> list[str]:
    """The SQL text of every statement the app's engine executes while `call()` runs."""
    engine = app.state.db.engine
    seen: list[str] = []

    def listener(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return seen


def count_statements(app: Any, call: Callable[[], Any]) -> int:
    """How many statements the app's engine executes while `call()` runs (see module)."""
    return len(record_statements(app, call))


def statement_kinds(statements: list[str]) -> Counter[str]:
    """SELECT / INSERT / UPDATE / DELETE / transaction control / other, counted."""
    kinds: Counter[str] = Counter()
    for statement in statements:
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        kinds["control" if verb in CONTROL else verb.lower() or "other"] += 1
    return kinds


@dataclass
class Room:
    """A negotiation in an in-process app: the mediator's client and the delegations'."""

    app: Any
    n: str
    mediator: TestClient
    mediator_csrf: str
    delegations: list[tuple[TestClient, str]]


def _ok(response: Any) -> Any:
    if not 200 <= response.status_code < 300:
        raise RuntimeError(f"{response.request.method} {response.request.url.path}: "
                           f"{response.status_code} {response.text[:200]}")
    return response


@contextmanager
def room(url: str, delegations: int, points: int) -> Iterator[Room]:
    """An app on `url` with a new negotiation of `points` issues, `delegations` joined
    delegations, draft 1 published and answered by each of them."""
    app = create_app(url)
    clients: list[TestClient] = []
    try:
        mediator = TestClient(app)
        clients.append(mediator)
        home = _ok(mediator.get("/"))
        opened = _ok(mediator.post("/open", data={"csrf": csrf_of(home.text),
                                                  "title": "Statements",
                                                  "issues": issues_text(points)}))
        n = str(opened.url).rstrip("/").split("/n/")[1]
        csrf = _ok(mediator.get(f"/n/{n}/api/state")).json()["csrf"]
        joined = []
        for k in range(delegations):
            link = _ok(mediator.post(f"/n/{n}/api/members", headers={"x-csrf-token": csrf},
                                     json={"role": "delegation", "name": f"D{k}"}))
            client = TestClient(app)
            clients.append(client)
            page = _ok(client.get(link.json()["link"]))
            token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
            _ok(client.post("/join", data={"csrf": csrf_of(page.text), "token": token}))
            joined.append((client, _ok(client.get(f"/n/{n}/api/state")).json()["csrf"]))
        _ok(mediator.post(f"/n/{n}/api/drafts", json={"title": "first", "options": {}},
                          headers={"x-csrf-token": csrf}))
        for client, token in joined:
            _ok(client.post(f"/n/{n}/api/drafts/1/answers", json=answers(points, "first"),
                            headers={"x-csrf-token": token}))
        yield Room(app, n, mediator, csrf, joined)
    finally:
        for client in clients:
            client.close()
        app.state.db.dispose()


def answers(points: int, comment: str) -> dict[str, dict[str, str]]:
    """An answer to every point of a draft of `points` issues (ids point-1 … point-N)."""
    return {f"point-{k}": {"verdict": "accept", "comment": comment}
            for k in range(1, points + 1)}


def routes(r: Room, points: int) -> list[tuple[str, Callable[[], Any]]]:
    """(label, call) for each route the load benchmark drives, as it drives them."""
    delegation, token = r.delegations[0] if r.delegations else (None, "")
    n, med = r.n, r.mediator
    calls: list[tuple[str, Callable[[], Any]]] = [
        ("POST api/drafts (mediator)", lambda: med.post(
            f"/n/{n}/api/drafts", json={"title": "next", "options": {}},
            headers={"x-csrf-token": r.mediator_csrf})),
        ("GET /n/{n} (mediator page)", lambda: med.get(f"/n/{n}")),
        ("GET api/history (mediator)", lambda: med.get(f"/n/{n}/api/history"))]
    if delegation is not None:
        calls[:0] = [
            ("GET api/state (delegation)", lambda: delegation.get(f"/n/{n}/api/state")),
            (f"POST api/drafts/1/answers ({points} points)", lambda: delegation.post(
                f"/n/{n}/api/drafts/1/answers", json=answers(points, "again"),
                headers={"x-csrf-token": token}))]
        calls += [("GET /n/{n} (delegation page)", lambda: delegation.get(f"/n/{n}")),
                  ("GET api/history (delegation)", lambda: delegation.get(f"/n/{n}/api/history"))]
    return calls


def measure(url: str, delegations: int,
            points: int) -> dict[str, tuple[int, int, Counter[str]]]:
    """route label -> (statements on the first call, on the second, kinds of the second)."""
    found = {}
    with room(url, delegations, points) as r:
        for label, call in routes(r, points):
            first = count_statements(r.app, lambda: _ok(call()))
            warm = record_statements(r.app, lambda: _ok(call()))
            found[label] = (first, len(warm), statement_kinds(warm))
    return found


def statements_table(url: str, sizes: list[int], points: int) -> str:
    """The plain-text table of statements per route for each number of delegations."""
    dialect = url.split(":", 1)[0].split("+")[0]
    results = {size: measure(url, size, points) for size in sizes}
    labels = list(results[sizes[0]])
    for size in sizes[1:]:
        labels += [label for label in results[size] if label not in labels]
    head = f"{'route':<40}" + "".join(f" {f'{s} deleg.: 1st/2nd':>20}" for s in sizes)
    lines = [head, "-" * len(head)]
    for label in labels:
        cells = "".join(f" {_cell(results[s].get(label)):>20}" for s in sizes)
        lines.append(f"{label:<40}{cells}")
    lines.append("")
    lines.append(f"warm call, by kind ({sizes[-1]} delegations):")
    for label, (_, _, kinds) in results[sizes[-1]].items():
        lines.append(f"  {label:<38} " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    controls = sum(kinds["control"] for r in results.values() for _, _, kinds in r.values())
    lines.append("")
    lines.append(f"counted: every statement SQLAlchemy sends through a cursor on {dialect} "
                 "(before_cursor_execute); the driver's implicit BEGIN and its COMMIT are not "
                 "among them, " + (f"but {controls} explicit transaction-control statements "
                 "(BEGIN ..., SAVEPOINT, ...) are, shown as 'control' above" if controls else
                 "and no transaction-control statement was seen"))
    return "\n".join(lines)


def _cell(value: tuple[int, int, Counter[str]] | None) -> str:
    return "-" if value is None else f"{value[0]}/{value[1]}"


# ---------------------------------------------------------------- database and server

@contextmanager
def database(spec: str, folder: Path) -> Iterator[tuple[str, str]]:
    """(label, URL) of a fresh database: a SQLite file in `folder`, or a new PostgreSQL
    database on the server of a postgresql URL, dropped afterwards."""
    if spec == "sqlite":
        yield "sqlite", f"sqlite:///{folder / 'room.sqlite3'}"
    elif spec.startswith("sqlite:"):
        yield "sqlite", spec
    elif spec.startswith(("postgresql", "postgres:")):
        import psycopg
        from psycopg import sql
        from sqlalchemy.engine import make_url

        from accord.room.db import normalise_url

        url = make_url(normalise_url(spec))
        name = f"bench_room_{secrets.token_hex(4)}"
        where = {"host": url.host or "127.0.0.1", "port": url.port or 5432,
                 "user": url.username, "password": url.password,
                 "dbname": url.database or "postgres", "autocommit": True}
        with psycopg.connect(**where) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield "postgresql", url.set(database=name).render_as_string(hide_password=False)
        finally:
            with psycopg.connect(**where) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                              .format(sql.Identifier(name)))
    else:
        raise SystemExit(f"--database {spec!r}: expected sqlite, both, or a sqlite:/// or "
                         "postgresql:// URL")


def accord_command() -> list[str]:
    """How to run the CLI: `python -m accord` if the package has a __main__, else the
    `accord` console script installed next to this Python."""
    if importlib.util.find_spec("accord.__main__") is not None:
        return [sys.executable, "-m", "accord"]
    script = Path(sys.executable).with_name("accord")
    if not script.exists():
        raise SystemExit(f"no `python -m accord` and no {script}: install accord in this venv")
    return [str(script)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(url: str, workers: int, log_path: Path) -> Iterator[tuple[str, int]]:
    """`accord serve` on a free port, in its own process group: its base URL and process
    (group) id, once / answers."""
    port = free_port()
    command = [*accord_command(), "serve", "--database-url", url, "--port", str(port)]
    if workers != 1:
        command += ["--workers", str(workers)]
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=base) as client:
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"the server stopped (exit {process.returncode}): "
                                     f"{shlex.join(command)}\n{log_path.read_text()[-2000:]}")
                try:
                    if client.get("/").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"the server did not answer on / within 60 s: "
                                     f"{log_path.read_text()[-2000:]}")
                time.sleep(0.1)
        yield base, process.pid
    finally:
        stop_group(process)


def group_cpu_seconds(group: int) -> float:
    """CPU time (user + system) used so far by the live processes of a process group
    (Linux /proc; 0.0 elsewhere): the server and, with --workers, its workers."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        if int(fields[2]) == group:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def named_cpu_seconds(prefix: str) -> float:
    """CPU time (user + system) used so far by the live processes whose name starts with
    `prefix` (Linux /proc; 0.0 elsewhere): a local PostgreSQL server's backends, which
    spend the machine's cores alongside the room's server."""
    ticks = 0
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if not (process / "comm").read_text().startswith(prefix):
                continue
            fields = (process / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group (uvicorn's workers too), SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


# ---------------------------------------------------------------- the room over HTTP

@dataclass
class Delegate:
    """A signed-in delegation of the load benchmark."""

    client: httpx.AsyncClient
    csrf: str
    draft: dict = field(default_factory=dict)
    """The newest draft this delegation has read: {number, title, points}."""
    fast: Any = None
    """A `lean_http.LeanClient` with this delegation's cookies (`--client lean`)."""


async def open_room(base: str, points: int, delegations: int
                    ) -> tuple[httpx.AsyncClient, str, str, list[Delegate]]:
    """The mediator's client, negotiation id and CSRF token, and the joined delegations;
    draft 1 is published."""
    mediator = httpx.AsyncClient(base_url=base, timeout=60, limits=LIMITS)
    page = await mediator.get("/")
    opened = await mediator.post("/open", data={"csrf": csrf_of(page.text), "title": "Load",
                                                "issues": issues_text(points)},
                                 follow_redirects=True)
    n = str(opened.url).rstrip("/").split("/n/")[1]
    csrf = (await mediator.get(f"/n/{n}/api/state")).json()["csrf"]
    links = []
    for k in range(delegations):
        response = await mediator.post(f"/n/{n}/api/members", headers={"x-csrf-token": csrf},
                                       json={"role": "delegation", "name": f"D{k}"})
        links.append(response.raise_for_status().json()["link"])
    (await mediator.post(f"/n/{n}/api/drafts", json={"title": "first", "options": {}},
                         headers={"x-csrf-token": csrf})).raise_for_status()
    joined = await asyncio.gather(*(join(base, link) for link in links))
    return mediator, n, csrf, joined


async def join(base: str, link: str) -> Delegate:
    """A delegation signed in through its invitation link, in its own client (cookies)."""
    client = httpx.AsyncClient(base_url=base, timeout=60, limits=LIMITS)
    page = await client.get(link)
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    joined = await client.post("/join", data={"csrf": csrf_of(page.text), "token": token},
                               follow_redirects=True)
    n = str(joined.url).rstrip("/").split("/n/")[1]
    state = (await client.get(f"/n/{n}/api/state")).raise_for_status().json()
    return Delegate(client, state["csrf"], newest_draft(state))


def newest_draft(state: dict) -> dict:
    """The current draft {number, points, ...} of an api/state answer: its `current` field
    (since 6d917cb `drafts` lists numbers and titles only), else the last of `drafts`."""
    return state.get("current") or state["drafts"][-1]


def answers_to(draft: dict, rng: random.Random, comment: str) -> dict:
    return {p["issue"]: {"verdict": rng.choice(VERDICTS), "comment": comment}
            for p in draft["points"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegations", type=int, nargs="+", default=[1, 50],
                        help="numbers of joined delegations to measure with (default 1 50)")
    parser.add_argument("--points", type=int, default=18, help="issues per draft (default 18)")
    parser.add_argument("--database", default="sqlite",
                        help="sqlite (a new file) or a postgresql:// URL (a new database)")
    args = parser.parse_args()
    if any(size < 1 for size in args.delegations) or args.points < 1:
        parser.error("--delegations and --points must be at least 1")
    with tempfile.TemporaryDirectory() as folder, \
            database(args.database, Path(folder)) as (_, url):
        print(statements_table(url, args.delegations, args.points))


if __name__ == "__main__":
    main()
