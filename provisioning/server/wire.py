"""Requests and responses of the fleet server, and errors as RFC 9457 problem documents."""

from __future__ import annotations

import dataclasses as dc
import json
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from provisioning.server.errors import FleetError, Invalid

JSON_TYPE = "application/json"
PROBLEM_TYPE = "application/problem+json"
HTML_TYPE = "text/html; charset=utf-8"


@dc.dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: dict[str, str] = dc.field(default_factory=dict)


def json_response(status: int, value: Any, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, JSON_TYPE, dict(headers or {}))


def problem_response(error: FleetError) -> Response:
    body: dict[str, Any] = {
        "type": f"https://bianmin.example/fleet/problems/{error.code}",
        "title": error.code.replace("_", " "),
        "status": error.status,
        "code": error.code,
        "detail": error.detail,
    }
    if error.field:
        body["field"] = error.field
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return Response(error.status, raw, PROBLEM_TYPE, dict(error.headers))


def redirect(location: str, headers: dict[str, str] | None = None) -> Response:
    return Response(303, b"", HTML_TYPE, {"Location": location, **(headers or {})})


@dc.dataclass
class Request:
    method: str
    target: str  # path and query exactly as sent (what a device signs)
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    ip: str = ""
    params: dict[str, str] = dc.field(default_factory=dict)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def json(self) -> dict[str, Any]:
        """The body as a JSON object, or a 415/400/422 problem."""
        ctype = self.header("content-type").split(";")[0].strip()
        if ctype != JSON_TYPE:
            raise FleetError("expected application/json", code="unsupported_media_type")
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise FleetError("body is not valid JSON", code="malformed_json") from exc
        if not isinstance(value, dict):
            raise Invalid("body must be an object", field="body")
        return value

    def form(self) -> dict[str, str]:
        """An HTML form post (application/x-www-form-urlencoded)."""
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FleetError("form is not UTF-8", code="malformed_form") from exc
        return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}

    def cookie(self, name: str) -> str:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(self.header("cookie"))
        except Exception:  # a garbled cookie header is the same as none
            return ""
        morsel = jar.get(name)
        return morsel.value if morsel else ""

    def bearer(self) -> str:
        scheme, _, token = self.header("authorization").partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""
