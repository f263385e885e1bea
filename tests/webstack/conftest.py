"""A small server on webstack, on loopback: what both real servers are built from, with
nothing of either (the fleet server's and the sandbox's own tests cover their wiring)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from webstack.body import BodyCut, read_body
from webstack.messages import (
    Response,
    headers_of,
    path_params_of,
    problem_response,
    query_of,
    send_response,
)
from webstack.routing import openapi_route, problem_handlers
from webstack.serving import QUIET, ProblemProtocol, ServerThread

TYPES = "https://problems.test/"
LIMIT = 16  # bytes: the echo route's body limit


class Refused(Exception):
    """The test server's refusal, made by read_body's ``refuse``."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.field: str | None = None
        self.headers = {"Connection": "close"}


class Protocol(ProblemProtocol):
    problem_types = TYPES


class Echo:
    """``/echo/{name}``: reads the body (at most LIMIT bytes) and says what it got."""

    def __init__(self) -> None:
        self.cut = threading.Event()  # a client left before its body was all there

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        try:
            body = await read_body(headers_of(scope), method, receive, LIMIT, Refused)
        except Refused as refused:
            return await send_response(send, method, problem_response(refused, TYPES))
        except BodyCut:
            return self.cut.set()
        said = {
            "body": body.decode(),
            "params": path_params_of(scope),
            "query": query_of(scope["query_string"].decode("latin-1")),
        }
        await send_response(send, method, Response(200, msgspec.json.encode(said)))


class Slow:
    """``/slow``: answers once ``release`` is set (an answer under way at stop)."""

    def __init__(self) -> None:
        self.entered, self.release = threading.Event(), threading.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.entered.set()
        while not self.release.is_set():
            await asyncio.sleep(0.005)
        await send_response(send, scope["method"], Response(200, b'"done"'))


async def crash(request: Request) -> PlainTextResponse:
    raise RuntimeError("a bug")


async def only_get(request: Request) -> PlainTextResponse:
    return PlainTextResponse("got")


class Stack:
    """The test server and its parts."""

    def __init__(self, spec: Path) -> None:
        self.echo, self.slow = Echo(), Slow()
        routes = [
            Route("/echo/{name}", self.echo),
            Route("/slow", self.slow),
            Route("/crash", crash),
            Route("/only-get", only_get, methods=["GET"]),
            openapi_route(spec),
        ]
        app = Starlette(routes=routes, exception_handlers=problem_handlers(TYPES, "it failed"))
        self.server = ServerThread(app, "127.0.0.1", 0, name="webstack-test")
        self.base_url = ""

    def start(self) -> str:
        host, port = self.server.start(**QUIET, http=Protocol)
        self.base_url = f"http://{host}:{port}"
        return self.base_url


SPEC = "openapi: 3.1.0\ninfo: {title: 试验, version: '1'}\npaths: {}\n"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    running = Stack(spec)
    running.start()
    yield running
    running.slow.release.set()
    running.server.stop()
