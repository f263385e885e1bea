"""The fleet server as an ASGI application on Starlette.

Starlette routes by path; each path's operations (routes.py, console/__init__.py) are one
small ASGI app here, which:

- refuses other methods with 405 naming the allowed ones, odd path parameters with 404,
  query parameters an admin route does not take with 422;
- bounds the body before reading it (webstack.body: 411 without a Content-Length or with
  chunked encoding, 413 over 4 MB; both close the connection);
- admits device requests under the storm limits (ratelimit.py) on the event loop, so a
  refused kiosk costs no worker thread; an address whose device requests keep failing
  authentication is refused there too;
- runs the handler on a worker thread (handlers block on the database) and turns a
  FleetError into a problem document, a busy database into 503, anything else into 500.

Console pages say how long the server took in a ``Server-Timing`` header (the console
benchmark reads it). ``/openapi.json`` serves openapi.yaml; Starlette's own refusals and
failures are problem documents too (webstack.routing).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
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
from provisioning.server.wire import PROBLEMS, Request, Response, problem_response
from webstack.body import BodyCut, read_body
from webstack.messages import headers_of, path_params_of, query_of, send_response
from webstack.routing import openapi_route, problem_handlers

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp

log = logging.getLogger(__name__)

MAX_BODY = 4_000_000
SPEC_PATH = Path(__file__).with_name("openapi.yaml")
ALL_ROUTES = routes.API_ROUTES + console.ROUTES + analytics_pages.ROUTES


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
            req.body = await _read_body(req, receive, route.max_body or MAX_BODY)
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
    client = scope.get("client")
    return Request(
        method=scope["method"],
        target=target,
        path=scope["path"],
        query=query_of(raw_query),
        headers=headers_of(scope),
        body=b"",
        ip=client[0] if client else "",
        params=path_params_of(scope),
        scheme=scope.get("scheme", "http"),
    )


def _check_target(route: Route, req: Request) -> None:
    if not all(routes.SEGMENT.fullmatch(v) for v in req.params.values()):
        raise NotFound("no such resource")
    unknown = sorted(set(req.query) - set(route.query))
    if unknown and route.kind != "device":  # a device's query is signed as sent
        raise Invalid(f"unknown query parameter {unknown[0]!r}", field=unknown[0])


async def _read_body(req: Request, receive: Receive, limit: int) -> bytes:
    """The whole body, bounded (by ``limit``) before it is read (webstack.body)."""
    try:
        return await read_body(req.headers, req.method, receive, limit, BodyRefused)
    except BodyCut:
        raise BodyRefused(400, "bad_content_length", "the body ended early") from None


def build_app(app: FleetApp, lifespan: Lifespan[Any] | None = None) -> Starlette:
    """The ASGI application serving ``app`` (its database, services and limits)."""
    grouped: dict[str, dict[str, Route]] = {}
    for route in ALL_ROUTES:
        grouped.setdefault(route.template, {})[route.method] = route
    table: list[BaseRoute] = [StarletteRoute(t, Operations(app, ops)) for t, ops in grouped.items()]
    table.append(openapi_route(SPEC_PATH))
    table.append(Mount("/tuf", app=TufFiles(app.releases.path)))  # releases: tufserve.py
    return Starlette(
        routes=table,
        lifespan=lifespan,
        exception_handlers=problem_handlers(PROBLEMS, "the server failed"),
        middleware=[Middleware(SecurityHeaders)],
    )
