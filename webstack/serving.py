"""uvicorn on a background thread, and its HTTP protocol answering in problem documents.

``ServerThread.start()`` binds (port 0 = any free port; a restart binds the same port
again) and returns once uvicorn accepts connections; ``stop()`` lets answers under way
finish, closes every connection and joins the thread: in milliseconds rather than the
tenths of a second ``uvicorn.Server.shutdown`` sleeps (tests start hundreds of servers),
with no thread and no socket left behind.

``ProblemProtocol`` is uvicorn's httptools protocol, except that a request its parser
refuses (two Content-Length headers, a malformed request line) gets a problem document
like every other refusal instead of a plain-text 400.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any, ClassVar

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from webstack.messages import problem_document

#: uvicorn's options both servers share: no logging set up, no access log, no banner
QUIET: dict[str, Any] = {"log_config": None, "access_log": False, "server_header": False}


class ProblemProtocol(HttpToolsProtocol):
    """A subclass names where its server documents problem codes (``problem_types``)."""

    problem_types: ClassVar[str] = ""

    def send_400_response(self, msg: str) -> None:
        body = problem_document(
            400, "malformed_request", "the request is not valid HTTP/1.1", types=self.problem_types
        )
        head = (
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body)
        )
        self.transport.write(head + body)
        self.transport.close()


def bind(host: str, port: int, *, inheritable: bool = False) -> socket.socket:
    """A listening socket: connections queue from now on, while the server starts.
    ``inheritable``: worker processes will serve it."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()  # not left to the garbage collector (a ResourceWarning)
        raise
    sock.set_inheritable(inheritable)
    return sock


class ServerThread:
    """uvicorn serving ``app`` on its own thread and event loop (no lifespan: the owner
    starts and stops what the app needs)."""

    def __init__(self, app: Any, host: str, port: int, *, name: str = "http") -> None:
        self.app = app
        self.address = (host, port)
        self.name = name
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    def start(self, **options: Any) -> tuple[str, int]:
        """Serve with ``uvicorn.Config(app, **options)``; the address bound, once it is
        accepting connections. OSError if it cannot listen."""
        sock = bind(*self.address)
        host, port = sock.getsockname()[:2]
        self.address = (host, port)  # a restart binds the same port
        config = uvicorn.Config(self.app, **(options | {"loop": "asyncio", "lifespan": "off"}))
        config.load()
        self._server = uvicorn.Server(config)
        ready = threading.Event()
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._serve(sock, ready),), name=self.name, daemon=True
        )
        self._thread.start()
        ready.wait()
        if not self._server.started:
            self._thread.join()
            raise OSError(f"{self.name} could not listen on {host}:{port}")
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
        """Stop serving (nothing if it is not); ``start()`` again serves again."""
        if self._thread is None or self._loop is None or self._stop is None:
            return
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join()
        self._server = self._thread = self._loop = self._stop = None
