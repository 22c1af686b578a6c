"""`accord serve`: the negotiation room (a web service) on this machine.

Everything that can go wrong before the room serves is the user's to fix, and is reported
as an `error:` line, never a traceback: a malformed `--database-url`, a database that cannot
be reached (which URL, password masked, and why), a data folder that cannot be created, an
address or port that cannot be bound. The port is bound before the database is opened, and
the room's URL is announced only once uvicorn is listening on it.

`--workers N` runs N server processes on one listening socket and one database: the parent
migrates the schema once, then starts the workers (uvicorn's supervisor restarts one that
dies) and announces the room when every worker is ready. Nothing the room needs lives in
one process (see `accord.room.live`), so the workers may as well be on several hosts.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli.app import app, reports_errors
from accord.errors import AccordError, UsageError

if TYPE_CHECKING:
    from accord.room.db import Database

CONNECT_TIMEOUT = 10
"""Seconds a PostgreSQL connection may take before the server counts as unreachable."""
KEEP_ALIVE = 75
"""Seconds an idle keep-alive connection stays open (uvicorn's 5 s default races with
clients and proxies that reuse a connection the server is closing: 'Server disconnected').
A proxy in front should keep its own idle timeout below this."""
URL_EXAMPLES = "postgresql://user:password@host:5432/dbname or sqlite:///path/room.sqlite3"


class DatabaseUnreachable(AccordError):
    """The database named on the command line could not be opened (exit code 1)."""


@app.command()
@reports_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    data_dir: Annotated[Path | None, typer.Option(
        help="Folder of the embedded SQLite database (default ~/.local/share/accord-room).")
    ] = None,
    database_url: Annotated[str | None, typer.Option(
        help="A database instead of SQLite, e.g. postgresql://user@host/db.")] = None,
    workers: Annotated[int, typer.Option(
        min=1, max=64, help="Server processes sharing the port and the database "
        "(e.g. one per core).")] = 1,
) -> None:
    """Run the negotiation room: a mediated, confidential negotiation in the browser."""
    if data_dir is not None and database_url is not None:
        raise UsageError("give --data-dir (SQLite) or --database-url, not both")
    url = _checked_url(database_url) if database_url is not None else None
    listener = bind_listener(host, port)
    try:
        room = _room(url, data_dir)
        where = _http_url(host, listener.getsockname()[1])
        if workers == 1:
            _run(room, listener, where)
        else:
            database_url = room.state.db.url
            room.state.db.dispose()
            _run_workers(database_url, workers, listener, where)
    finally:
        listener.close()


def bind_listener(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port, or a UsageError saying why it cannot be."""
    where = _host_port(host, port)
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as error:
        raise UsageError(f"cannot listen on {where}: --host {host!r} is not an address of "
                         f"this machine ({error.strerror}); use e.g. 127.0.0.1 or 0.0.0.0") \
            from None
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
    except OSError as error:
        listener.close()
        raise UsageError(_bind_problem(host, port, error)) from None
    return listener


def _bind_problem(host: str, port: int, error: OSError) -> str:
    where = _host_port(host, port)
    if error.errno == errno.EADDRINUSE:
        free = _free_port_near(host, port)
        hint = f", e.g. --port {free}" if free else ""
        return (f"cannot listen on {where}: the address is already in use (another "
                f"`accord serve` or another program); choose another port with --port{hint}")
    if error.errno == errno.EACCES:
        return (f"cannot listen on {where}: permission denied (ports below 1024 need "
                "administrator rights); choose another port with --port, e.g. --port 8000")
    if error.errno == errno.EADDRNOTAVAIL:
        return (f"cannot listen on {where}: {host} is not an address of this machine; "
                "use e.g. --host 127.0.0.1 or --host 0.0.0.0")
    return f"cannot listen on {where}: {error.strerror or error}"


def _free_port_near(host: str, port: int, tries: int = 20) -> int | None:
    """The first port after `port` that can be bound on `host` now (a suggestion only)."""
    for candidate in range(port + 1, min(port + 1 + tries, 65536)):
        try:
            bind_listener(host, candidate).close()
        except UsageError:
            continue
        return candidate
    return None


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _http_url(host: str, port: int) -> str:
    return f"http://{_host_port(host, port)}/"


def _checked_url(database_url: str) -> str:
    """`--database-url` parsed and given a connect timeout; a UsageError when malformed."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from accord.room.db import normalise_url

    try:
        url = make_url(normalise_url(database_url.strip()))
    except (ArgumentError, ValueError):
        shown = re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", database_url)
        raise UsageError(f"--database-url {shown!r} is not a database URL; expected "
                         f"e.g. {URL_EXAMPLES}") from None
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT)})
    return url.render_as_string(hide_password=False)


def _masked(url: str) -> str:
    """The URL to show: its password replaced by ***, our connect timeout left out."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.query.get("connect_timeout") == str(CONNECT_TIMEOUT):
        parsed = parsed.difference_update_query(["connect_timeout"])
    return parsed.render_as_string(hide_password=True)


def _room(url: str | None, data_dir: Path | None) -> Any:
    """The room's application on its database (migrated), or a user error saying why not."""
    from sqlalchemy.exc import DBAPIError

    from accord.room import create_app
    from accord.room.app import DEFAULT_DATA_DIR
    from accord.room.db import Database

    if url is None:
        folder = (data_dir or DEFAULT_DATA_DIR).expanduser()
        try:
            database = Database.in_folder(folder)
        except OSError as error:
            raise UsageError(f"cannot use the data folder {folder} (--data-dir): "
                             f"{error.strerror or error}") from None
    else:
        database = _open(url)
    try:
        return create_app(database)
    except DBAPIError as error:
        database.dispose()
        raise DatabaseUnreachable(f"cannot use the database {_masked(database.url)}: "
                                  f"{database_reason(error)}") from None


def _open(url: str) -> Database:
    """An engine on `url`; a UsageError when its dialect or driver is not available."""
    from sqlalchemy.exc import NoSuchModuleError

    from accord.room.db import Database

    try:
        return Database(url)
    except NoSuchModuleError:
        scheme = url.split("://", 1)[0]
        raise UsageError(f"--database-url {_masked(url)}: unknown database kind {scheme!r}; "
                         f"expected e.g. {URL_EXAMPLES}") from None
    except ImportError as error:
        scheme = url.split("://", 1)[0]
        raise UsageError(f"--database-url {_masked(url)}: the driver of {scheme!r} is not "
                         f"installed ({error.name or error}); accord ships psycopg 3 for "
                         "PostgreSQL (postgresql:// or postgresql+psycopg://) and SQLite") \
            from None


_REASONS = [
    (re.compile(r"connection refused", re.I),
     "connection refused (is the database server running, on that host and port?)"),
    (re.compile(r"failed to resolve host|name or service not known|nodename nor servname"
                r"|could not translate host name", re.I), "unknown host"),
    (re.compile(r"password authentication failed|role .* does not exist|no password supplied"
                r"|authentication failed|no pg_hba.conf entry", re.I), "authentication failed"),
    (re.compile(r"database .* does not exist", re.I), ""),
    (re.compile(r"timeout expired|timed out", re.I), "no answer (timed out)"),
]


def database_reason(error: Exception) -> str:
    """Why a database could not be used, in a few words and then the driver's own."""
    detail = str(getattr(error, "orig", None) or error)
    detail = re.sub(r"^connection (failed|is bad): (connection to server at .*? failed: )?",
                    "", detail)
    detail = re.sub(r"\s*FATAL:\s*", "", detail)
    detail = " ".join(detail.split("\n")[0].split())
    for pattern, reason in _REASONS:
        if pattern.search(detail):
            if not reason:  # the driver's words say it all
                return f"{detail} (create it first, or name another in the URL)"
            return reason if reason.startswith("connection refused") else f"{reason}: {detail}"
    return detail or type(error).__name__


def _run(room: Any, listener: socket.socket, url: str) -> None:
    """Serve `room` on the bound `listener`; say where once uvicorn is listening."""
    import uvicorn

    class AnnouncingServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                typer.echo(f"accord room on {url} (Ctrl-C stops it)")

    from accord.room.app import settle_interpreter

    config = uvicorn.Config(room, proxy_headers=True, log_level="warning",
                            timeout_keep_alive=KEEP_ALIVE)
    settle_interpreter()
    AnnouncingServer(config).run(sockets=[listener])


def _run_workers(database_url: str, workers: int, listener: socket.socket, url: str) -> None:
    """Serve with `workers` processes on `listener`; say where once all of them are ready.
    Ctrl-C stops them all (exit 130, as with one process)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from accord.room.app import DATABASE_ENV

    class Supervisor(Multiprocess):
        interrupted = False

        def init_processes(self) -> None:
            super().init_processes()
            if all(p.wait_until_ready(60, self.should_exit) for p in self.processes):
                typer.echo(f"accord room on {url} ({workers} worker processes; "
                           "Ctrl-C stops it)")

        def handle_signals(self) -> None:
            self.interrupted = self.interrupted or signal.SIGINT in self.signal_queue
            super().handle_signals()

    os.environ[DATABASE_ENV] = database_url  # the spawned workers read it (worker_app)
    listener.listen(2048)
    config = uvicorn.Config("accord.room.app:worker_app", factory=True, workers=workers,
                            proxy_headers=True, log_level="warning",
                            timeout_keep_alive=KEEP_ALIVE)
    supervisor = Supervisor(config, sockets=[listener])
    supervisor.run()
    if supervisor.interrupted:
        raise KeyboardInterrupt
