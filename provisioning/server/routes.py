"""The route table: one line per operation of openapi.yaml (a test keeps them equal),
plus the console's pages.

``kind`` decides the gate in front of the handler: ``device`` requests pass admission
control and the per-device bucket; ``admin``, ``public`` and ``console`` do not.
"""

from __future__ import annotations

import dataclasses as dc
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from provisioning.server import api
from provisioning.server.analytics import api as analytics_api
from provisioning.server.wire import Request, Response

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp

Handler = Callable[["FleetApp", Request], Response]
#: What a path parameter must look like, so nothing path-like reaches a handler.
SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dc.dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Handler
    kind: str = "admin"  # device | admin | public | console
    query: tuple[str, ...] = ()  # the query parameters it takes; any other is refused
    max_body: int = 0  # the largest body it reads (0: the server's MAX_BODY)


_DEV = "/v1/admin/devices/{device_id}"
_CFG = "/v1/admin/config/{node_id}"

API_ROUTES: tuple[Route, ...] = (
    Route("GET", "/v1/health", api.health, "public"),
    Route("GET", "/v1/server-key", api.server_key, "public"),
    Route("POST", "/v1/enroll", api.enroll, "device"),
    Route("GET", "/v1/device/state", api.device_state, "device"),
    Route("GET", "/v1/device/bundle", api.device_bundle, "device"),
    Route("POST", "/v1/device/heartbeat", api.heartbeat, "device"),
    Route("POST", "/v1/device/results", api.results, "device"),
    Route("POST", "/v1/device/logs", api.logs, "device"),
    Route("POST", "/v1/device/usage", analytics_api.usage, "device", max_body=256 * 1024),
    Route("POST", "/v1/admin/login", api.login, "public"),
    Route("POST", "/v1/admin/logout", api.logout),
    Route("GET", "/v1/admin/regions", api.regions),
    Route("POST", "/v1/admin/regions", api.add_region),
    Route("POST", "/v1/admin/admins", api.add_admin),
    Route("GET", "/v1/admin/devices", api.devices, query=("status", "region", "limit", "offset")),
    Route("GET", _DEV, api.device),
    Route("POST", _DEV + "/approve", api.approve),
    Route("POST", _DEV + "/reject", api.reject),
    Route("POST", _DEV + "/revoke", api.revoke),
    Route("POST", _DEV + "/commands", api.command),
    Route("POST", "/v1/admin/pairing-codes", api.pairing_code),
    Route("POST", "/v1/admin/preauthorize", api.preauthorize),
    Route("GET", _CFG, api.get_config),
    Route("PUT", _CFG, api.put_config),
    Route("POST", _CFG + "/preview", api.preview_config),
    Route("POST", _CFG + "/approve", api.approve_config),
    Route("GET", "/v1/admin/alerts", api.alerts),
    Route("GET", "/v1/admin/audit", api.audit_log, query=("limit",)),
)
