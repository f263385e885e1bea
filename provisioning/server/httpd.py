"""The fleet server's HTTP/1.1 front: ``http.server`` threads around ``FleetApp.handle``.

Keep-alive is on. The server tracks its connections so ``stop()`` can close them and
join every handler thread: tests end with no thread and no socket left behind.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from provisioning.server.wire import Response

log = logging.getLogger(__name__)

Handle = Callable[[str, str, dict[str, str], Callable[[int], bytes], str], Response]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "BianminFleet/1"
    timeout = 30
    disable_nagle_algorithm = True
    server: FleetHttpServer

    def _any(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        resp = self.server.handle(
            self.command, self.path, headers, self.rfile.read, self.client_address[0]
        )
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

    def __getattr__(self, name: str) -> Any:
        # Every method reaches the router, which answers 405 for those no route has
        # (http.server would answer an HTML 501 for methods without a do_ handler).
        if name.startswith("do_"):
            return self._any
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("fleet %s " + format, self.client_address[0], *args)


class FleetHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True
    request_queue_size = 1024  # a reconnect storm queues in the kernel, then meets 429s

    def __init__(self, address: tuple[str, int], handle: Handle) -> None:
        self.handle = handle
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
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("fleet connection error from %s", client_address[0], exc_info=True)
