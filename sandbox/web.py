"""The sandbox as an ASGI application on Starlette: the route table of routes.py, body
limits, problem documents, ``/openapi.json``, and connections dropped unanswered.

Starlette routes by path; each path's operations are one small ASGI app here that
refuses other methods (405 naming the allowed ones), bounds the body before reading it
(webstack.body: 411 without a Content-Length, 413 over the limit, both closing the
connection), then hands the request to the Dispatcher on a worker thread (it blocks on
SQLite). An injected fault that says "drop" aborts the connection through the server's
``bianmin.drop`` extension (server.py), so the client sees it close without an answer.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route as StarletteRoute
from starlette.types import Receive, Scope, Send

from kiosk.upstream import models
from sandbox.dispatch import Dispatcher
from sandbox.faults import Dropped
from sandbox.routes import Route, by_template, good_params
from sandbox.wire import PROBLEMS, Problem, Request
from webstack.body import BodyCut, read_body
from webstack.messages import headers_of, path_params_of, query_of, send_response
from webstack.routing import openapi_route, problem_handlers

DROP = "bianmin.drop"  # scope["extensions"][DROP]: abort this connection (server.py)
SPEC_PATH = Path(models.__file__).with_name("openapi.yaml")


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
            limit = self.dispatcher.body_limit(req.method)
            req.body = await read_body(req.headers, req.method, receive, limit, Problem)
        except Problem as problem:  # the body may be unread: the connection must go
            resp = self.dispatcher.refused(req, problem)
            resp.headers["Connection"] = "close"
            return await send_response(send, req.method, resp)
        except BodyCut:  # the client went away mid-body: nothing is stored, no one to answer
            return self.dispatcher.dropped(req)
        try:
            resp = await run_in_threadpool(self.dispatcher.handle, route, req)
        except Dropped:
            return await drop(scope, receive)
        await send_response(send, req.method, resp)


def _request(scope: Scope) -> Request:
    query = query_of(scope["query_string"].decode("latin-1"))
    return Request(
        scope["method"], scope["path"], path_params_of(scope), query, headers_of(scope), b""
    )


async def drop(scope: Scope, receive: Receive) -> None:
    """Close the connection without an answer, and wait until the server knows it."""
    scope["extensions"][DROP]()
    while (await receive())["type"] != "http.disconnect":
        pass


def build_app(dispatcher: Dispatcher) -> Starlette:
    routes = [
        StarletteRoute(template, Operations(ops, dispatcher))
        for template, ops in by_template().items()
    ]
    routes.append(openapi_route(SPEC_PATH))
    return Starlette(
        routes=routes, exception_handlers=problem_handlers(PROBLEMS, "the sandbox failed")
    )
