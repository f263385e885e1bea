"""Console pages for signing in, configuration (edit, preview, push) and the audit log."""

from __future__ import annotations

import hmac
import json
import secrets
from typing import TYPE_CHECKING, Any

from provisioning.server.accounts import ABSOLUTE_S, Actor
from provisioning.server.console.gate import (
    LOGIN_COOKIE,
    back,
    cookie_name,
    layout,
    page_handler,
    secure,
    session_cookie,
)
from provisioning.server.console.render import page
from provisioning.server.errors import Invalid, TooMany, Unauthorized
from provisioning.server.wire import Request, Response, redirect

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp

PREVIEW_SITES = 20  # site ids shown per group of sites that change alike


def login_page(app: FleetApp, req: Request) -> Response:
    """The sign-in form. It carries a CSRF token that must match a SameSite=Strict cookie
    set with the form (double submit), so another site cannot post it."""
    if req.method == "GET":
        note = "登录已过期，请重新登录" if req.query.get("expired") else ""
        return _login_form(req, 200, note)
    fields = req.form()
    expected = req.cookie(cookie_name(secure(req), LOGIN_COOKIE))
    sent = fields.get("csrf", "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        return _login_form(req, 403, "表单已过期，请重新登录（csrf_failed）")
    try:
        token, _, _ = app.fleet.login(
            fields.get("username", ""), fields.get("password", ""), req.ip, fields.get("otp", "")
        )
    except TooMany as exc:
        response = _login_form(req, 429, "登录失败次数过多，请稍后再试（login_locked）")
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except Unauthorized as exc:
        text = "需要动态验证码" if exc.code == "second_factor_required" else "用户名或密码错误"
        return _login_form(req, 401, text)
    cookie = session_cookie(token, int(ABSOLUTE_S), secure=secure(req))
    return redirect("/console/", {"Set-Cookie": cookie})


def _login_form(req: Request, status: int, note: str) -> Response:
    token = secrets.token_urlsafe(16)
    response = page("login.html", status, title="登录", flash=note, error=status != 200, csrf=token)
    response.headers["Set-Cookie"] = session_cookie(token, 3600, secure(req), LOGIN_COOKIE)
    return response


@page_handler
def logout(app: FleetApp, req: Request, actor: Actor) -> Response:
    app.fleet.logout(actor, req.cookie(cookie_name(secure(req))))
    return redirect("/console/login", {"Set-Cookie": session_cookie("", 0, secure(req))})


@page_handler
def config_index(app: FleetApp, req: Request, actor: Actor) -> Response:
    return page(
        "config_index.html", title="配置", nodes=app.fleet.tops(actor), **layout(actor, req)
    )


def _node_page(
    app: FleetApp,
    req: Request,
    actor: Actor,
    text: str | None = None,
    preview: list[dict[str, Any]] | None = None,
    warnings: list[str] | None = None,
) -> Response:
    node_id = req.params["node_id"]
    version, layer = app.fleet.layer(actor, node_id)
    chain = app.fleet.chain(actor, node_id)
    shown = text if text is not None else json.dumps(layer, ensure_ascii=False, indent=2)
    if warnings is None:  # the standing layer's: a push's flash is a message key only
        warnings = app.fleet.warnings(actor, node_id, layer)
    return page(
        "config_node.html",
        title=f"配置：{chain[-1]['name']}",
        node=chain[-1],
        chain=chain,
        version=version,
        text=shown,
        preview=preview,
        warnings=warnings,
        children=app.fleet.children(actor, node_id),
        proposals=app.fleet.proposals(actor, node_id),
        can_approve=actor.role == "province_admin",
        **layout(actor, req),
    )


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
    warnings = app.fleet.warnings(actor, req.params["node_id"], layer)
    return _node_page(app, req, actor, text, group_changes(sites), warnings)


@page_handler
def config_push(app: FleetApp, req: Request, actor: Actor) -> Response:
    node = req.params["node_id"]
    result = app.fleet.push(actor, node, _layer(req)[1])
    waiting = result.get("status") == "awaiting_approval"
    return back(f"/console/config/{node}", "config_proposed" if waiting else "config_pushed")


@page_handler
def config_approve(app: FleetApp, req: Request, actor: Actor) -> Response:
    """A second province admin approves a proposed layer (approvals.py)."""
    node = req.params["node_id"]
    text = req.form().get("proposal_id", "")
    if not text.isdigit():
        raise Invalid("不是待批准的编号", field="proposal_id")
    app.fleet.approve_layer(actor, node, int(text))
    return back(f"/console/config/{node}", "config_approved")


@page_handler
def audit(app: FleetApp, req: Request, actor: Actor) -> Response:
    entries = app.fleet.audit_log(actor, 200)
    return page("audit.html", title="审计日志", entries=entries, **layout(actor, req))
