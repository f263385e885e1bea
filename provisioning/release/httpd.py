"""Serve a folder as static files with HTTP Range, on loopback by default.

What a fleet server must do for releases is this: GET (and HEAD) of files under a
base path, with ``Range: bytes=N-`` answered by 206 and ``Content-Range`` so that a
kiosk resumes a cut download. ``kiosk-release serve`` uses it to try a repository out;
the tests use it as the fleet's release host. ``limit`` cuts each answer after that many
bytes (a flaky village line, for the tests).
"""

from __future__ import annotations

import http.server
import re
import threading
from functools import partial
from pathlib import Path
from typing import Any

_RANGE = re.compile(r"bytes=(\d+)-(\d*)")


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    cut_after: int | None = None  # bytes per answer, then the connection drops

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def _serve(self, *, body: bool) -> None:
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        size = path.stat().st_size
        start, end = 0, size - 1
        match = _RANGE.fullmatch(self.headers.get("Range", ""))
        if match:
            start = int(match.group(1))
            end = int(match.group(2)) if match.group(2) else size - 1
            if start >= size:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            end = min(end, size - 1)
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            self.send_response(200)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        if not body:
            return
        left = end - start + 1
        if self.cut_after is not None:
            left = min(left, self.cut_after)
        with path.open("rb") as fh:
            fh.seek(start)
            while left > 0:
                chunk = fh.read(min(left, 64 * 1024))
                if not chunk:
                    break
                self.wfile.write(chunk)
                left -= len(chunk)
        if self.cut_after is not None:
            self.close_connection = True


class StaticServer:
    """``root`` served on ``host:port`` (0 = any free port) in a thread."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        handler: type[RangeHandler] = type("Handler", (RangeHandler,), {})
        self.handler = handler
        self.httpd = http.server.ThreadingHTTPServer(
            (host, port), partial(handler, directory=str(root))
        )
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        port = self.httpd.server_address[1]
        return f"http://127.0.0.1:{port}/"

    def cut_after(self, limit: int | None) -> None:
        self.handler.cut_after = limit

    def start(self) -> StaticServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
