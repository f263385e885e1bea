"""Console pages for signing in, configuration (edit, preview, push) and the audit log."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from provisioning.server.accounts import ABSOLUTE_S, ROLE_NAMES, Actor
from provisioning.server.console.gate import COOKIE, back, page_handler, session_cookie
from provisioning.server.console.html import esc, form, page, table, when
from provisioning.server.errors import Invalid, Unauthorized
from provisioning.server.regions import LEVELS
from provisioning.server.wire import Request, Response, redirect

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp

LEVEL_NAMES = dict(zip(LEVELS, ("省", "县（区）", "乡镇（街道）", "站点"), strict=True))
_LOGIN_FORM = (
    '<form method="post" action="/console/login" id="login">'
    '<p>用户名 <input name="username" autocomplete="username"></p>'
    '<p>密码 <input name="password" type="password" autocomplete="current-password"></p>'
    '<button type="submit">登录</button></form>'
)


def login_page(app: FleetApp, req: Request) -> Response:
    if req.method == "GET":
        note = "登录已过期，请重新登录" if req.query.get("expired") else ""
        return page("登录", _LOGIN_FORM, flash=note)
    fields = req.form()
    try:
        token, _, _ = app.fleet.login(fields.get("username", ""), fields.get("password", ""),
                                      req.ip)  # fmt: skip
    except Unauthorized:
        return page("登录", _LOGIN_FORM, flash="用户名或密码错误", error=True, status=401)
    return redirect("/console/", {"Set-Cookie": session_cookie(token, int(ABSOLUTE_S))})


@page_handler
def logout(app: FleetApp, req: Request, actor: Actor) -> Response:
    app.fleet.logout(actor, req.cookie(COOKIE))
    return redirect("/console/login", {"Set-Cookie": session_cookie("", 0)})


@page_handler
def config_index(app: FleetApp, req: Request, actor: Actor) -> Response:
    rows = [[f'<a href="/console/config/{esc(r["id"])}">{esc(r["name"])}</a>', esc(r["id"]),
             esc(LEVEL_NAMES.get(r["level"], r["level"])), esc(r["parent_id"] or "—")]
            for r in app.fleet.regions(actor)]  # fmt: skip
    return page("配置", "<p>选择要配置的层级。下级的设置覆盖上级。</p>"
                + table(["名称", "编号", "层级", "上级"], rows, "nodes"),
                user=actor.username, csrf=actor.csrf)  # fmt: skip


def _editor(node: str, actor: Actor, text: str) -> str:
    area = f'<textarea name="layer" rows="18" id="layer">{esc(text)}</textarea><br>'
    buttons = ('<button type="submit" formaction="/console/config/' + esc(node)
               + '/preview" id="preview-button">预览变更</button> ')  # fmt: skip
    return form(f"/console/config/{node}/push", actor.csrf, area + buttons, "推送", "editor")


@page_handler
def config_node(app: FleetApp, req: Request, actor: Actor) -> Response:
    node = req.params["node_id"]
    version, layer = app.fleet.layer(actor, node)
    text = json.dumps(layer, ensure_ascii=False, indent=2)
    body = f"<p>当前第 {version} 版。</p>" + _editor(node, actor, text)
    return page(f"配置：{node}", body, user=actor.username, csrf=actor.csrf,
                flash=req.query.get("msg", ""))  # fmt: skip


def _layer(req: Request) -> object:
    try:
        return json.loads(req.form().get("layer", ""))
    except ValueError as exc:
        raise Invalid(f"不是合法的 JSON：{exc}", field="layer") from exc


@page_handler
def config_preview(app: FleetApp, req: Request, actor: Actor) -> Response:
    node = req.params["node_id"]
    layer = _layer(req)
    sites = app.fleet.preview(actor, node, layer)
    rows = [[esc(s["site_id"]), "<br>".join(esc(c) for c in s["changes"]) or "无变化"]
            for s in sites]  # fmt: skip
    text = json.dumps(layer, ensure_ascii=False, indent=2)
    body = ("<h2>推送后的变化</h2>" + table(["站点", "变化"], rows, "preview")
            + _editor(node, actor, text))  # fmt: skip
    return page(f"配置：{node}（预览）", body, user=actor.username, csrf=actor.csrf)


@page_handler
def config_push(app: FleetApp, req: Request, actor: Actor) -> Response:
    node = req.params["node_id"]
    result = app.fleet.push(actor, node, _layer(req))
    sites = "、".join(f"{s}（v{v}）" for s, v in result["bundles"]) or "无站点内容变化"
    return back(f"/console/config/{node}", f"已推送第 {result['layer_version']} 版：{sites}")


@page_handler
def audit(app: FleetApp, req: Request, actor: Actor) -> Response:
    rows = [[when(e["at"]), esc(e["actor"]), esc(e["action"]), esc(e["target"]),
             esc(json.dumps(e["detail"], ensure_ascii=False)), esc(e["ip"])]
            for e in app.fleet.audit_log(actor, 300)]  # fmt: skip
    role = ROLE_NAMES.get(actor.role, actor.role)
    return page("审计日志", f"<p>当前用户：{esc(actor.username)}（{esc(role)}）</p>"
                + table(["时间", "操作人", "操作", "对象", "详情", "来源"], rows, "audit"),
                user=actor.username, csrf=actor.csrf)  # fmt: skip
