"""Serving the fleet's ASGI application with uvicorn.

Two ways in:

- ``ServerThread``: uvicorn on a background thread of this process, for tests and for
  anything that embeds a fleet server (``FleetApp.start``). Stops in milliseconds.
- ``serve(options)``: ``kiosk-fleet serve`` in the foreground — N worker processes on one
  listening socket, TLS when given a certificate, a load balancer's ``X-Forwarded-*``
  headers trusted from the addresses given, SIGTERM for a graceful stop. Each worker
  builds its own application (``create_app``) from the options in the environment.

The HTTP protocol is uvicorn's httptools one, except that a request the parser refuses
(two Content-Length headers, a malformed request line) gets a problem document like
every other refusal instead of a plain-text 400.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses as dc
import json
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

from provisioning.server.errors import FleetError
from provisioning.server.wire import problem_response

log = logging.getLogger(__name__)

OPTIONS_ENV = "KIOSK_FLEET_SERVE"


class FleetProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        body = problem_response(
            FleetError("the request is not valid HTTP/1.1", code="malformed_request")
        ).body
        head = (
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body)
        )
        self.transport.write(head + body)
        self.transport.close()


@dc.dataclass
class Options:
    """Everything ``kiosk-fleet serve`` is told; travels to worker processes as JSON."""

    data_dir: str
    db: str | None = None
    public_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8470
    workers: int = 1
    certfile: str = ""
    keyfile: str = ""
    forwarded_allow_ips: str = ""
    max_inflight: int = 32
    retry_window: tuple[int, int] = (5, 60)
    db_pool: int = 10
    timeout_keep_alive: int = 5
    limit_concurrency: int | None = None
    sweep_every: float = 60.0

    @property
    def scheme(self) -> str:
        return "https" if self.certfile else "http"


def _config(app: Any, opts: Options, **extra: Any) -> uvicorn.Config:
    allow = opts.forwarded_allow_ips
    return uvicorn.Config(
        app,
        http=FleetProtocol,
        lifespan="on",
        log_config=None,
        access_log=False,
        server_header=False,
        backlog=2048,
        timeout_keep_alive=opts.timeout_keep_alive,
        limit_concurrency=opts.limit_concurrency,
        timeout_graceful_shutdown=10,
        proxy_headers=bool(allow),
        forwarded_allow_ips=allow or None,
        ssl_certfile=opts.certfile or None,
        ssl_keyfile=opts.keyfile or None,
        **extra,
    )


def bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)  # connections queue from now on, while the workers start
    sock.set_inheritable(True)  # the worker processes serve it
    return sock


def create_app() -> Starlette:
    """A worker's application, from the options ``serve`` put in the environment."""
    from provisioning.server.app import FleetApp
    from provisioning.server.ratelimit import Admission
    from provisioning.server.web import build_app

    if not logging.getLogger().handlers:  # a spawned worker starts with none
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    raw = json.loads(os.environ[OPTIONS_ENV])
    raw["retry_window"] = tuple(raw["retry_window"])
    opts = Options(**raw)
    fleet = FleetApp(
        Path(opts.data_dir),
        opts.db,
        public_url=opts.public_url,
        db_pool=opts.db_pool,
        admission=Admission(opts.max_inflight, opts.retry_window),
        migrate_schema=False,
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        fleet.start_sweeping(opts.sweep_every)
        try:
            yield
        finally:
            await asyncio.to_thread(fleet.close)

    return build_app(fleet, lifespan)


def serve(opts: Options, announce: Any = None) -> None:
    """Run until SIGTERM/SIGINT. ``announce(url)`` is called once the socket is bound."""
    os.environ[OPTIONS_ENV] = json.dumps(dc.asdict(opts))
    sock = bind(opts.host, opts.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    if announce is not None:
        announce(f"{opts.scheme}://{shown}:{port}")
    config = _config(
        "provisioning.server.serving:create_app", opts, factory=True, workers=opts.workers
    )
    server = uvicorn.Server(config)
    for sig in (signal.SIGTERM, signal.SIGINT):  # uvicorn stops gracefully, then re-raises
        signal.signal(sig, lambda *_: None)  # its signal here: a clean stop exits 0
    if opts.workers > 1:
        Multiprocess(config, sockets=[sock]).run()
    else:
        server.run(sockets=[sock])
    if server.started is False and opts.workers == 1:
        sys.exit(3)


class ServerThread:
    """uvicorn on its own thread and event loop, for tests and embedding."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.address = (host, port)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    def start(self, opts: Options | None = None) -> str:
        opts = opts or Options(data_dir="")
        sock = bind(*self.address)
        host, port = sock.getsockname()[:2]
        self.address = (host, port)
        config = _config(self.app, opts, loop="asyncio")
        config.lifespan = "off"
        config.load()
        self._server = uvicorn.Server(config)
        ready = threading.Event()
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._serve(sock, ready),), name="fleet-http", daemon=True
        )
        self._thread.start()
        ready.wait()
        if not self._server.started:
            self._thread.join()
            raise OSError(f"the fleet server could not listen on {host}:{port}")
        return f"{opts.scheme}://{host}:{port}"

    async def _serve(self, sock: socket.socket, ready: threading.Event) -> None:
        server = self._server
        assert server is not None
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        try:
            server.lifespan = server.config.lifespan_class(server.config)
            await server.startup(sockets=[sock])
        finally:
            ready.set()
        if not server.started:
            sock.close()
            return
        await self._stop.wait()
        for listener in server.servers:
            listener.close()
        state = server.server_state
        for connection in list(state.connections):
            connection.shutdown()  # idle ones close now, busy ones after their answer
        for _ in range(1000):  # up to 5 s for answers under way
            if not (state.connections or state.tasks):
                break
            await asyncio.sleep(0.005)
        for connection in list(state.connections):  # a client stalled mid-request
            connection.transport.abort()
        for task in list(state.tasks):
            task.cancel()
        sock.close()

    def stop(self) -> None:
        if self._thread is None or self._loop is None or self._stop is None:
            return
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join()
        self._server = self._thread = self._loop = self._stop = None
