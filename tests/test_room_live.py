"""Live updates across processes: no draft falls between a stream's first read and the
watcher's (on SQLite and PostgreSQL).

A stream reads the newest draft number when it starts, and the process's watcher thread,
started by that stream, reads its first draft id a moment later. A draft committed between
the two reads must still reach the stream: under load that moment grows to seconds, and a
delegation's page then never heard of the draft (found as a flaky
test_room_workers::test_two_servers_on_one_database_are_one_room).
"""

from __future__ import annotations

import asyncio

from room_helpers import app, postgres_url  # noqa: F401 (fixtures)

from accord.room import live
from accord.room.services.drafts import publish_draft
from accord.room.services.members import issues_from_text, open_negotiation

ISSUES = "Point 1: yes; no\nPoint 2: yes; no"


def _publish(db, mediator) -> int:
    with db.transaction(write=True) as s:
        return publish_draft(s, mediator, "next", {}, {}).number


def test_a_draft_between_the_streams_read_and_the_watchers_reaches_the_stream(app):
    db = app.state.db
    with db.transaction(write=True) as s:
        negotiation, mediator = open_negotiation(s, "Live", issues_from_text(ISSUES))
        n = negotiation.id
    assert _publish(db, mediator) == 1
    drafts = live.Drafts(db)
    first_look = drafts._newest_id
    read_by_stream = []

    def late_first_look() -> int:
        """The watcher's first read, late: the stream has read, then draft 2 is out."""
        read_by_stream.append(drafts.load(n))
        read_by_stream.append(_publish(db, mediator))
        return first_look()

    drafts._newest_id = late_first_look

    async def stream() -> int:
        wake = asyncio.Event()
        drafts.subscribe(n, wake)
        try:
            drafts.watch()
            while (drafts.known(n) or 0) < 2:
                await asyncio.wait_for(wake.wait(), timeout=20)
                wake.clear()
            return drafts.known(n)
        finally:
            drafts.unsubscribe(n, wake)

    try:
        assert asyncio.run(stream()) == 2
    finally:
        drafts.stop()
    assert read_by_stream == [1, 2]


def test_the_stream_hears_of_later_drafts_too(app):
    """The usual order: the watcher looks first, then drafts are published."""
    db = app.state.db
    with db.transaction(write=True) as s:
        negotiation, mediator = open_negotiation(s, "Live", issues_from_text(ISSUES))
        n = negotiation.id
    drafts = live.Drafts(db)

    async def stream() -> list[int]:
        wake, heard = asyncio.Event(), []
        drafts.subscribe(n, wake)
        try:
            drafts.watch()
            for expected in (1, 2, 3):
                await asyncio.to_thread(_publish, db, mediator)
                while (drafts.known(n) or 0) < expected:
                    await asyncio.wait_for(wake.wait(), timeout=20)
                    wake.clear()
                heard.append(drafts.known(n))
            return heard
        finally:
            drafts.unsubscribe(n, wake)

    try:
        assert asyncio.run(stream()) == [1, 2, 3]
    finally:
        drafts.stop()
