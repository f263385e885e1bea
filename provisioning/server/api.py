"""The JSON API's handlers: thin adapters from HTTP to :class:`Fleet` and :class:`DeviceService`.

Each handler takes the application and the request and returns a Response; refusals are
FleetErrors raised by the services. The route table in :mod:`routes` pairs them with the
paths of openapi.yaml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from provisioning.protocol import format_code, make_payload
from provisioning.server import schemas, totp
from provisioning.server.accounts import Actor
from provisioning.server.devauth import Signed
from provisioning.server.errors import Invalid, Unauthorized, UnsupportedMedia
from provisioning.server.regions import NODE_ID
from provisioning.server.wire import Request, Response, json_response

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp


def _signed(req: Request) -> Signed:
    return Signed(req.method, req.target, req.headers, req.body, req.ip)


def admin(app: FleetApp, req: Request) -> Actor:
    token = req.bearer()
    if not token:
        raise Unauthorized("send Authorization: Bearer <session token>")
    return app.fleet.actor(token, req.ip)


def _int(value: str | None, field: str, default: int) -> int:
    """A query parameter that must be a whole number."""
    if value is None:
        return default
    if not value.strip().lstrip("-").isdigit():
        raise Invalid("must be an integer", field=field)
    return int(value)


# ---- public and device ------------------------------------------------------------------


def health(app: FleetApp, req: Request) -> Response:
    return json_response(200, {"status": "ok"})


def server_key(app: FleetApp, req: Request) -> Response:
    return json_response(200, app.devices.server_key())


def enroll(app: FleetApp, req: Request) -> Response:
    view = app.devices.enroll(_signed(req), req.read(schemas.Enrollment))
    return json_response(202 if view["status"] == "pending" else 200, view)


def device_state(app: FleetApp, req: Request) -> Response:
    return json_response(200, app.devices.state(_signed(req)))


def device_bundle(app: FleetApp, req: Request) -> Response:
    return json_response(200, app.devices.bundle(_signed(req)))


def heartbeat(app: FleetApp, req: Request) -> Response:
    return json_response(200, app.devices.heartbeat(_signed(req), req.read(schemas.Heartbeat)))


def results(app: FleetApp, req: Request) -> Response:
    return json_response(200, app.devices.results(_signed(req), req.read(schemas.Results)))


def logs(app: FleetApp, req: Request) -> Response:
    return json_response(200, app.devices.upload_logs(_signed(req), req.read(schemas.LogUpload)))


# ---- admin ------------------------------------------------------------------------------


def login(app: FleetApp, req: Request) -> Response:
    body = req.read(schemas.Login)
    token, _, expires = app.fleet.login(body.username, body.password, req.ip, body.otp)
    return json_response(200, {"token": token, "expires_at": expires})


def logout(app: FleetApp, req: Request) -> Response:
    app.fleet.logout(admin(app, req), req.bearer())
    return Response(204)


def regions(app: FleetApp, req: Request) -> Response:
    return json_response(200, {"regions": app.fleet.regions(admin(app, req))})


def add_region(app: FleetApp, req: Request) -> Response:
    actor, body = admin(app, req), req.read(schemas.NewRegion)
    app.fleet.add_region(actor, body.id, body.name, body.level, body.parent_id)
    return json_response(201, {"id": body.id})


def add_admin(app: FleetApp, req: Request) -> Response:
    actor, body = admin(app, req), req.read(schemas.NewAdmin)
    secret = app.fleet.add_admin(actor, body.username, body.password, body.role, body.scope)
    made: dict[str, str] = {"username": body.username}
    if secret is not None:  # shown once: the new province admin's authenticator takes it
        made |= {"totp_secret": secret, "totp_uri": totp.uri(secret, body.username)}
    return json_response(201, made)


def devices(app: FleetApp, req: Request) -> Response:
    status = req.query.get("status")
    if status not in (None, "pending", "accepted", "rejected", "revoked"):
        raise Invalid("status: pending, accepted, rejected or revoked", field="status")
    limit = _int(req.query.get("limit"), "limit", 1000)
    offset = _int(req.query.get("offset"), "offset", 0)
    if not 1 <= limit <= 5000 or offset < 0:
        raise Invalid("limit: 1-5000, offset: 0 or more", field="limit")
    region = req.query.get("region")
    if region is not None and not NODE_ID.fullmatch(region):
        raise Invalid("a region id: 1-64 letters, digits, '-' or '_'", field="region")
    found, total = app.fleet.devices_and_total(admin(app, req), status, region, limit, offset)
    return json_response(200, {"devices": found, "total": total})


def device(app: FleetApp, req: Request) -> Response:
    return json_response(200, app.fleet.device(admin(app, req), req.params["device_id"]))


def approve(app: FleetApp, req: Request) -> Response:
    actor, body = admin(app, req), req.read(schemas.Approval)
    found = app.fleet.approve(actor, req.params["device_id"], body.site_id)
    return json_response(200, found)


def reject(app: FleetApp, req: Request) -> Response:
    app.fleet.reject(admin(app, req), req.params["device_id"])
    return Response(204)


def revoke(app: FleetApp, req: Request) -> Response:
    app.fleet.revoke(admin(app, req), req.params["device_id"])
    return Response(204)


def command(app: FleetApp, req: Request) -> Response:
    actor, body = admin(app, req), req.read(schemas.CommandRequest)
    made = app.fleet.command(actor, req.params["device_id"], body.kind, body.args, body.command_id)
    return json_response(201, made)


def pairing_code(app: FleetApp, req: Request) -> Response:
    actor, body = admin(app, req), req.read(schemas.PairingCodeRequest)
    code, expires = app.fleet.pairing_code(actor, body.site_id, body.uses, body.ttl_s)
    payload = make_payload(app.public_url, code, app.fleet.key.key_id)
    return json_response(
        201, {"code": format_code(code), "expires_at": expires, "payload": payload}
    )


def preauthorize(app: FleetApp, req: Request) -> Response:
    actor = admin(app, req)
    if req.header("content-type").split(";")[0].strip() != "text/csv":
        raise UnsupportedMedia("expected text/csv")
    try:
        text = req.body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid("the CSV is not UTF-8", field="csv") from exc
    return json_response(200, {"serials": app.fleet.preauthorize(actor, text)})


def get_config(app: FleetApp, req: Request) -> Response:
    version, layer = app.fleet.layer(admin(app, req), req.params["node_id"])
    return json_response(
        200, {"node_id": req.params["node_id"], "version": version, "layer": layer}
    )


def put_config(app: FleetApp, req: Request) -> Response:
    actor = admin(app, req)
    result = app.fleet.push(actor, req.params["node_id"], req.json())
    return json_response(202 if result.get("status") == "awaiting_approval" else 200, result)


def approve_config(app: FleetApp, req: Request) -> Response:
    actor, body = admin(app, req), req.read(schemas.LayerApproval)
    return json_response(
        200, app.fleet.approve_layer(actor, req.params["node_id"], body.proposal_id)
    )


def preview_config(app: FleetApp, req: Request) -> Response:
    actor = admin(app, req)
    sites = app.fleet.preview(actor, req.params["node_id"], req.json())
    return json_response(200, {"sites": sites})


def alerts(app: FleetApp, req: Request) -> Response:
    return json_response(200, {"alerts": app.fleet.alerts(admin(app, req))})


def audit_log(app: FleetApp, req: Request) -> Response:
    limit = _int(req.query.get("limit"), "limit", 200)
    if not 1 <= limit <= 1000:
        raise Invalid("limit: 1-1000", field="limit")
    return json_response(200, {"entries": app.fleet.audit_log(admin(app, req), limit)})
