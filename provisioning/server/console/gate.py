"""The console's door: session cookie, CSRF check on every form, errors as pages.

A console handler is ``(app, req, actor) -> Response``. :func:`page_handler` wraps it:
no or expired session → the login page; a form without the session's CSRF token →
refused; a FleetError → the page again with the reason, never a stack trace.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import quote

from provisioning.server.accounts import Actor
from provisioning.server.console.html import page
from provisioning.server.errors import FleetError, Forbidden, Unauthorized
from provisioning.server.wire import Request, Response, redirect

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp

COOKIE = "fleet_session"
ConsoleHandler = Callable[["FleetApp", Request, Actor], Response]


def session_cookie(token: str, max_age: int) -> str:
    return f"{COOKIE}={token}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}"


def page_handler(handler: ConsoleHandler) -> Callable[[FleetApp, Request], Response]:
    def run(app: FleetApp, req: Request) -> Response:
        try:
            actor = app.fleet.actor(req.cookie(COOKIE), req.ip)
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
            detail = f"操作未完成：{exc.detail}（{exc.code}）"
            link = '<p><a href="/console/">返回设备总览</a></p>'
            return page("出错了", link, user=actor.username, csrf=actor.csrf, flash=detail,
                        error=True, status=exc.status)  # fmt: skip

    run.__name__ = handler.__name__
    return run


def back(path: str, message: str) -> Response:
    """Redirect after a form, carrying a short message for the next page."""
    return redirect(f"{path}?msg={quote(message)}")
