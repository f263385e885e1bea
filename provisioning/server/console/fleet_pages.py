"""Console pages for the fleet: the region tree with its counts, device lists, one kiosk
with its commands, pending enrollments and pairing codes."""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any

from provisioning.protocol import format_code, make_payload
from provisioning.server import fleetview
from provisioning.server.accounts import Actor
from provisioning.server.console.gate import back, layout, page_handler
from provisioning.server.console.render import page
from provisioning.server.errors import Invalid
from provisioning.server.health import ALERTS
from provisioning.server.wire import Request, Response

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp

#: what each count of the region page links to in the device list
FILTERS: dict[str, dict[str, str]] = {
    "total": {},
    "online": {"health": "online"},
    "offline": {"health": "offline"},
    "never": {"health": "never"},
    "alerting": {"alert": "any"},
    "out_of_service": {"service": "out"},
    "stale": {"config": "stale"},
}
QUERY = (
    "region",
    "health",
    "alert",
    "version",
    "config",
    "service",
    "q",
    "sort",
    "order",
    "page",
    "msg",
)


@page_handler
def overview(app: FleetApp, req: Request, actor: Actor) -> Response:
    """The landing page: the admin's whole scope, with counts per region below it."""
    found = app.fleet.top(actor)
    title = found["node"]["name"] if found["node"] else "全省概况"
    return page(
        "region.html",
        title=title,
        filters=FILTERS,
        **found,
        security=app.fleet.security_alerts(actor),
        halted=app.rollouts.halted(actor),
        **layout(actor, req),
    )


@page_handler
def region(app: FleetApp, req: Request, actor: Actor) -> Response:
    found = app.fleet.region(actor, req.params["node_id"])
    return page(
        "region.html",
        title=found["node"]["name"],
        filters=FILTERS,
        **found,
        security=[],
        halted=app.rollouts.halted(actor),
        **layout(actor, req),
    )


def _choice(req: Request, name: str, allowed: tuple[str, ...] | list[str]) -> str | None:
    value = req.query.get(name) or None
    if value is not None and value not in allowed:
        raise Invalid(f"{name} must be one of {', '.join(allowed)}", field=name)
    return value


def list_query(req: Request) -> fleetview.DeviceQuery:
    """A device list's filters from the page's query string; Invalid for a bad one."""
    page_text = req.query.get("page") or "1"
    if not page_text.isdigit() or not 1 <= int(page_text) <= 10**6:
        raise Invalid("page is a number from 1", field="page")
    q = req.query.get("q", "").strip()
    if len(q) > 64:
        raise Invalid("search for at most 64 characters", field="q")
    return fleetview.DeviceQuery(
        region=req.query.get("region") or None,
        health=_choice(req, "health", fleetview.HEALTH),
        alert=_choice(req, "alert", ["any", *ALERTS]),
        version=req.query.get("version") or None,
        config=_choice(req, "config", fleetview.CONFIG),
        out_of_service=_choice(req, "service", ("out",)) == "out",
        q=q,
        sort=_choice(req, "sort", tuple(fleetview.SORTS)) or "device",
        descending=_choice(req, "order", ("asc", "desc")) == "desc",
        page=int(page_text),
    )


def _paged(app: FleetApp, actor: Actor, query: fleetview.DeviceQuery) -> dict[str, Any]:
    """One page of a device list and what the pager reads; past the end (the list
    shrank since the link was made), the last page."""
    rows, total = app.fleet.device_page(actor, query)
    pages = max(1, math.ceil(total / query.page_size))
    if query.page > pages:
        rows, _ = app.fleet.device_page(actor, dataclasses.replace(query, page=pages))
    return {"rows": rows, "total": total, "page": min(query.page, pages), "pages": pages}


@page_handler
def devices(app: FleetApp, req: Request, actor: Actor) -> Response:
    query = list_query(req)
    params = {k: v for k, v in req.query.items() if k in QUERY and k != "msg" and v}
    shown = {k: params.get(k, "") for k in QUERY}  # what the filter form shows
    chain = app.fleet.chain(actor, query.region) if query.region else []
    title = f"终端列表：{chain[-1]['name']}" if chain else "终端列表"
    return page(
        "devices.html",
        title=title,
        **_paged(app, actor, query),
        params=params,
        f=shown,
        chain=chain,
        versions=app.fleet.versions(),
        **layout(actor, req),
    )


@page_handler
def device(app: FleetApp, req: Request, actor: Actor) -> Response:
    d = app.fleet.device(actor, req.params["device_id"])
    return page(
        "device.html",
        title=f"终端 {d['device_id']}",
        d=d,
        updates=app.rollouts.device(d["device_id"]),
        **layout(actor, req),
    )


@page_handler
def command(app: FleetApp, req: Request, actor: Actor) -> Response:
    fields = req.form()
    kind = fields.get("kind", "")
    args = {"message": fields.get("message", "")} if kind == "lock" else {}
    made = app.fleet.command(actor, req.params["device_id"], kind, args)
    assert made["id"]
    return back(f"/console/devices/{req.params['device_id']}", "command_sent")


@page_handler
def approve(app: FleetApp, req: Request, actor: Actor) -> Response:
    site = req.form().get("site_id", "").strip()
    app.fleet.approve(actor, req.params["device_id"], site)
    return back("/console/pending", "device_approved")


@page_handler
def reject(app: FleetApp, req: Request, actor: Actor) -> Response:
    app.fleet.reject(actor, req.params["device_id"])
    return back("/console/pending", "device_rejected")


@page_handler
def revoke(app: FleetApp, req: Request, actor: Actor) -> Response:
    app.fleet.revoke(actor, req.params["device_id"])
    return back(f"/console/devices/{req.params['device_id']}", "device_revoked")


@page_handler
def pending(app: FleetApp, req: Request, actor: Actor) -> Response:
    page_text = req.query.get("page") or "1"
    number = int(page_text) if page_text.isdigit() and int(page_text) >= 1 else 1
    query = fleetview.DeviceQuery(status="pending", sort="enrolled", descending=True, page=number)
    return page(
        "pending.html", title="待审批终端", **_paged(app, actor, query), **layout(actor, req)
    )


@page_handler
def pairing_code(app: FleetApp, req: Request, actor: Actor) -> Response:
    fields = req.form()
    uses = int(fields["uses"]) if fields.get("uses", "").isdigit() else 1
    site = fields.get("site_id", "").strip()
    code, expires = app.fleet.pairing_code(actor, site, uses)
    payload = make_payload(app.public_url, code, app.fleet.key.key_id)
    return page(
        "pairing.html",
        title="配对码",
        code=format_code(code),
        expires=expires,
        uses=uses,
        site_id=site,
        payload=payload,
        **layout(actor, req),
    )
