"""Live updates: server-sent events telling signed-in pages that a draft was published.

Every process keeps, per negotiation, the number of the newest draft it knows of; an event
stream sleeps until that number moves (or a heartbeat is due), so idle streams cost
nothing but their connection. What keeps that number true when
the room runs as several processes (`accord serve --workers N`, or several hosts on one
PostgreSQL) is one watcher thread per process, started by the first stream:

- on PostgreSQL it LISTENs on `CHANNEL`; publishing a draft sends `pg_notify` in the same
  transaction, so the notice leaves exactly when the draft is committed, to every process.
  After a lost connection (and every `CATCH_UP_SECONDS` in any case) it also reads the
  drafts table for anything it missed;
- on SQLite (processes on one machine, one file) it reads the drafts published since the
  last look, every `POLL_SECONDS`: one indexed query per process, however many streams.

The watcher stops when no stream has asked for `IDLE_SECONDS`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from accord.room.db import Database, DraftRow

CHANNEL = "accord_drafts"
POLL_SECONDS = 0.25
"""How often the SQLite watcher reads the drafts table."""
HEARTBEAT_SECONDS = 15.0
CATCH_UP_SECONDS = 5.0
IDLE_SECONDS = 60.0
log = logging.getLogger("accord.room")


def announce(s: Session, negotiation_id: str, number: int) -> None:
    """Tell every process, once this transaction commits, that draft `number` is out."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_notify(:channel, :payload)"),
                  {"channel": CHANNEL, "payload": f"{negotiation_id} {number}"})


class Drafts:
    """Newest draft number per negotiation, as this process knows it; thread-safe."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._latest: dict[str, int] = {}
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None
        self._asked = time.monotonic()
        self._stop = threading.Event()
        self._waiting: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}

    def published(self, negotiation_id: str, number: int) -> None:
        """Note draft `number` (from any thread) and wake the streams of its negotiation."""
        with self._lock:
            before = self._latest.get(negotiation_id, 0)
            self._latest[negotiation_id] = max(number, before)
            waiting = list(self._waiting.get(negotiation_id, ())) if number > before else []
        for loop, wake in waiting:
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:  # that stream's event loop has closed
                pass

    def subscribe(self, negotiation_id: str, wake: asyncio.Event) -> None:
        """Have `wake` (of the running event loop) set whenever a newer draft is noted."""
        entry = (asyncio.get_running_loop(), wake)
        with self._lock:
            self._waiting.setdefault(negotiation_id, set()).add(entry)

    def unsubscribe(self, negotiation_id: str, wake: asyncio.Event) -> None:
        with self._lock:
            waiting = self._waiting.get(negotiation_id, set())
            waiting.difference_update({e for e in waiting if e[1] is wake})
            if not waiting:
                self._waiting.pop(negotiation_id, None)

    def known(self, negotiation_id: str) -> int | None:
        """The newest number known here, or None if this process never looked."""
        with self._lock:
            self._asked = time.monotonic()
            return self._latest.get(negotiation_id)

    def load(self, negotiation_id: str) -> int:
        """Read the newest number from the database (blocking: call it from a thread)."""
        with self.db.session() as s:
            number = s.scalar(select(func.max(DraftRow.number))
                              .where(DraftRow.negotiation_id == negotiation_id)) or 0
        self.published(negotiation_id, number)
        return self.known(negotiation_id) or 0

    def watch(self) -> None:
        """Start the watcher thread if it is not running."""
        with self._lock:
            self._asked = time.monotonic()
            if self._watcher is not None and self._watcher.is_alive():
                return
            self._latest.clear()  # what was published while no one watched: read it afresh
            self._stop.clear()
            self._watcher = threading.Thread(target=self._run, name="accord-live",
                                             daemon=True)
            self._watcher.start()

    def stop(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=5)

    def _idle(self) -> bool:
        with self._lock:
            return time.monotonic() - self._asked > IDLE_SECONDS

    def _run(self) -> None:
        seen = self._newest_id()
        self._reload_watched()
        while not self._stop.is_set() and not self._idle():
            try:
                if self.db.engine.dialect.name == "postgresql":
                    seen = self._listen(seen)
                else:
                    seen = self._catch_up(seen)
                    self._stop.wait(POLL_SECONDS)
            except Exception:  # the database went away: say so, wait, look again
                log.warning("live updates: lost the database; retrying", exc_info=True)
                self._stop.wait(1.0)

    def _reload_watched(self) -> None:
        """Read afresh the newest draft of every negotiation a stream waits on. A stream
        reads its number when it starts, and this thread its first draft id a moment
        later: a draft committed in between is above the one and not above the other, so
        without this second read it would reach no stream of this process."""
        with self._lock:
            watched = list(self._waiting)
        for negotiation_id in watched:
            try:
                self.load(negotiation_id)
            except Exception:  # the database went away: the streams read it themselves
                log.warning("live updates: could not read the newest drafts", exc_info=True)
                return

    def _newest_id(self) -> int:
        try:
            with self.db.session() as s:
                return s.scalar(select(func.max(DraftRow.id))) or 0
        except Exception:
            return 0

    def _catch_up(self, seen: int) -> int:
        """Note every draft with an id above `seen`; return the highest id read."""
        with self.db.session() as s:
            rows = s.execute(select(DraftRow.id, DraftRow.negotiation_id, DraftRow.number)
                             .where(DraftRow.id > seen).order_by(DraftRow.id)).all()
        for row in rows:
            self.published(row.negotiation_id, row.number)
            seen = row.id
        return seen

    def _listen(self, seen: int) -> int:
        """LISTEN until stopped, idle or disconnected (then the caller calls again)."""
        import psycopg

        connection = psycopg.connect(_libpq_url(self.db.engine.url), autocommit=True)
        try:
            connection.execute(f"LISTEN {CHANNEL}")
            seen = self._catch_up(seen)  # what was published while not listening
            last = time.monotonic()
            while not self._stop.is_set() and not self._idle():
                for notice in connection.notifies(timeout=1.0):
                    negotiation_id, _, number = notice.payload.partition(" ")
                    if number.isdigit():
                        self.published(negotiation_id, int(number))
                if time.monotonic() - last > CATCH_UP_SECONDS:
                    seen, last = self._catch_up(seen), time.monotonic()
            return seen
        finally:
            connection.close()


def _libpq_url(url) -> str:
    """A SQLAlchemy URL as libpq (psycopg) takes it."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def draft_stream(drafts: Drafts, negotiation_id: str, since: int,
                       max_seconds: float) -> AsyncIterator[str]:
    """`event: draft` with the new number whenever one is published after `since`; a
    comment line every `HEARTBEAT_SECONDS` otherwise. (A client that goes away is noticed by
    the response, which cancels this generator.)"""
    from starlette.concurrency import run_in_threadpool

    wake = asyncio.Event()
    drafts.subscribe(negotiation_id, wake)
    try:
        drafts.watch()
        shown, deadline = since, time.monotonic() + max_seconds
        yield "retry: 2000\n\n"
        while (left := deadline - time.monotonic()) > 0:
            wake.clear()
            latest = drafts.known(negotiation_id)
            if latest is None:
                latest = await run_in_threadpool(drafts.load, negotiation_id)
            if latest > shown:
                shown = latest
                yield f"event: draft\ndata: {latest}\n\n"
                continue
            try:
                await asyncio.wait_for(wake.wait(), timeout=min(HEARTBEAT_SECONDS, left))
            except TimeoutError:
                if deadline - time.monotonic() > 0:
                    yield ": keep-alive\n\n"
            drafts.watch()  # still wanted: keep the watcher from stopping as idle
    finally:
        drafts.unsubscribe(negotiation_id, wake)
