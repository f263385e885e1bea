"""The console's door: session cookie, CSRF check on every form, errors as pages.

A console handler is ``(app, req, actor) -> Response``. :func:`page_handler` wraps it:
no or expired session → the login page; a form without the session's CSRF token →
refused; a FleetError → a page with the reason in Chinese, never a stack trace.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import quote

from provisioning.server.accounts import Actor
from provisioning.server.console.labels import ERRORS
from provisioning.server.console.render import page
from provisioning.server.errors import FleetError, Forbidden, Unauthorized
from provisioning.server.wire import Request, Response, redirect

if TYPE_CHECKING:
    from provisioning.server.app import FleetApp

COOKIE = "fleet_session"
ConsoleHandler = Callable[["FleetApp", Request, Actor], Response]


def session_cookie(token: str, max_age: int, secure: bool = False) -> str:
    flags = "; Secure" if secure else ""
    return f"{COOKIE}={token}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}{flags}"


def explain(error: FleetError) -> str:
    """An error as the console says it: Chinese first, the code for a support call."""
    text = ERRORS.get(error.code, error.detail)
    if error.field and error.code == "invalid_field":
        text = f"{text}：{error.field}（{error.detail}）"
    return f"操作未完成：{text}（{error.code}）"


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
            return page("error.html", exc.status, title="出错了", user=actor.username,
                        csrf=actor.csrf, flash=explain(exc), error=True)  # fmt: skip

    run.__name__ = handler.__name__
    return run


def back(path: str, message: str) -> Response:
    """Redirect after a form, carrying a short message for the next page."""
    return redirect(f"{path}?msg={quote(message)}")
