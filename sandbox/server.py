"""The sandbox's HTTP/1.1 server: ``http.server`` threads around the Dispatcher.

Keep-alive is on (the client reuses one connection for a whole upload). The server
tracks its open connections so ``stop()`` can close them and join every handler thread:
tests end with no thread and no socket left behind.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sandbox.dispatch import Dispatcher
from sandbox.faults import Dropped
from sandbox.wire import Response

log = logging.getLogger(__name__)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "BianminSandbox/1"
    timeout = 30  # a stalled client does not hold a thread for ever
    disable_nagle_algorithm = True  # headers and body go out as separate writes
    server: HttpServer

    def _any(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            resp = self.server.dispatcher.handle(self.command, self.path, headers, self.rfile.read)
        except Dropped:
            self.close_connection = True
            return
        self._send(resp)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _any

    def __getattr__(self, name: str) -> Any:
        """Any other method (TRACE, QUERY …) goes to the router too: a 405 problem, not
        http.server's HTML 501."""
        if name.startswith("do_"):
            return self._any
        raise AttributeError(name)

    def _send(self, resp: Response) -> None:
        self.send_response(resp.status)
        for name, value in resp.headers.items():
            self.send_header(name, value)
        has_body = resp.status not in (204, 304)
        if has_body:
            self.send_header("Content-Type", resp.content_type)
            self.send_header("Content-Length", str(len(resp.body)))
        if resp.headers.get("Connection") == "close":
            self.close_connection = True
        self.end_headers()
        if has_body and self.command != "HEAD":
            self.wfile.write(resp.body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox %s " + format, self.client_address[0], *args)


class HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True  # server_close() joins the handler threads

    def __init__(self, address: tuple[str, int], dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conns_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake every handler thread blocked on a kept-alive connection."""
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("sandbox connection error from %s", client_address[0], exc_info=True)
