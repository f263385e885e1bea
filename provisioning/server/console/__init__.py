"""The web console: server-rendered pages in Chinese for admins (Jinja2, console/templates).

The province at a glance as a region tree with its counts (province → county → township
→ site), device lists filtered, searched, sorted and paginated, one kiosk in detail with
its commands, pending enrollments and pairing codes, configuration editing with a preview
of what changes for which sites before a push, and the audit log. Pages call the same
:class:`~provisioning.server.fleet.Fleet` operations as the JSON API, so roles, region
scopes and the audit log apply alike.
"""

from __future__ import annotations

from provisioning.server.console import admin_pages, fleet_pages
from provisioning.server.routes import Route
from provisioning.server.wire import Request, Response, redirect

_DEV = "/console/devices/{device_id}"
_CFG = "/console/config/{node_id}"
_MSG = ("msg",)


def _root(app: object, req: Request) -> Response:
    return redirect("/console/")


ROUTES: tuple[Route, ...] = (
    Route("GET", "/", _root, "console"),
    Route("GET", "/console", _root, "console"),
    Route("GET", "/console/login", admin_pages.login_page, "console", query=("expired",)),
    Route("POST", "/console/login", admin_pages.login_page, "console"),
    Route("POST", "/console/logout", admin_pages.logout, "console"),
    Route("GET", "/console/", fleet_pages.overview, "console", query=_MSG),
    Route("GET", "/console/regions/{node_id}", fleet_pages.region, "console", query=_MSG),
    Route("GET", "/console/devices", fleet_pages.devices, "console", query=fleet_pages.QUERY),
    Route("GET", _DEV, fleet_pages.device, "console", query=_MSG),
    Route("POST", _DEV + "/command", fleet_pages.command, "console"),
    Route("POST", _DEV + "/approve", fleet_pages.approve, "console"),
    Route("POST", _DEV + "/reject", fleet_pages.reject, "console"),
    Route("POST", _DEV + "/revoke", fleet_pages.revoke, "console"),
    Route("GET", "/console/pending", fleet_pages.pending, "console", query=("msg", "page")),
    Route("POST", "/console/pairing-code", fleet_pages.pairing_code, "console"),
    Route("GET", "/console/config", admin_pages.config_index, "console"),
    Route("GET", _CFG, admin_pages.config_node, "console", query=_MSG),
    Route("POST", _CFG + "/preview", admin_pages.config_preview, "console"),
    Route("POST", _CFG + "/push", admin_pages.config_push, "console"),
    Route("GET", "/console/audit", admin_pages.audit, "console"),
)
