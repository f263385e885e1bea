"""Serving the fleet's ASGI application with uvicorn.

Two ways in:

- ``ServerThread``: uvicorn on a background thread of this process (webstack's), for tests
  and for anything that embeds a fleet server (``FleetApp.start``). Stops in milliseconds.
- ``serve(options)``: ``kiosk-fleet serve`` in the foreground — N worker processes on one
  listening socket, TLS when given a certificate, a load balancer's ``X-Forwarded-*``
  headers trusted from the addresses given, SIGTERM for a graceful stop. Each worker
  builds its own application (``create_app``) from the options in the environment.

The HTTP protocol is webstack's: uvicorn's httptools one, except that a request the
parser refuses (two Content-Length headers, a malformed request line) gets a problem
document like every other refusal instead of a plain-text 400.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses as dc
import json
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from uvicorn.supervisors import Multiprocess

import webstack.serving
from provisioning.server.wire import PROBLEMS
from webstack.serving import QUIET, ProblemProtocol, bind

log = logging.getLogger(__name__)

OPTIONS_ENV = "KIOSK_FLEET_SERVE"


class FleetProtocol(ProblemProtocol):
    problem_types = PROBLEMS


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


def _options(opts: Options) -> dict[str, Any]:
    """uvicorn's settings for ``opts`` (the application aside)."""
    allow = opts.forwarded_allow_ips
    return QUIET | {
        "http": FleetProtocol,
        "lifespan": "on",
        "backlog": 2048,
        "timeout_keep_alive": opts.timeout_keep_alive,
        "limit_concurrency": opts.limit_concurrency,
        "timeout_graceful_shutdown": 10,
        "proxy_headers": bool(allow),
        "forwarded_allow_ips": allow or None,
        "ssl_certfile": opts.certfile or None,
        "ssl_keyfile": opts.keyfile or None,
    }


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
    sock = bind(opts.host, opts.port, inheritable=True)  # the worker processes serve it
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    if announce is not None:
        announce(f"{opts.scheme}://{shown}:{port}")
    config = uvicorn.Config(
        "provisioning.server.serving:create_app",
        **_options(opts),
        factory=True,
        workers=opts.workers,
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
    """The fleet server on a thread of this process, for tests and embedding."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self._thread = webstack.serving.ServerThread(app, host, port, name="fleet-http")

    def start(self, opts: Options | None = None) -> str:
        """The base URL, once it accepts connections."""
        opts = opts or Options(data_dir="")
        host, port = self._thread.start(**_options(opts))
        return f"{opts.scheme}://{host}:{port}"

    def stop(self) -> None:
        self._thread.stop()
