"""The analytics handlers of the JSON API (routes.py pairs them with openapi.yaml)."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from provisioning.server.analytics.ingest import MattersCache, ingest
from provisioning.server.devauth import Signed
from provisioning.server.errors import UnsupportedMedia
from provisioning.server.wire import JSON_TYPE, Request, Response, json_response

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp


_MATTERS: weakref.WeakKeyDictionary[object, MattersCache] = weakref.WeakKeyDictionary()


def usage(app: FleetApp, req: Request) -> Response:
    """``POST /v1/device/usage``: one hour of the signing kiosk's counters."""
    if req.header("content-type").split(";")[0].strip() != JSON_TYPE:
        raise UnsupportedMedia("expected application/json")
    with app.fleet.db.tx() as tx:
        signed = Signed(req.method, req.target, req.headers, req.body, req.ip)
        status, answer = ingest(tx, signed, app.fleet.clock(), _MATTERS.setdefault(app.db, {}))
    return json_response(status, answer)
