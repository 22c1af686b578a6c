"""A lean HTTP/1.1 client for the room's load benchmark: one keep-alive connection per
delegation, requests written as bytes, responses read by Content-Length.

httpx spends about 2.5 ms of CPU per request here; on a 2-core machine that shares its
cores with the server, the load generator then takes most of a core and caps what a
closed loop can show. This client does the same requests for a fraction of that. It
speaks only what the room's JSON API answers (status line, headers, a body with
Content-Length or none), and raises `httpx.TransportError` subclasses so the benchmark's
error accounting treats both clients alike.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
from urllib.parse import urlsplit

import httpx


class LeanResponse:
    """What the benchmark reads of a response."""

    def __init__(self, status_code: int, body: bytes) -> None:
        self.status_code, self.content = status_code, body

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self):
        return jsonlib.loads(self.content)


class LeanClient:
    """Requests over keep-alive connections (an idle one is reused, else one is opened, so
    concurrent requests never queue in the client), carrying the cookies a signed-in httpx
    client holds."""

    def __init__(self, base: str, cookies: httpx.Cookies, timeout: float = 60.0) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        self.timeout = timeout
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def get(self, path: str, headers: dict | None = None) -> LeanResponse:
        return await self.request("GET", path, headers=headers)

    async def post(self, path: str, json=None, headers: dict | None = None) -> LeanResponse:
        return await self.request("POST", path, json=json, headers=headers)

    async def request(self, method: str, path: str, json=None,
                      headers: dict | None = None) -> LeanResponse:
        body = b"" if json is None else jsonlib.dumps(json).encode()
        lines = [f"{method} {path} HTTP/1.1", f"host: {self.host}:{self.port}",
                 f"cookie: {self.cookie}", "accept: application/json",
                 f"content-length: {len(body)}"]
        if json is not None:
            lines.append("content-type: application/json")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        message = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        for attempt in (0, 1):
            reused = bool(self._idle)
            streams = self._idle.pop() if reused else None
            try:
                if streams is None:
                    streams = await asyncio.open_connection(self.host, self.port)
                response, keep = await asyncio.wait_for(self._exchange(streams, message),
                                                        self.timeout)
            except (ConnectionError, asyncio.IncompleteReadError) as error:
                _close(streams)
                if attempt or not reused:  # a fresh connection failed: that is an error
                    raise httpx.RemoteProtocolError(f"connection lost: {error}") from None
                continue  # the server had closed an idle connection: once more, afresh
            except TimeoutError:
                _close(streams)
                raise httpx.ReadTimeout("no answer in time") from None
            if keep:
                self._idle.append(streams)
            else:
                _close(streams)
            return response
        raise AssertionError("unreachable")

    async def _exchange(self, streams, message: bytes) -> tuple[LeanResponse, bool]:
        reader, writer = streams
        writer.write(message)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        length, close = 0, False
        for line in header_lines:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        body = await reader.readexactly(length) if length else b""
        return LeanResponse(status, body), not close

    async def aclose(self) -> None:
        while self._idle:
            _close(self._idle.pop())


def _close(streams) -> None:
    if streams is not None:
        streams[1].close()
