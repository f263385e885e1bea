"""Requests, responses and ``application/problem+json`` errors (RFC 9457) of the sandbox.

Handlers are plain functions ``(Request, Connection) -> Response`` (webstack's Response)
that raise ``Problem`` for any refusal; the server turns a Problem into a 4xx answer and
rolls the transaction back, so a refused request never leaves anything half-stored.
"""

from __future__ import annotations

import dataclasses as dc
import json
from typing import Any, TypeVar

from kiosk.upstream import fields
from webstack.messages import JSON_TYPE, Response, problem_response

T = TypeVar("T")

#: where the platform's problem codes are documented (a problem's type is this plus its code)
PROBLEMS = "https://bianmin.example/problems/"


def json_response(status: int, value: Any, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(status, body, JSON_TYPE, dict(headers or {}))


class Problem(Exception):
    """A refusal with a stable problem ``code`` (listed in openapi.yaml)."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str = "",
        *,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status, self.code, self.detail = status, code, detail
        self.field = field
        self.headers = dict(headers or {})

    def response(self) -> Response:
        return problem_response(self, PROBLEMS)


@dc.dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes
    device_id: str = ""
    now: float = 0.0

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    _parsed: Any = dc.field(default=None, repr=False)

    def json(self) -> dict[str, Any]:
        """The body as a JSON object, or a 400/415/422 Problem (parsed once)."""
        if self._parsed is None:
            ctype = (self.header("content-type") or "").split(";")[0].strip()
            if ctype != JSON_TYPE:
                raise Problem(415, "unsupported_media_type", "expected application/json")
            try:
                value = fields.parse_json(self.body)
            except fields.MalformedJson as exc:
                raise Problem(400, "malformed_json", "body is not valid JSON") from exc
            if not isinstance(value, dict):
                raise Problem(422, "invalid_field", "body must be an object", field="body")
            self._parsed = value
        return dict(self._parsed)

    def read(self, cls: type[T]) -> T:
        """The body read into a wire model, or a Problem naming the bad field."""
        try:
            return fields.convert(cls, self.json())
        except fields.FieldError as exc:
            raise invalid(exc) from exc

    def read_query(self, cls: type[T]) -> T:
        """The query string read into a model (every value a string)."""
        try:
            return fields.convert(cls, dict(self.query))
        except fields.FieldError as exc:
            raise invalid(exc) from exc


def invalid(exc: fields.FieldError) -> Problem:
    """A field error as a 422 Problem naming the field."""
    return Problem(422, "invalid_field", str(exc), field=exc.field)
