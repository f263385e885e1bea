"""An OpenAPI description's operations, and a server's own copy of it as it serves it."""

from __future__ import annotations

from typing import Any

import requests

METHODS = ("get", "post", "put", "patch", "delete", "head")


def operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    """{(METHOD, path template)} of every operation the description documents."""
    return {(m.upper(), p) for p, item in document["paths"].items() for m in item if m in METHODS}


def served_description(base_url: str) -> dict[str, Any]:
    """``GET /openapi.json``, which must answer 200 with JSON."""
    resp = requests.get(base_url + "/openapi.json", timeout=10)
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "application/json"
    served: dict[str, Any] = resp.json()
    return served
