"""The console's door: session cookie, CSRF check on every form, errors as pages.

A console handler is ``(app, req, actor) -> Response``. :func:`page_handler` wraps it:
no or expired session → the login page; a form without the session's CSRF token →
refused; a FleetError → a page with the reason in Chinese, never a stack trace.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from provisioning.server.accounts import Actor
from provisioning.server.console.labels import ERRORS
from provisioning.server.console.render import page
from provisioning.server.errors import FleetError, Forbidden, Unauthorized
from provisioning.server.wire import Request, Response, redirect

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp

COOKIE = "fleet_session"
LOGIN_COOKIE = "fleet_login"  # the sign-in form's CSRF token (double submit)
ConsoleHandler = Callable[["FleetApp", Request, Actor], Response]

#: what a redirect after a form may say: the link names a key, never the text, so a link
#: made elsewhere cannot put words of its own ("…请访问 http://evil.example…") on our page
NOTICES = {
    "command_sent": "命令已下发，终端下次联系时执行",
    "device_approved": "终端已接入站点",
    "device_rejected": "终端已拒绝",
    "device_revoked": "设备已停用，其密钥不再被接受",
    "config_pushed": "配置已推送：内容有变化的站点已签发新版本",
    "config_approved": "已批准：配置已推送，内容有变化的站点已签发新版本",
    "config_proposed": "配置含须第二位省级管理员批准的设置（平台、设备地址、本地库），已提交待批准",
    "rollout_started": "升级任务已开始",
    "rollout_paused": "已暂停：尚未切换的终端撤回升级",
    "rollout_resumed": "已继续",
    "rollout_aborted": "已取消：尚未切换的终端撤回升级",
    "followup_recorded": "差评回访已记录",
}


def cookie_name(secure: bool, name: str = COOKIE) -> str:
    """Over TLS a cookie carries the ``__Host-`` prefix: the browser then insists on
    Secure, Path=/ and no Domain, so no sibling host can set or shadow it."""
    return f"__Host-{name}" if secure else name


def session_cookie(token: str, max_age: int, secure: bool = False, name: str = COOKIE) -> str:
    if secure:
        return (
            f"{cookie_name(True, name)}={token}; Path=/; Secure; HttpOnly; SameSite=Strict;"
            f" Max-Age={max_age}"
        )
    return f"{name}={token}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}"


def secure(req: Request) -> bool:
    return req.scheme == "https"


def notice(req: Request) -> str:
    """The text for the ``msg`` key a redirect carried; nothing for any other value."""
    return NOTICES.get(req.query.get("msg", ""), "")


def layout(actor: Actor, req: Request) -> dict[str, Any]:
    """What the layout of a signed-in admin's page reads: who, the form token, the notice
    a redirect named, and whether the admin may change anything."""
    return {
        "user": actor.username,
        "csrf": actor.csrf,
        "flash": notice(req),
        "can_write": actor.can_write,
    }


def explain(error: FleetError) -> str:
    """An error as the console says it: Chinese first, the code for a support call."""
    text = ERRORS.get(error.code, error.detail)
    if error.field and error.code == "invalid_field":
        text = f"{text}：{error.field}（{error.detail}）"
    return f"操作未完成：{text}（{error.code}）"


def page_handler(handler: ConsoleHandler) -> Callable[[FleetApp, Request], Response]:
    def run(app: FleetApp, req: Request) -> Response:
        try:
            actor = app.fleet.actor(req.cookie(cookie_name(secure(req))), req.ip)
        except Unauthorized as exc:
            target = "/console/login" + ("?expired=1" if exc.code == "session_expired" else "")
            return redirect(target)
        try:
            if req.method == "POST":
                sent = req.form().get("csrf", "")
                if not hmac.compare_digest(sent.encode(), actor.csrf.encode()):
                    raise Forbidden("表单已过期，请刷新页面后重试", code="csrf_failed")
            return handler(app, req, actor)
        except FleetError as exc:
            return page(
                "error.html",
                exc.status,
                title="出错了",
                user=actor.username,
                csrf=actor.csrf,
                flash=explain(exc),
                error=True,
            )

    run.__name__ = handler.__name__
    return run


def back(path: str, key: str) -> Response:
    """Redirect after a form, naming the notice (NOTICES) the next page shows."""
    assert key in NOTICES, key
    return redirect(f"{path}?msg={quote(key)}")
