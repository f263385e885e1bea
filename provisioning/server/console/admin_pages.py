"""Console pages for signing in, configuration (edit, preview, push) and the audit log."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from provisioning.server.accounts import ABSOLUTE_S, Actor
from provisioning.server.console.gate import COOKIE, back, page_handler, session_cookie
from provisioning.server.console.render import page
from provisioning.server.errors import Invalid, Unauthorized
from provisioning.server.wire import Request, Response, redirect

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp

PREVIEW_SITES = 20  # site ids shown per group of sites that change alike


def login_page(app: FleetApp, req: Request) -> Response:
    if req.method == "GET":
        note = "登录已过期，请重新登录" if req.query.get("expired") else ""
        return page("login.html", title="登录", flash=note)
    fields = req.form()
    try:
        token, _, _ = app.fleet.login(fields.get("username", ""), fields.get("password", ""),
                                      req.ip)  # fmt: skip
    except Unauthorized:
        return page("login.html", 401, title="登录", flash="用户名或密码错误", error=True)
    cookie = session_cookie(token, int(ABSOLUTE_S), secure=req.scheme == "https")
    return redirect("/console/", {"Set-Cookie": cookie})


@page_handler
def logout(app: FleetApp, req: Request, actor: Actor) -> Response:
    app.fleet.logout(actor, req.cookie(COOKIE))
    return redirect("/console/login", {"Set-Cookie": session_cookie("", 0)})


def _common(actor: Actor, req: Request) -> dict[str, Any]:
    return {"user": actor.username, "csrf": actor.csrf, "flash": req.query.get("msg", ""),
            "can_write": actor.can_write}  # fmt: skip


@page_handler
def config_index(app: FleetApp, req: Request, actor: Actor) -> Response:
    return page("config_index.html", title="配置", nodes=app.fleet.tops(actor),
                **_common(actor, req))  # fmt: skip


def _node_page(
    app: FleetApp, req: Request, actor: Actor, text: str | None = None,
    preview: list[dict[str, Any]] | None = None,
) -> Response:  # fmt: skip
    node_id = req.params["node_id"]
    version, layer = app.fleet.layer(actor, node_id)
    chain = app.fleet.chain(actor, node_id)
    shown = text if text is not None else json.dumps(layer, ensure_ascii=False, indent=2)
    return page("config_node.html", title=f"配置：{chain[-1]['name']}", node=chain[-1],
                chain=chain, version=version, text=shown, preview=preview,
                children=app.fleet.children(actor, node_id), **_common(actor, req))  # fmt: skip


@page_handler
def config_node(app: FleetApp, req: Request, actor: Actor) -> Response:
    return _node_page(app, req, actor)


def _layer(req: Request) -> tuple[str, object]:
    text = req.form().get("layer", "")
    try:
        return text, json.loads(text)
    except ValueError as exc:
        raise Invalid(f"不是合法的 JSON：{exc}", field="layer") from exc


def group_changes(sites: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sites that would change alike, together: a province's preview stays one screen."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for s in sites:
        groups.setdefault(tuple(s["changes"]), []).append(s["site_id"])
    out = []
    for changes, ids in groups.items():
        shown = "、".join(ids[:PREVIEW_SITES])
        more = f" 等 {len(ids)} 个站点" if len(ids) > PREVIEW_SITES else ""
        out.append({"site_id": shown + more, "changes": list(changes)})
    return out


@page_handler
def config_preview(app: FleetApp, req: Request, actor: Actor) -> Response:
    text, layer = _layer(req)
    sites = app.fleet.preview(actor, req.params["node_id"], layer)
    return _node_page(app, req, actor, text, group_changes(sites))


@page_handler
def config_push(app: FleetApp, req: Request, actor: Actor) -> Response:
    node = req.params["node_id"]
    result = app.fleet.push(actor, node, _layer(req)[1])
    issued = result["bundles"]
    sites = "、".join(f"{s}（v{v}）" for s, v in issued[:PREVIEW_SITES]) or "无站点内容变化"
    more = f" 等 {len(issued)} 个站点" if len(issued) > PREVIEW_SITES else ""
    return back(f"/console/config/{node}", f"已推送第 {result['layer_version']} 版：{sites}{more}")


@page_handler
def audit(app: FleetApp, req: Request, actor: Actor) -> Response:
    entries = app.fleet.audit_log(actor, 200)
    return page("audit.html", title="审计日志", entries=entries, **_common(actor, req))
