"""The fleet server as an ASGI application on Starlette.

Starlette routes by path; each path's operations (routes.py, console/__init__.py) are one
small ASGI app here, which:

- refuses other methods with 405 naming the allowed ones, odd path parameters with 404,
  query parameters an admin route does not take with 422;
- bounds the body before reading it (411 without a Content-Length or with chunked
  encoding, 413 over 4 MB; both close the connection);
- admits device requests under the storm limits (ratelimit.py) on the event loop, so a
  refused kiosk costs no worker thread; an address whose device requests keep failing
  authentication is refused there too;
- runs the handler on a worker thread (handlers block on the database) and turns a
  FleetError into a problem document, a busy database into 503, anything else into 500.

Console pages say how long the server took in a ``Server-Timing`` header (the console
benchmark reads it). ``/openapi.json`` serves openapi.yaml.
"""

from __future__ import annotations

import functools
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import yaml
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request as StarletteRequest
from starlette.responses import JSONResponse
from starlette.responses import Response as StarletteResponse
from starlette.routing import BaseRoute, Mount
from starlette.routing import Route as StarletteRoute
from starlette.types import Lifespan, Receive, Scope, Send

from provisioning.server import console, routes
from provisioning.server.analytics import pages as analytics_pages
from provisioning.server.db import DatabaseBusy
from provisioning.server.devauth import signed_parts
from provisioning.server.errors import (
    BodyRefused,
    FleetError,
    Invalid,
    NotFound,
    ServerFailed,
    TooMany,
    Unavailable,
)
from provisioning.server.hardening import SecurityHeaders
from provisioning.server.routes import Route
from provisioning.server.tufserve import TufFiles
from provisioning.server.wire import PROBLEM_TYPE, Request, Response, problem_response

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp

log = logging.getLogger(__name__)

MAX_BODY = 4_000_000
SPEC_PATH = Path(__file__).with_name("openapi.yaml")
ALL_ROUTES = routes.API_ROUTES + console.ROUTES + analytics_pages.ROUTES
_BODY_METHODS = ("POST", "PUT", "PATCH")
DRAIN_FACTOR = 4  # a body up to 4 times the limit is read before it is refused


class Operations:
    """The operations of one path template, as one ASGI app."""

    def __init__(self, app: FleetApp, ops: dict[str, Route]) -> None:
        self.app, self.ops = app, ops

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        route = self.ops.get(scope["method"])
        admitted = False
        try:
            if route is None:
                raise _not_allowed(self.ops)
            req = _request(scope)
            _check_target(route, req)
            req.body = await read_body(req, receive, route.max_body or MAX_BODY)
            if route.kind == "device":
                admitted = self._admit(req, enrolling=route.template == "/v1/enroll")
            resp = await run_in_threadpool(self._run, route, req)
        except FleetError as error:
            if _failed_device_request(route, error):
                self.app.client_limits.failed(req.ip)
            resp = problem_response(error)
        finally:
            if admitted:
                self.app.admission.leave()
        if route is not None and route.kind == "console":
            took = (time.perf_counter() - started) * 1000
            resp.headers["Server-Timing"] = f"app;dur={took:.1f}"
        await send_response(send, scope["method"], resp)

    def _admit(self, req: Request, enrolling: bool) -> bool:
        """Admission for a device request. The device's own bucket is charged later, once
        its signature is checked (DeviceService): a forged request under a kiosk's id
        must not spend that kiosk's allowance (a lock-out by id alone)."""
        self.app.client_limits.before(req.ip, enrolling)
        signed_parts(req.headers)  # unsigned requests are refused first
        if not self.app.admission.enter():
            raise TooMany(self.app.admission.retry_after())
        return True

    def _run(self, route: Route, req: Request) -> Response:
        try:
            return route.handler(self.app, req)
        except FleetError:
            raise
        except DatabaseBusy as exc:
            raise Unavailable(str(exc)) from exc
        except Exception:
            log.exception("fleet handler failed for %s %s", req.method, req.path)
            raise ServerFailed("the server failed") from None


def _failed_device_request(route: Route | None, error: FleetError) -> bool:
    """A forged or unknown device request, charged to its address. Not a genuine kiosk
    whose clock is off (its signature was good): kiosks share NAT addresses."""
    return (
        route is not None
        and route.kind == "device"
        and error.status == 401
        and error.code != "stale_timestamp"
    )


def _not_allowed(ops: dict[str, Route]) -> FleetError:
    err = FleetError("method not allowed", code="method_not_allowed")
    err.status = 405
    err.headers["Allow"] = ", ".join(ops)
    return err


def _request(scope: Scope) -> Request:
    raw_query = scope["query_string"].decode("latin-1")
    target = scope["raw_path"].decode("latin-1") + (f"?{raw_query}" if raw_query else "")
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    client = scope.get("client")
    return Request(
        method=scope["method"],
        target=target,
        path=scope["path"],
        query=dict(parse_qsl(raw_query, keep_blank_values=True)),
        headers=headers,
        body=b"",
        ip=client[0] if client else "",
        params={k: str(v) for k, v in scope.get("path_params", {}).items()},
        scheme=scope.get("scheme", "http"),
    )


def _check_target(route: Route, req: Request) -> None:
    if not all(routes.SEGMENT.fullmatch(v) for v in req.params.values()):
        raise NotFound("no such resource")
    unknown = sorted(set(req.query) - set(route.query))
    if unknown and route.kind != "device":  # a device's query is signed as sent
        raise Invalid(f"unknown query parameter {unknown[0]!r}", field=unknown[0])


async def read_body(req: Request, receive: Receive, limit: int = MAX_BODY) -> bytes:
    """The whole body, bounded (by ``limit``) before it is read."""
    if "transfer-encoding" in req.headers:
        raise BodyRefused(411, "length_required", "send Content-Length, not chunked encoding")
    raw = req.headers.get("content-length")
    if raw is None:
        if req.method in _BODY_METHODS:
            raise BodyRefused(411, "length_required", "Content-Length is required")
        return b""
    if not raw.strip().isdigit():
        raise BodyRefused(400, "bad_content_length", "Content-Length is not a number")
    size = int(raw)
    if size > limit:
        if size <= DRAIN_FACTOR * limit:  # take in what is on its way, so that closing
            await drain(receive)  # does not reset the connection before the answer is read
        raise BodyRefused(413, "body_too_large", f"body over {limit} bytes")
    chunks: list[bytes] = []
    more = size > 0
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise BodyRefused(400, "bad_content_length", "the body ended early")
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def drain(receive: Receive) -> None:
    """Read a request's body and drop it."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect" or not message.get("more_body", False):
            return


async def send_response(send: Send, method: str, resp: Response) -> None:
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in resp.headers.items()]
    has_body = resp.status not in (204, 304)
    if has_body:
        headers += [
            (b"content-type", resp.content_type.encode("latin-1")),
            (b"content-length", str(len(resp.body)).encode("ascii")),
        ]
    await send({"type": "http.response.start", "status": resp.status, "headers": headers})
    body = resp.body if has_body and method != "HEAD" else b""
    await send({"type": "http.response.body", "body": body})


@functools.cache
def openapi_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return document


async def _openapi(request: StarletteRequest) -> StarletteResponse:
    return JSONResponse(openapi_document())


def _problem(error: FleetError) -> StarletteResponse:
    resp = problem_response(error)
    return StarletteResponse(resp.body, resp.status, resp.headers, media_type=PROBLEM_TYPE)


async def _http_error(request: StarletteRequest, exc: Exception) -> StarletteResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return _problem(NotFound("no such resource"))
    error = FleetError(exc.detail, code="bad_request")
    error.status = exc.status_code
    return _problem(error)


async def _failed(request: StarletteRequest, exc: Exception) -> StarletteResponse:
    log.error("fleet failed for %s %s", request.method, request.url.path, exc_info=exc)
    return _problem(ServerFailed("the server failed"))


def build_app(app: FleetApp, lifespan: Lifespan[Any] | None = None) -> Starlette:
    """The ASGI application serving ``app`` (its database, services and limits)."""
    grouped: dict[str, dict[str, Route]] = {}
    for route in ALL_ROUTES:
        grouped.setdefault(route.template, {})[route.method] = route
    table: list[BaseRoute] = [StarletteRoute(t, Operations(app, ops)) for t, ops in grouped.items()]
    table.append(StarletteRoute("/openapi.json", _openapi, methods=["GET"]))
    table.append(Mount("/tuf", app=TufFiles(app.releases.path)))  # releases: tufserve.py
    return Starlette(
        routes=table,
        lifespan=lifespan,
        exception_handlers={HTTPException: _http_error, Exception: _failed},
        middleware=[Middleware(SecurityHeaders)],
    )
