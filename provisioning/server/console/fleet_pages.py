"""Console pages about kiosks: the fleet by region, one kiosk, pending enrollments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from provisioning.protocol import format_code, make_payload
from provisioning.server.accounts import Actor
from provisioning.server.commands import KINDS
from provisioning.server.console.gate import back, page_handler
from provisioning.server.console.html import badge, esc, form, page, select, table, when
from provisioning.server.health import ALERTS
from provisioning.server.wire import Request, Response

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp


def _alerts(kinds: list[str]) -> str:
    return "、".join(esc(ALERTS.get(k, k)) for k in kinds) or "—"


def _device_link(d: dict[str, Any]) -> str:
    return f'<a href="/console/devices/{esc(d["device_id"])}">{esc(d["device_id"])}</a>'


def _sites(app: FleetApp, actor: Actor) -> list[tuple[str, str]]:
    return [(r["id"], f"{r['name']}（{r['id']}）") for r in app.fleet.regions(actor)
            if r["level"] == "site"]  # fmt: skip


@page_handler
def overview(app: FleetApp, req: Request, actor: Actor) -> Response:
    """The fleet by region (county → township → site) with health at a glance."""
    regions = {r["id"]: r for r in app.fleet.regions(actor)}
    devices = [d for d in app.fleet.devices(actor) if d["status"] == "accepted"]
    counts = {k: sum(1 for d in devices if d["connectivity"] == k)
              for k in ("online", "offline", "never")}  # fmt: skip
    alerting = sum(1 for d in devices if d["alerts"])
    summary = (
        f'<p id="summary">共 {len(devices)} 台：在线 {counts["online"]}，离线 {counts["offline"]}，'
        f"从未联系 {counts['never']}；有告警 {alerting} 台。</p>"
    )
    body = [summary]
    for site_id in sorted({d["site_id"] for d in devices}, key=lambda s: _path(regions, s)):
        names = " › ".join(esc(regions[n]["name"]) for n in _chain(regions, site_id))
        rows = [
            [_device_link(d), esc(d["serial"]), badge(d["connectivity"]),
             "服务中" if d["in_service"] else "<b>暂停服务</b>", _alerts(d["alerts"]),
             esc(d["config_version"] or "—"), when(d["last_seen"])]
            for d in devices if d["site_id"] == site_id
        ]  # fmt: skip
        body.append(f'<h2 data-site="{esc(site_id)}">{names}</h2>')
        body.append(table(["设备", "序列号", "状态", "服务", "告警", "配置版本", "最后联系"],
                          rows, f"site-{site_id}"))  # fmt: skip
    if not devices:
        body.append("<p>还没有接入的终端。到“待审批”页生成配对码。</p>")
    return page("设备总览", "".join(body), user=actor.username, csrf=actor.csrf,
                flash=req.query.get("msg", ""))  # fmt: skip


def _chain(regions: dict[str, Any], node: str) -> list[str]:
    chain = []
    current: str | None = node
    while current is not None and current in regions:
        chain.append(current)
        current = regions[current]["parent_id"]
    return chain[::-1]


def _path(regions: dict[str, Any], node: str) -> str:
    return "/".join(_chain(regions, node))


@page_handler
def device(app: FleetApp, req: Request, actor: Actor) -> Response:
    d = app.fleet.device(actor, req.params["device_id"])
    health = d["health"]
    facts = table(["项目", "内容"], [
        ["设备编号", esc(d["device_id"])], ["序列号", esc(d["serial"])],
        ["状态", badge(d["status"]) + " " + badge(d["connectivity"])],
        ["站点", esc(d["site_id"] or f"申请：{d['requested_site']}")],
        ["服务", "服务中" if d["in_service"] else "<b>暂停服务</b>"],
        ["软件版本", esc(d["software_version"])], ["配置版本", esc(d["config_version"] or "—")],
        ["打印纸", esc(health.get("paper", "—"))],
        ["待发送申请", esc(health.get("outbox", {}).get("depth", "—"))],
        ["最早待发送（小时）", esc(_hours(health.get("outbox", {}).get("oldest_pending_age_s")))],
        ["最后联系", when(d["last_seen"])], ["接入时间", when(d["enrolled_at"])],
    ], "facts")  # fmt: skip
    parts = [facts, "<h2>外设</h2>", table(["外设", "状态", "耗材", "说明"], [
        [esc(k), esc(v.get("device")), esc(v.get("supplies")), esc(v.get("detail"))]
        for k, v in health.get("devices", {}).items()
    ], "peripherals")]  # fmt: skip
    parts += ["<h2>告警</h2>", table(["告警", "说明", "开始"], [
        [esc(ALERTS.get(a["kind"], a["kind"])), esc(a["detail"]), when(a["opened_at"])]
        for a in d["open_alerts"]
    ], "alerts")]  # fmt: skip
    parts += ["<h2>远程命令</h2>", _command_forms(d, actor), table(
        ["命令", "参数", "状态", "发起人", "时间", "结果"],
        [[esc(KINDS.get(c["kind"], c["kind"])), esc(c["args"] or ""), badge(c["status"]),
          esc(c["created_by"]), when(c["created_at"]), esc(c["result"] or "")]
         for c in d["commands"]], "commands")]  # fmt: skip
    if actor.can_write and d["status"] in ("pending", "rejected", "accepted"):
        parts += ["<h2>接入</h2>", _approve_form(app, actor, d)]
    if actor.can_write and d["status"] != "revoked":
        parts.append(form(f"/console/devices/{d['device_id']}/revoke", actor.csrf, "",
                          "停用此设备（吊销密钥）", "revoke"))  # fmt: skip
    return page(f"设备 {d['device_id']}", "".join(parts), user=actor.username, csrf=actor.csrf,
                flash=req.query.get("msg", ""))  # fmt: skip


def _hours(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 3600:.1f}"


def _command_forms(d: dict[str, Any], actor: Actor) -> str:
    if not actor.can_write or d["status"] != "accepted":
        return ""
    inner = (select("kind", list(KINDS.items()))
             + ' 提示语（停止服务时显示）：<input name="message" maxlength="200">')  # fmt: skip
    return form(f"/console/devices/{d['device_id']}/command", actor.csrf, inner, "下发命令",
                "command")  # fmt: skip


def _approve_form(app: FleetApp, actor: Actor, d: dict[str, Any]) -> str:
    chosen = d["site_id"] or d["requested_site"]
    return form(f"/console/devices/{d['device_id']}/approve", actor.csrf,
                "站点：" + select("site_id", _sites(app, actor), chosen) + " ",
                "接入到此站点", f"approve-{d['device_id']}")  # fmt: skip


@page_handler
def command(app: FleetApp, req: Request, actor: Actor) -> Response:
    fields = req.form()
    kind = fields.get("kind", "")
    args = {"message": fields.get("message", "")} if kind == "lock" else {}
    made = app.fleet.command(actor, req.params["device_id"], kind, args)
    note = f"已下发“{KINDS.get(kind, kind)}”（{made['id'][:8]}），终端下次联系时执行"
    return back(f"/console/devices/{req.params['device_id']}", note)


@page_handler
def approve(app: FleetApp, req: Request, actor: Actor) -> Response:
    site = req.form().get("site_id", "")
    app.fleet.approve(actor, req.params["device_id"], site)
    return back("/console/pending", f"{req.params['device_id']} 已接入 {site}")


@page_handler
def reject(app: FleetApp, req: Request, actor: Actor) -> Response:
    app.fleet.reject(actor, req.params["device_id"])
    return back("/console/pending", f"{req.params['device_id']} 已拒绝")


@page_handler
def revoke(app: FleetApp, req: Request, actor: Actor) -> Response:
    app.fleet.revoke(actor, req.params["device_id"])
    return back(f"/console/devices/{req.params['device_id']}", "设备已停用，其密钥不再被接受")


@page_handler
def pending(app: FleetApp, req: Request, actor: Actor) -> Response:
    rows = []
    for d in app.fleet.devices(actor, "pending"):
        actions = ""
        if actor.can_write:
            actions = _approve_form(app, actor, d) + form(
                f"/console/devices/{d['device_id']}/reject", actor.csrf, "", "拒绝",
                f"reject-{d['device_id']}")  # fmt: skip
        rows.append([_device_link(d), esc(d["serial"]), esc(d["requested_site"]),
                     when(d["enrolled_at"]), actions])  # fmt: skip
    body = table(["设备", "序列号", "配对码所属站点", "申请时间", "操作"], rows, "pending")
    if actor.can_write:
        body += "<h2>生成配对码</h2>" + form("/console/pairing-code", actor.csrf,
            "站点：" + select("site_id", _sites(app, actor)) +
            ' 可用次数：<input name="uses" value="1" size="3"> ', "生成", "pairing")  # fmt: skip
    return page("待审批设备", body, user=actor.username, csrf=actor.csrf,
                flash=req.query.get("msg", ""))  # fmt: skip


@page_handler
def pairing_code(app: FleetApp, req: Request, actor: Actor) -> Response:
    fields = req.form()
    uses = int(fields["uses"]) if fields.get("uses", "").isdigit() else 1
    code, expires = app.fleet.pairing_code(actor, fields.get("site_id", ""), uses)
    payload = make_payload(app.public_url, code, app.fleet.key.key_id)
    body = (f'<p>配对码：<strong id="code">{esc(format_code(code))}</strong>'
            f"（{when(expires)} 前有效，可用 {uses} 次）</p>"
            f'<p>二维码内容：<code id="payload">{esc(payload)}</code></p>'
            '<p><a href="/console/pending">返回待审批</a></p>')  # fmt: skip
    return page("配对码", body, user=actor.username, csrf=actor.csrf)
