"""Storage of the room: SQLAlchemy 2.x tables, the engine and sessions, migrations on start.

SQLite (a file in the data folder) by default, PostgreSQL for a team. The schema is
created and upgraded by Alembic (`migrations/`), run programmatically by `Database.migrate`
(under an advisory lock on PostgreSQL, so several hosts may start at once).

Requests run in a thread pool of `THREADS` threads, and the connection pool holds as many
connections (plus a few), so a request never waits to open one. On SQLite (WAL: readers never wait),
a write transaction starts with `BEGIN IMMEDIATE`, and writers take turns on a lock (a
thread lock, then an flock shared by the processes on the file) instead of sleeping in
SQLite's busy handler.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: there SQLite's own lock alone decides
    fcntl = None

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    false,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from accord.errors import UsageError

MIGRATIONS = Path(__file__).with_name("migrations")
THREADS = 2
"""Requests handled at once per process (the thread pool; its connection pool is as large).
Measured with benchmarks/load_room.py on 2 cores: more threads only queue for Python's
interpreter lock, and on SQLite the thread holding the writer's turn then waits for the
interpreter between its statements, so every writer waits longer (PostgreSQL open-loop
p99 1.8 s with 8 threads, 0.25 s with 4; closed loop with 2 processes, SQLite 191-283
rounds/s with 2 threads against 176-223 with 4, PostgreSQL 224-228 against 159-168). A
long request (the engine proposing a draft) holds one thread; the other keeps serving.
Open loop at ~200 requests/s on PostgreSQL (commit 942ea0f): one process, p99 1.4 s with 2
threads and 4.1 s with 4; two processes, 157 ms with 2, 150-161 ms with 3 or 4 (the
server at 83-102% of a core). `ACCORD_ROOM_THREADS` (a whole number from 1 to 64) sets
another number, for measuring."""
THREADS_ENV = "ACCORD_ROOM_THREADS"


def request_threads() -> int:
    """Request threads per process: `THREADS`, or the number `ACCORD_ROOM_THREADS` gives."""
    given = os.environ.get(THREADS_ENV, "").strip()
    if not given:
        return THREADS
    if not given.isascii() or not given.isdigit() or not 1 <= int(given) <= 64:
        raise UsageError(f"{THREADS_ENV}={given!r}: expected a whole number from 1 to 64")
    return int(given)

Executor = Session | Connection
"""What runs the room's Core statements: an ORM session, or, on the busiest routes, a Core
connection (`Database.connection`: about a third of the session's cost per statement)."""
MIGRATION_LOCK = 0x61636364
"""PostgreSQL advisory lock key held while migrating ('accd')."""


def now() -> dt.datetime:
    """The current time, UTC, without microseconds noise in the UI."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Negotiation(Base):
    __tablename__ = "negotiations"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    issues: Mapped[list] = mapped_column(JSON)
    """The public issues: [{id, title, text, options: [{id, label}]}]."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    rule: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    """The decision rule, public, set at opening and never changed: the scenario format's
    `rule` over the delegations' party ids, as `accord.model.Rule` validated it
    ({at_least, required, issues, note}); None: unanimity."""


class Member(Base):
    """A mediator, a delegation or an observer of one negotiation."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("negotiation_id", "party_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    party_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    invite_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    preferences: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    """Confidential: {reservation, preferences: {issue: {salience, valuations, red_lines}}}."""
    shared: Mapped[list] = mapped_column(JSON, default=list)
    """Which of `SHAREABLE` the mediator may see."""
    disclosure: Mapped[str] = mapped_column(String(16), default="nothing",
                                            server_default="nothing")
    """What the mediator may be told of its unshared demands that block a deal: one of
    `services.DISCLOSURES` (see `services/impasse.py`)."""
    preferences_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    """When its preferences last changed (what stands in the way is told for older ones)."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    joined_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    """When its invitation was first redeemed (the mediator: when it opened the negotiation);
    from then on no one can issue a link to this seat."""
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    recovery_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """The salted scrypt of the member's recovery code (see `room/recovery.py`)."""
    colleague_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True,
                                                       index=True)
    """The sha256 of a single-use link into this seat that a signed-in delegation made for a
    colleague (see `room/recovery.py`)."""


class SignIn(Base):
    """A browser session: the sha256 of its cookie, never the cookie itself."""

    __tablename__ = "sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class DraftRow(Base):
    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("negotiation_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    points: Mapped[list] = mapped_column(JSON)
    """[{issue, option, text}] in order: the single negotiating text."""
    published_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    """When the delegations' answers are due (UTC), if the mediator set a deadline."""
    versus: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """An earlier draft's number the delegations are asked to compare this one with."""


class Answer(Base):
    """A delegation's latest answer to one point of one draft (history is in `events`)."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("draft_id", "member_id", "issue"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    issue: Mapped[str] = mapped_column(String(200))
    verdict: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    red_line: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """A rejection that says the point crosses the delegation's red line."""
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class WholeAnswer(Base):
    """A delegation's latest answer on a draft as a whole: whether it could sign it, how it
    compares with the earlier draft the mediator named, and the points it wants changed,
    most important first — what the engine mediator learns from (`room/mediation.py`)."""

    __tablename__ = "whole_answers"
    __table_args__ = (UniqueConstraint("draft_id", "member_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    sign: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    compared: Mapped[str | None] = mapped_column(String(8), nullable=True)
    priorities: Mapped[list] = mapped_column(JSON, default=list)
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class Event(Base):
    """The append-only log: rows are inserted, never updated or deleted."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_negotiation_id_id", "negotiation_id", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class Setting(Base):
    """Values every process of the room must share (the signing key of signed-out forms)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged write is on disk
    cursor.close()
    dbapi_connection.isolation_level = None  # transactions begin where `_sqlite_begin` says


def _sqlite_begin(connection) -> None:
    """`BEGIN IMMEDIATE` for a write (it takes the write lock up front, so it never fails
    half-way on a lock another writer took), a plain deferred `BEGIN` for a read."""
    write = connection.get_execution_options().get("accord_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class _WriterTurn:
    """Whose turn it is to write to one SQLite file: a lock for this process's threads,
    then an flock on `<file>-writer.lock` for the processes sharing the file (`--workers`).
    Both wake the next writer the moment the last one commits; SQLite's own busy handler
    would have it sleep in steps of up to 100 ms."""

    def __init__(self, database: str | None) -> None:
        self._threads = threading.Lock()
        self._path = (f"{database}-writer.lock"
                      if database and database != ":memory:" and fcntl is not None else None)
        self._fd: int | None = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        with self._threads:
            if self._path is None:
                yield
                return
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)  # waits without holding the GIL
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        with self._threads:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def normalise_url(url: str) -> str:
    """`postgresql://` means psycopg 3 (the driver we ship), not psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Database:
    """An engine and its session factory."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        # No ping on checkout (a round trip per request): a connection the server dropped
        # fails its request once, and SQLAlchemy then discards the whole pool.
        self.engine: Engine = create_engine(self.url, pool_pre_ping=False,
                                            **_engine_options(self.url))
        self.sqlite = self.engine.dialect.name == "sqlite"
        if self.sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self.session = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = _WriterTurn(self.engine.url.database if self.sqlite else None)

    @contextlib.contextmanager
    def transaction(self, write: bool = False) -> Iterator[Session]:
        """A session in one transaction, committed on success, rolled back on error. On
        SQLite a write holds the writer's turn and begins IMMEDIATE; on PostgreSQL a read
        runs in autocommit (each statement sees the newest committed data)."""
        turn = self._writer.held() if (write and self.sqlite) else contextlib.nullcontext()
        with turn, self.session() as session, session.begin():
            session.connection(execution_options=_options(write, self.sqlite))
            yield session

    @contextlib.contextmanager
    def connection(self, write: bool = False) -> Iterator[Connection]:
        """A Core connection in one transaction, with the rules of `transaction`: for
        routes whose rules read and write with SQLAlchemy Core only."""
        turn = self._writer.held() if (write and self.sqlite) else contextlib.nullcontext()
        with turn, self.engine.connect() as connection:
            connection.execution_options(**_options(write, self.sqlite))
            with connection.begin():
                yield connection

    @classmethod
    def in_folder(cls, folder: str | Path) -> Database:
        """The embedded SQLite database `room.sqlite3` in `folder` (created if needed)."""
        path = Path(folder).expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        return cls(f"sqlite:///{path / 'room.sqlite3'}")

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest Alembic revision."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.connect().execution_options(accord_write=True) as connection:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                       {"key": MIGRATION_LOCK})
                config.attributes["connection"] = connection
                command.upgrade(config, "head")

    def shared_secret(self, key: str) -> bytes:
        """A random secret stored under `key` the first time any process asks, then the
        same for every process and host on this database."""
        for _ in range(3):
            try:
                with self.transaction(write=True) as s:
                    found = s.get(Setting, key)
                    if found is None:
                        found = Setting(key=key, value=secrets.token_hex(32))
                        s.add(found)
                    return bytes.fromhex(found.value)
            except IntegrityError:  # another process stored it first: read theirs
                continue
        raise RuntimeError(f"could not store the room setting {key!r}")

    def dispose(self) -> None:
        self._writer.close()
        self.engine.dispose()


def _options(write: bool, sqlite: bool) -> dict:
    """A transaction's execution options: on SQLite a write begins IMMEDIATE (see
    `_sqlite_begin`); on PostgreSQL a read needs no BEGIN and COMMIT round trips."""
    if sqlite:
        return {"accord_write": write}
    return {} if write else {"isolation_level": "AUTOCOMMIT"}


def _engine_options(url: str) -> dict:
    """A pool as large as the thread pool (plus the live-update watcher and slack), so no
    request opens a connection of its own."""
    pool = {"pool_size": request_threads() + 2, "max_overflow": 4, "pool_timeout": 30}
    if url.startswith("sqlite"):
        if ":memory:" in url or url.rstrip("/") in ("sqlite:", "sqlite+pysqlite:"):
            return {"connect_args": {"check_same_thread": False}}
        return {"connect_args": {"check_same_thread": False, "timeout": 30}} | pool
    return pool | {"pool_recycle": 1800}  # before firewalls and servers drop idle ones


def upsert(s: Executor, model: type[Base], rows: list[dict], key: tuple[str, ...],
           update: tuple[str, ...]) -> None:
    """Insert `rows`, or update `update` of the rows whose `key` exists: one statement
    (INSERT … ON CONFLICT DO UPDATE, on SQLite and PostgreSQL), executed once for all rows
    and compiled once per process."""
    if rows:
        dialect = s.dialect if isinstance(s, Connection) else s.get_bind().dialect
        s.execute(_upsert_statement(dialect.name, model, key, update), rows)


@functools.cache
def _upsert_statement(dialect: str, model: type[Base], key: tuple[str, ...],
                      update: tuple[str, ...]):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(model.__table__)
    return statement.on_conflict_do_update(
        index_elements=list(key), set_={name: statement.excluded[name] for name in update})
