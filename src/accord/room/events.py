"""Live updates: server-sent events telling signed-in pages that a draft was published.

One process keeps, per negotiation, the number of the newest draft; each stream wakes a
few times a second and sends an event when that number passes what the page has shown.
(Several server processes would each see only their own publications: run one.)
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable

POLL_SECONDS = 0.25
HEARTBEAT_SECONDS = 15.0


class Broker:
    """Newest draft number per negotiation; thread-safe (publishing runs in a thread)."""

    def __init__(self) -> None:
        self._latest: dict[str, int] = {}
        self._lock = threading.Lock()

    def published(self, negotiation_id: str, number: int) -> None:
        with self._lock:
            self._latest[negotiation_id] = max(number, self._latest.get(negotiation_id, 0))

    def latest(self, negotiation_id: str, load: Callable[[], int]) -> int:
        with self._lock:
            if negotiation_id not in self._latest:
                self._latest[negotiation_id] = load()
            return self._latest[negotiation_id]


async def draft_stream(broker: Broker, negotiation_id: str, since: int,
                       load: Callable[[], int], disconnected: Callable,
                       max_seconds: float) -> AsyncIterator[str]:
    """`event: draft` with the new number whenever one is published after `since`."""
    shown, start, beat = since, time.monotonic(), time.monotonic()
    yield "retry: 2000\n\n"
    while time.monotonic() - start < max_seconds:
        latest = broker.latest(negotiation_id, load)
        if latest > shown:
            shown = latest
            yield f"event: draft\ndata: {latest}\n\n"
        elif time.monotonic() - beat > HEARTBEAT_SECONDS:
            beat = time.monotonic()
            yield ": keep-alive\n\n"
        if await disconnected():
            return
        await asyncio.sleep(POLL_SECONDS)
