"""Raw bytes to a server on loopback, for requests no HTTP client would send (ambiguous
framing, bodies that never come)."""

from __future__ import annotations

import socket


def exchange(base_url: str, request: bytes, timeout: float = 10) -> tuple[bytes, bytes]:
    """Send ``request`` to ``http://host:port``; the status line and whatever follows it
    until the server closes the connection."""
    host, port = base_url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, rest = data.partition(b"\r\n")
    return head, rest
