"""Starlette's side of a server: its own refusals and unexpected failures answered as
problem documents, and the server's OpenAPI description served as JSON.

Each path's operations are the server's own ASGI app; Starlette only routes by path. What
it refuses itself (no such path: 404; a method a plain route does not take: 405) and any
exception nothing else caught (500, logged with its traceback, answered without it) are
answered here.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

import yaml
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.responses import Response as StarletteResponse
from starlette.routing import Route
from starlette.types import ExceptionHandler

from webstack.messages import PROBLEM_TYPE, problem_document

log = logging.getLogger(__name__)


def problem_handlers(types: str, failed: str) -> dict[Any, ExceptionHandler]:
    """Starlette's ``exception_handlers``: ``types`` is where the server documents its
    problem codes, ``failed`` the detail of a 500 ("the server failed")."""

    def problem(status: int, code: str, detail: str) -> StarletteResponse:
        body = problem_document(status, code, detail, types=types)
        return StarletteResponse(body, status, media_type=PROBLEM_TYPE)

    async def refused(request: Request, exc: Exception) -> StarletteResponse:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return problem(404, "not_found", "no such resource")
        return problem(exc.status_code, "bad_request", exc.detail)

    async def crashed(request: Request, exc: Exception) -> StarletteResponse:
        log.error("%s: %s %s", failed, request.method, request.url.path, exc_info=exc)
        return problem(500, "internal_error", failed)

    return {HTTPException: refused, Exception: crashed}


def openapi_route(spec: Path) -> Route:
    """``GET /openapi.json``: the YAML description at ``spec`` as JSON (read once)."""

    @functools.cache
    def document() -> dict[str, Any]:
        loaded: dict[str, Any] = yaml.safe_load(spec.read_text(encoding="utf-8"))
        return loaded

    async def openapi_json(request: Request) -> StarletteResponse:
        return JSONResponse(document())

    return Route("/openapi.json", openapi_json, methods=["GET"])
