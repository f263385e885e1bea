"""``/tuf/…``: the release repository as static files, with HTTP Range (docs/updates.md §1).

GET and HEAD of ``metadata/`` and ``targets/`` only (never ``keys/``). ``Range:
bytes=N-`` or ``bytes=N-M`` is answered 206 with ``Content-Range``; a start past the
end, 416 with ``Content-Range: bytes */SIZE``, so a kiosk resumes a cut download and
knows when it has everything. Files are streamed in blocks read on a worker thread.
No authentication: every byte is checked on the kiosk against signed lengths and hashes,
and a CDN or a township proxy may cache it all.
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

PREFIX = "/tuf/"
SERVED = ("metadata", "targets")
BLOCK = 256 * 1024
_RANGE = re.compile(r"bytes=(\d+)-(\d*)")
_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,199}")


def resolve(root: Path, rel: str) -> Path | None:
    """The file ``rel`` names under ``root``'s served folders, or None."""
    parts = rel.split("/")
    if len(parts) < 2 or parts[0] not in SERVED or not all(_PART.fullmatch(p) for p in parts):
        return None
    path = root.joinpath(*parts)
    return path if path.is_file() else None


def byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(start, end) inclusive for a satisfiable Range; None without one (or one we do not
    read: the whole file is sent); False when it starts past the end."""
    match = _RANGE.fullmatch(header.strip())
    if not match:
        return None
    start = int(match.group(1))
    end = int(match.group(2)) if match.group(2) else size - 1
    if start >= size:
        return False
    if end < start:
        return None
    return start, min(end, size - 1)


class TufFiles:
    """An ASGI app serving ``root`` (a provisioning.release Repository's folder)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        if method not in ("GET", "HEAD"):
            await _plain(send, 405, [(b"allow", b"GET, HEAD")])
            return
        path = resolve(self.root, scope["path"].removeprefix(PREFIX.rstrip("/")).lstrip("/"))
        if path is None:
            await _plain(send, 404)
            return
        size = path.stat().st_size
        ranged = byte_range(_header(scope, b"range"), size)
        if ranged is False:
            await _plain(send, 416, [(b"content-range", f"bytes */{size}".encode())])
            return
        start, end = ranged if isinstance(ranged, tuple) else (0, size - 1)
        headers = [
            (b"accept-ranges", b"bytes"),
            (b"content-type", b"application/octet-stream"),
            (b"content-length", str(end - start + 1).encode()),
            (b"cache-control", b"no-cache" if path.parent.name == "metadata" else b"max-age=3600"),
        ]
        if isinstance(ranged, tuple):
            headers.append((b"content-range", f"bytes {start}-{end}/{size}".encode()))
        status = 206 if isinstance(ranged, tuple) else 200
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if method == "HEAD" or size == 0:
            await send({"type": "http.response.body", "body": b""})
            return
        with path.open("rb") as fh:
            left = end - start + 1
            fh.seek(start)
            while left > 0:
                block = await run_in_threadpool(fh.read, min(BLOCK, left))
                if not block:  # the file shrank under us: end the answer short
                    break
                left -= len(block)
                await send({"type": "http.response.body", "body": block, "more_body": left > 0})
        if left > 0:
            await send({"type": "http.response.body", "body": b""})


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return ""


async def _plain(send: Send, status: int, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-length", b"0"), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": b""})
