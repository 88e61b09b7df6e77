"""The ASGI app: the API (``api.py``), the page (``static/``), and what guards both.

Guards, outermost first: the request body size limit; the Host check (against DNS rebinding when
bound to loopback); security headers on every response (a Content-Security-Policy that allows no
inline script and nothing from another origin); and for writes, a JSON content type, a same-origin
``Origin`` and, when the server has one, the token. Every error is JSON
(``{"error": {"status", "code", "message"}}``), a 4xx for anything the client did.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..config import Settings, load_settings
from ..corrections import CorrectionError
from ..errors import EventwireError, InputError, StoreError
from ..pipeline import Pipeline
from ..store import QueryError

log = logging.getLogger(__name__)

STATIC = Path(str(resources.files("eventwire.server").joinpath("static")))
#: the largest request body accepted, in bytes: an article's text (``input.max_bytes``) fits in it
#: twice over, for JSON's escapes
MAX_BODY_BYTES = 5 * 1024 * 1024
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON_TYPES = ("application/json", "application/merge-patch+json")


@dataclass
class ServerConfig:
    """What an app serves and how; ``create_app`` takes one."""

    db: str
    #: writes need this token (``Authorization: Bearer TOKEN``) when set
    token: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    #: Host header values accepted (None: any); ``serve`` sets the loopback names on loopback
    allowed_hosts: list[str] | None = None
    #: an online tile layer's URL template ("https://tile.example.org/{z}/{x}/{y}.png"), or None
    #: for the vendored world basemap alone
    tiles: str | None = None
    settings: Settings | None = None
    #: a ready pipeline (tests); else one is built from ``settings`` at the first POST
    pipeline: Pipeline | None = None
    fingerprint: str | None = None


@dataclass
class ServerState:
    """What the request handlers share: the configuration and the one pipeline of the app."""

    config: ServerConfig
    settings: Settings
    fingerprint: str
    _pipeline: Pipeline | None = None
    #: one extraction at a time: the pipeline's stages keep state and the model is CPU-bound
    lock: threading.Lock = field(default_factory=threading.Lock)

    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline(self.settings)
        return self._pipeline


class ApiError(Exception):
    """An error with its HTTP status and a short code, sent as JSON."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse(
        {"error": {"status": status, "code": code, "message": message, **extra}},
        status_code=status,
        headers=headers,
    )


def content_security_policy(tiles: str | None) -> str:
    images = "'self' data:"
    if tiles:
        parts = urlsplit(tiles.replace("{s}", "*"))
        images += f" {parts.scheme}://{parts.netloc}"
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "connect-src 'self'",
            "font-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def create_app(config: ServerConfig | str) -> FastAPI:
    """The app over the store at ``config.db`` (created if missing)."""
    from ..cli import fingerprint as pipeline_fingerprint
    from ..store import Store
    from .api import router

    if isinstance(config, str):
        config = ServerConfig(db=config)
    settings = config.settings or (
        config.pipeline.settings if config.pipeline is not None else load_settings()
    )
    # open once now: a bad path or a file that is no store fails at start, not at first request
    Store(config.db).close()
    state = ServerState(
        config=config,
        settings=settings,
        fingerprint=config.fingerprint or pipeline_fingerprint(settings),
        _pipeline=config.pipeline,
    )
    app = FastAPI(
        title="eventwire",
        version=__version__,
        description=(
            "Conflict events extracted from news: explore, check and correct them. "
            "Writes need `Authorization: Bearer TOKEN` when the server has a token."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.eventwire = state
    app.include_router(router)
    _add_error_handlers(app)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # added last = outermost: the size limit sees a request before anything reads its body
    app.add_middleware(_WriteGuard)
    app.add_middleware(_SecurityHeaders, csp=content_security_policy(config.tiles))
    if config.allowed_hosts:
        app.add_middleware(_HostCheck, allowed=config.allowed_hosts)
    app.add_middleware(_BodyLimit, limit=config.max_body_bytes)
    return app


# -- errors --------------------------------------------------------------------------------------


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}; the API is described at /docs"
        return error_response(exc.status_code, code, message, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "malformed_json", "the request body is not valid JSON")
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg"))}
            for e in errors
        ]
        message = "; ".join(f"{p['where']}: {p['problem']}" for p in problems)
        return error_response(422, "invalid", message, details=problems)

    @app.exception_handler(CorrectionError)
    async def bad_correction(request: Request, exc: CorrectionError) -> JSONResponse:
        return error_response(422, "invalid_correction", exc.message)

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> JSONResponse:
        return error_response(422, "invalid_query", exc.message)

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> JSONResponse:
        return error_response(422, "invalid_article", exc.problem, error_code=exc.code)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        # a locked or unwritable database: the client may try again later
        log.warning("store error on %s %s: %s", request.method, request.url.path, exc.message)
        return error_response(503, "store_unavailable", exc.message)

    @app.exception_handler(EventwireError)
    async def eventwire_error(request: Request, exc: EventwireError) -> JSONResponse:
        log.error("error on %s %s: %s", request.method, request.url.path, exc)
        return error_response(500, "server_error", exc.message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # logged with its traceback here; the client gets no internals
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "server_error", "the server failed; see its log")


# -- middleware ----------------------------------------------------------------------------------


class _BodyLimit:
    """Refuse bodies over ``limit`` bytes with a 413, by Content-Length or while reading.

    A body sent without a Content-Length (chunked) is read here, up to the limit, before the app
    sees it: the app's own body parsing would turn an error raised half-way into a vague 400.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _send(scope, receive, send, 400, "bad_request", "Content-Length is no number")
                return
            if declared > self.limit:
                await self._refuse(scope, receive, send)
                return
            # the server holds the client to its Content-Length
            await self.app(scope, receive, send)
            return
        if headers.get(b"transfer-encoding") is None:
            await self.app(scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            body += message.get("body", b"")
            if len(body) > self.limit:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _send(
            scope,
            receive,
            send,
            413,
            "body_too_large",
            f"the request body is larger than {self.limit} bytes",
        )


async def _send(
    scope: Scope, receive: Receive, send: Send, status: int, code: str, message: str
) -> None:
    await error_response(status, code, message)(scope, receive, send)


class _HostCheck:
    """Answer only requests for the names the server was bound to.

    A page on another site can make a browser send requests to 127.0.0.1 under its own host name
    (DNS rebinding); such a request carries that name in its Host header.
    """

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            name = urlsplit(f"//{host}").hostname or ""
            if name.lower() not in self.allowed:
                await _send(
                    scope,
                    receive,
                    send,
                    400,
                    "bad_host",
                    f"this server does not answer for {host!r}",
                )
                return
        await self.app(scope, receive, send)


class _SecurityHeaders:
    def __init__(self, app: ASGIApp, csp: str) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((k, v) for k, v in self.headers if k not in names),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class _WriteGuard:
    """Writes only as JSON and from this origin: a page elsewhere cannot post on the user's behalf.

    A cross-site form can send ``text/plain`` without a CORS preflight; requiring a JSON type
    forces the preflight, which this server never grants. The ``Origin`` check is the second lock.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in JSON_TYPES:
            await _send(
                scope,
                receive,
                send,
                415,
                "unsupported_media_type",
                f"send the body as JSON (Content-Type: {JSON_TYPES[0]})",
            )
            return
        origin = headers.get("origin")
        if origin and urlsplit(origin).netloc != headers.get("host"):
            await _send(
                scope, receive, send, 403, "cross_origin", "writes from another origin are refused"
            )
            return
        await self.app(scope, receive, send)
