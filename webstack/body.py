"""A request body, bounded before it is read.

A body must say its length (411 for chunked encoding or no Content-Length on a method
that carries one); a length over the limit is refused (413) before the body is read. A
body up to ``DRAIN_FACTOR`` times the limit is read and dropped first, so that closing the
connection does not reset it before the client has read the answer. Every refusal is the
server's own exception, made by ``refuse(status, code, detail)``; the server closes the
connection after answering one (the body may be unread).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import Receive

BODY_METHODS = ("POST", "PUT", "PATCH")
DRAIN_FACTOR = 4  # a body up to 4 times the limit is read before it is refused

Refuse = Callable[[int, str, str], Exception]


class BodyCut(Exception):
    """The client went away before its whole body had arrived."""


async def read_body(
    headers: dict[str, str], method: str, receive: Receive, limit: int, refuse: Refuse
) -> bytes:
    """The whole body (``headers`` with lower-case names), or ``refuse(...)`` raised; BodyCut
    if the client leaves mid-way."""
    if "transfer-encoding" in headers:
        raise refuse(411, "length_required", "send Content-Length, not chunked encoding")
    raw = headers.get("content-length")
    if raw is None:
        if method in BODY_METHODS:
            raise refuse(411, "length_required", "Content-Length is required")
        return b""
    if not raw.strip().isdigit():
        raise refuse(400, "bad_content_length", "Content-Length is not a number")
    size = int(raw)
    if size > limit:
        if size <= DRAIN_FACTOR * limit:  # take in what is on its way, so that closing
            await drain(receive)  # does not reset the connection before the answer is read
        raise refuse(413, "body_too_large", f"body over {limit} bytes")
    chunks: list[bytes] = []
    more = size > 0
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise BodyCut
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    if len(body) != size:
        raise BodyCut
    return body


async def drain(receive: Receive) -> None:
    """Read a request's body and drop it."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect" or not message.get("more_body", False):
            return
