"""The FastAPI application: storage, migrations, limits, security headers, error pages."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from pathlib import Path

import anyio.to_thread

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from accord.room import web
from accord.room.db import Database, request_threads
from accord.room.live import Drafts
from accord.room.limits import BodyTooLarge
from accord.room.routes import ROUTERS
from accord.room.services import RoomError

MAX_BODY = 1 << 20
"""Largest request body accepted (1 MiB: a scenario file fits with room to spare)."""
DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "accord-room"
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"),
]
log = logging.getLogger("accord.room")


class Guard:
    """ASGI middleware: 413 for bodies over the limit (declared or streamed), a plain 500
    for any uncaught error (logged; the connection stays usable), and the security headers
    on every response, these two included."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        seen, started = 0, False

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise BodyTooLarge
            return message

        async def with_headers(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            return await _too_large(scope, receive, with_headers, self.max_body)
        try:
            await self.app(scope, counted, with_headers)
        except BodyTooLarge:
            if not started:
                await _too_large(scope, receive, with_headers, self.max_body)
        except Exception:
            log.exception("internal error on %s", scope.get("path"))
            if started:  # part of a response is out: only closing the connection is left
                raise
            response = JSONResponse({"error": "internal error (logged on the server)"}, 500)
            await response(scope, receive, with_headers)


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    response = PlainTextResponse(f"request body too large (limit {limit} bytes)", 413)
    await response(scope, receive, send)


def create_app(database: Database | str | None = None, data_dir: str | Path | None = None,
               max_body: int = MAX_BODY, secure_cookies: bool | None = None,
               csrf_secret: bytes | None = None, openapi: bool = False,
               migrate: bool = True) -> FastAPI:
    """The room's web application. Without arguments: SQLite in the default data folder.
    `csrf_secret` signs the signed-out forms' CSRF cookie (default: a random key stored in
    the database, the same for every process and host of the room). `openapi` serves the
    API's schema at /openapi.json (the tests fuzz it with schemathesis; `accord serve`
    leaves it off). `migrate=False` when the schema was brought up to date already (the
    workers of `accord serve --workers N`: their parent migrates once)."""
    if isinstance(database, str):
        database = Database(database)
    database = database or Database.in_folder(data_dir or DEFAULT_DATA_DIR)
    if migrate:
        database.migrate()

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        # As many requests at once as the connection pool serves (see db.THREADS).
        anyio.to_thread.current_default_thread_limiter().total_tokens = request_threads()
        yield
        _app.state.drafts.stop()

    app = FastAPI(title="accord negotiation room", docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json" if openapi else None, lifespan=lifespan)
    app.state.db, app.state.drafts = database, Drafts(database)
    app.state.secure_cookies = secure_cookies
    app.state.csrf_secret = csrf_secret or database.shared_secret("csrf")
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")),
              name="static")
    for router in ROUTERS:
        app.include_router(router)
    _handlers(app)
    app.add_middleware(Guard, max_body=max_body)
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(RoomError)
    async def room_error(request: Request, error: RoomError):
        return web.error_response(request, error.status, str(error))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                             for e in error.errors()[:5])
        return web.error_response(request, 422, f"bad request: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        if isinstance(error.__cause__, BodyTooLarge):  # FastAPI reading a JSON body: 400
            return web.error_response(request, 413, "request body too large")
        return web.error_response(request, error.status_code, str(error.detail))

    # Uncaught errors are answered by Guard (a 500 with the security headers); a handler
    # for Exception here would run outside it and re-raise, closing the connection.


DATABASE_ENV = "ACCORD_ROOM_DATABASE_URL"
"""Where `worker_app` finds its database: set by `accord serve` for its worker processes."""


def worker_app() -> FastAPI:
    """The app of one worker process of `accord serve --workers N` (a uvicorn factory):
    its database comes from the environment, already migrated by the parent."""
    app = create_app(Database(os.environ[DATABASE_ENV]), migrate=False)
    settle_interpreter()
    return app


SWITCH_INTERVAL = 0.001
"""Seconds a thread may keep Python's interpreter lock while another waits (Python's
default: 0.005). Shorter, the thread that holds SQLite's writer's turn gets the lock back
sooner between its statements. Closed loop, 2 processes, SQLite, three runs each: 213-283
rounds/s, p99 258-350 ms, against 212-266 rounds/s, p99 307-394 ms at 0.005."""


def settle_interpreter() -> None:
    """For a long-running server: what is loaded at start (the engine, the templates) is
    moved out of the collector's sight, and full collections run less often, so a request
    rarely waits behind one (they were the slowest 1% of requests under load); threads
    take turns on the interpreter every `SWITCH_INTERVAL`."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(7000, 20, 100)
    sys.setswitchinterval(SWITCH_INTERVAL)
