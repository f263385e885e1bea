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
from urllib.parse import unquote

from provisioning.server import api
from provisioning.server.errors import FleetError, NotFound
from provisioning.server.wire import Request, Response

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp

Handler = Callable[["FleetApp", Request], Response]
_PARAM = re.compile(r"\{(\w+)\}")
_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dc.dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Handler
    kind: str = "admin"  # device | admin | public | console
    query: tuple[str, ...] = ()  # the query parameters it takes; any other is refused

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile("^" + _PARAM.sub(r"(?P<\1>[^/]+)", self.template) + "$")


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
    Route("POST", "/v1/admin/login", api.login, "public"),
    Route("POST", "/v1/admin/logout", api.logout),
    Route("GET", "/v1/admin/regions", api.regions),
    Route("POST", "/v1/admin/regions", api.add_region),
    Route("POST", "/v1/admin/admins", api.add_admin),
    Route("GET", "/v1/admin/devices", api.devices, query=("status",)),
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
    Route("GET", "/v1/admin/alerts", api.alerts),
    Route("GET", "/v1/admin/audit", api.audit_log, query=("limit",)),
)


def match(routes: tuple[Route, ...], method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route and its path parameters, or a 404/405 error. Parameters must look like
    identifiers, so nothing path-like reaches a handler."""
    allowed = []
    for route in routes:
        m = route.regex.match(path)
        if m is None:
            continue
        params = {k: unquote(v) for k, v in m.groupdict().items()}
        if not all(_SEGMENT.fullmatch(v) for v in params.values()):
            raise NotFound("no such resource")
        if route.method == method:
            return route, params
        allowed.append(route.method)
    if allowed:
        err = FleetError("method not allowed", code="method_not_allowed")
        err.status = 405
        err.headers["Allow"] = ", ".join(allowed)
        raise err
    raise NotFound("no such resource")
