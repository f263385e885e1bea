"""The sandbox's HTTP server: uvicorn (httptools) on a background thread.

``ServerThread.start()`` binds (port 0 = any free port; a restart binds the same port
again) and returns once uvicorn accepts connections; ``stop()`` closes every connection
and joins the thread, so tests end with no thread and no socket left behind.

The HTTP protocol is uvicorn's with two additions: each request's scope carries
``bianmin.drop``, which aborts its connection (an injected "no answer" fault), and a
request the parser refuses (duplicate Content-Length, a malformed request line) is
answered with a problem document like every other refusal.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from sandbox.web import DROP
from sandbox.wire import Problem

log = logging.getLogger(__name__)


class _Protocol(HttpToolsProtocol):
    def on_headers_complete(self) -> None:
        self.scope["extensions"] = {DROP: self._drop}  # type: ignore[dict-item]  # ours
        super().on_headers_complete()

    def _drop(self) -> None:
        self.transport.abort()

    def send_400_response(self, msg: str) -> None:
        body = Problem(400, "malformed_request", "the request is not valid HTTP/1.1").response()
        head = (
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body.body)
        )
        self.transport.write(head + body.body)
        self.transport.close()


class ServerThread:
    """uvicorn on its own thread and event loop, stopped in milliseconds rather than the
    tenths of a second ``uvicorn.Server.shutdown`` sleeps (tests start hundreds)."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        self.app = app
        self.address = (host, port)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    def start(self) -> tuple[str, int]:
        sock = socket.socket(socket.AF_INET6 if ":" in self.address[0] else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(self.address)
        host, port = sock.getsockname()[:2]
        self.address = (host, port)  # a restart binds the same port
        config = uvicorn.Config(
            self.app,
            http=_Protocol,
            loop="asyncio",
            lifespan="off",
            log_config=None,
            access_log=False,
            server_header=False,
            timeout_keep_alive=30,
            backlog=1024,
        )
        config.load()
        self._server = uvicorn.Server(config)
        ready = threading.Event()
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._serve(sock, ready),), name="sandbox-http", daemon=True
        )
        self._thread.start()
        ready.wait()
        if not self._server.started:
            self._thread.join()
            raise OSError(f"the sandbox could not listen on {host}:{port}")
        return str(host), int(port)

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
        for connection in list(server.server_state.connections):
            connection.shutdown()  # idle ones close now, busy ones after their answer
        state = server.server_state
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
