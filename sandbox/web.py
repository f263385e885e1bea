"""The sandbox as an ASGI application on Starlette: the route table of routes.py, body
limits, problem documents, ``/openapi.json``, and connections dropped unanswered.

Starlette routes by path; each path's operations are one small ASGI app here that
refuses other methods (405 naming the allowed ones), bounds the body before reading it
(411 without a Content-Length, 413 over the limit, both closing the connection), then
hands the request to the Dispatcher on a worker thread (it blocks on SQLite). An injected
fault that says "drop" aborts the connection through the server's ``bianmin.drop``
extension (server.py), so the client sees it close without an answer.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import yaml
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request as StarletteRequest
from starlette.responses import JSONResponse
from starlette.responses import Response as StarletteResponse
from starlette.routing import Route as StarletteRoute
from starlette.types import Receive, Scope, Send

from kiosk.upstream import models
from sandbox.dispatch import Dispatcher
from sandbox.faults import Dropped
from sandbox.routes import Route, by_template, good_params
from sandbox.wire import PROBLEM_TYPE, Problem, Request, Response

log = logging.getLogger(__name__)

DROP = "bianmin.drop"  # scope["extensions"][DROP]: abort this connection (server.py)
SPEC_PATH = Path(models.__file__).with_name("openapi.yaml")
_BODY_METHODS = ("POST", "PUT", "PATCH")
DRAIN_FACTOR = 4  # a body up to 4 times the limit is read before it is refused


class Operations:
    """The operations of one path template, as one ASGI app."""

    def __init__(self, routes: dict[str, Route], dispatcher: Dispatcher) -> None:
        self.routes, self.dispatcher = routes, dispatcher

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        req = _request(scope)
        route = self.routes.get(req.method)
        if route is None:
            allow = {"Allow": ", ".join(self.routes)}
            problem = Problem(405, "method_not_allowed", "method not allowed", headers=allow)
            return await send_response(send, req.method, self.dispatcher.refused(req, problem))
        if not good_params(req.params):
            problem = Problem(404, "not_found", "no such resource")
            return await send_response(send, req.method, self.dispatcher.refused(req, problem))
        try:
            req.body = await read_body(req, receive, self.dispatcher.body_limit(req.method))
        except Problem as problem:  # the body may be unread: the connection must go
            resp = self.dispatcher.refused(req, problem)
            resp.headers["Connection"] = "close"
            return await send_response(send, req.method, resp)
        except Dropped:  # the client went away mid-body: nothing is stored, no one to answer
            return self.dispatcher.dropped(req)
        try:
            resp = await run_in_threadpool(self.dispatcher.handle, route, req)
        except Dropped:
            return await drop(scope, receive)
        await send_response(send, req.method, resp)


def _request(scope: Scope) -> Request:
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
    query = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
    params = {k: str(v) for k, v in scope.get("path_params", {}).items()}
    return Request(scope["method"], scope["path"], params, query, headers, b"")


async def read_body(req: Request, receive: Receive, limit: int) -> bytes:
    """The whole body, bounded before it is read; Dropped if the client leaves mid-way."""
    if "transfer-encoding" in req.headers:
        raise Problem(411, "length_required", "send Content-Length, not chunked encoding")
    raw = req.headers.get("content-length")
    if raw is None:
        if req.method in _BODY_METHODS:
            raise Problem(411, "length_required", "Content-Length is required")
        return b""
    if not raw.strip().isdigit():
        raise Problem(400, "bad_content_length", "Content-Length is not a number")
    size = int(raw)
    if size > limit:
        if size <= DRAIN_FACTOR * limit:  # take in what is on its way, so that closing
            await drain(receive)  # does not reset the connection before the answer is read
        raise Problem(413, "body_too_large", f"body over {limit} bytes")
    chunks: list[bytes] = []
    more = size > 0
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Dropped
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    if len(body) != size:
        raise Dropped
    return body


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


async def drop(scope: Scope, receive: Receive) -> None:
    """Close the connection without an answer, and wait until the server knows it."""
    scope["extensions"][DROP]()
    while (await receive())["type"] != "http.disconnect":
        pass


@functools.cache
def openapi_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return document


async def openapi_json(request: StarletteRequest) -> StarletteResponse:
    return JSONResponse(openapi_document())


def _problem(
    status: int, code: str, detail: str, headers: dict[str, str] | None = None
) -> StarletteResponse:
    body = Problem(status, code, detail).response().body
    return StarletteResponse(body, status, headers=headers, media_type=PROBLEM_TYPE)


async def _http_error(request: StarletteRequest, exc: Exception) -> StarletteResponse:
    assert isinstance(exc, HTTPException)
    code = "not_found" if exc.status_code == 404 else "bad_request"
    return _problem(exc.status_code, code, "no such resource" if code == "not_found" else "")


async def _failed(request: StarletteRequest, exc: Exception) -> StarletteResponse:
    log.error("sandbox failed for %s %s", request.method, request.url.path, exc_info=exc)
    return _problem(500, "internal_error", "the sandbox failed")


def build_app(dispatcher: Dispatcher) -> Starlette:
    routes = [
        StarletteRoute(template, Operations(ops, dispatcher))
        for template, ops in by_template().items()
    ]
    routes.append(StarletteRoute("/openapi.json", openapi_json, methods=["GET"]))
    return Starlette(
        routes=routes, exception_handlers={HTTPException: _http_error, Exception: _failed}
    )
