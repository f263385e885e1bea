"""Answers as plain values, problem documents (RFC 9457), and the ASGI scope read.

A server's handlers return a :class:`Response`; ``send_response`` writes it to the ASGI
connection. A refusal (any object with a status, a stable code, a detail, perhaps a field
and headers) becomes an ``application/problem+json`` answer whose type is the server's
documentation of its codes plus the code.
"""

from __future__ import annotations

import dataclasses as dc
import json
from typing import Any, Protocol
from urllib.parse import parse_qsl

from starlette.types import Scope, Send

JSON_TYPE = "application/json"
PROBLEM_TYPE = "application/problem+json"


@dc.dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: dict[str, str] = dc.field(default_factory=dict)


class Refusal(Protocol):
    """What a problem document is made of (each server's exception tree has it)."""

    @property
    def status(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def field(self) -> str | None: ...
    @property
    def headers(self) -> dict[str, str]: ...


def problem_document(
    status: int, code: str, detail: str, *, types: str, field: str | None = None
) -> bytes:
    """The problem's JSON: ``types`` is where the server documents its codes."""
    body: dict[str, Any] = {
        "type": f"{types}{code}",
        "title": code.replace("_", " "),
        "status": status,
        "code": code,
        "detail": detail,
    }
    if field:
        body["field"] = field
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def problem_response(refusal: Refusal, types: str) -> Response:
    """The refusal as a problem answer, with the refusal's headers."""
    body = problem_document(
        refusal.status, refusal.code, refusal.detail, types=types, field=refusal.field
    )
    return Response(refusal.status, body, PROBLEM_TYPE, dict(refusal.headers))


def headers_of(scope: Scope) -> dict[str, str]:
    """The request's headers, names in lower case (ASGI sends them so)."""
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}


def query_of(raw_query: str) -> dict[str, str]:
    """A query string's parameters, blank ones kept; a repeated name keeps its last value."""
    return dict(parse_qsl(raw_query, keep_blank_values=True))


def path_params_of(scope: Scope) -> dict[str, str]:
    """The path parameters Starlette's router matched, as text."""
    return {k: str(v) for k, v in scope.get("path_params", {}).items()}


async def send_response(send: Send, method: str, resp: Response) -> None:
    """Write ``resp``: no body for HEAD, and none at all (nor its headers) for 204 and 304."""
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in resp.headers.items()]
    has_body = resp.status not in (204, 304)
    if has_body:
        headers += [
            (b"content-type", resp.content_type.encode("latin-1")),
            (b"content-length", str(len(resp.body)).encode("ascii")),
        ]
    await send({"type": "http.response.start", "status": resp.status, "headers": headers})
    body = resp.body if has_body and method != "HEAD" else b""
    await send({"type": "http.response.body", "body": body})
