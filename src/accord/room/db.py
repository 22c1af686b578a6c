"""Storage of the room: SQLAlchemy 2.x tables, the engine and sessions, migrations on start.

SQLite (a file in the data folder) by default, PostgreSQL for a team. The schema is
created and upgraded by Alembic (`migrations/`), run programmatically by `Database.migrate`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


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
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class Event(Base):
    """The append-only log: rows are inserted, never updated or deleted."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


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
        self.engine: Engine = create_engine(self.url, pool_pre_ping=True,
                                            **_engine_options(self.url))
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.session = sessionmaker(self.engine, expire_on_commit=False)

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
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def dispose(self) -> None:
        self.engine.dispose()


def _engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        return {"connect_args": {"check_same_thread": False, "timeout": 30}}
    return {"pool_size": 10, "max_overflow": 20}
