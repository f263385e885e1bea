"""Small HTML builders for the console: everything dynamic goes through :func:`esc`.

No template engine: the pages are few and plain, and building them from functions keeps
escaping in one place (``esc``) and lets tests read the same names the pages use.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from typing import Any

from provisioning.server.wire import HTML_TYPE, Response

CST = dt.timezone(dt.timedelta(hours=8))

STATUS = {
    "online": ("在线", "ok"), "offline": ("离线", "bad"), "never": ("从未联系", "warn"),
    "pending": ("待审批", "warn"), "rejected": ("已拒绝", "bad"), "revoked": ("已停用", "bad"),
    "accepted": ("已接入", "ok"), "delivered": ("已下发", "warn"), "done": ("已完成", "ok"),
    "failed": ("失败", "bad"), "cancelled": ("已取消", "bad"),
}  # fmt: skip

CSS = """
body{font-family:"Noto Sans CJK SC",sans-serif;margin:0;color:#1d2733;background:#f4f6f8}
header{background:#0b5394;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:center}
header a{color:#fff;text-decoration:none}header form{margin-left:auto}
main{padding:16px 24px}table{border-collapse:collapse;background:#fff;margin:8px 0 18px}
th,td{border:1px solid #d0d7de;padding:5px 9px;text-align:left;font-size:14px}
th{background:#e9eef3}.badge{padding:1px 7px;border-radius:9px;font-size:13px}
.ok{background:#d8f0dd}.warn{background:#fff1c2}.bad{background:#f9d4d4}
.flash{padding:8px 12px;background:#fff1c2;border:1px solid #e0c060;margin-bottom:12px}
.error{background:#f9d4d4;border-color:#d08080}textarea{width:100%;font-family:monospace}
h2{font-size:18px;margin-top:22px}
"""


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def when(epoch: float | None) -> str:
    if not epoch:
        return "—"
    return dt.datetime.fromtimestamp(epoch, CST).strftime("%Y-%m-%d %H:%M")


def badge(status: str) -> str:
    label, tone = STATUS.get(status, (status, "warn"))
    return f'<span class="badge {tone}" data-status="{esc(status)}">{esc(label)}</span>'


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], id_: str = "") -> str:
    """Cells are HTML already (escape with :func:`esc` when building them)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    ident = f' id="{esc(id_)}"' if id_ else ""
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def form(action: str, csrf: str, inner: str, button: str, id_: str = "") -> str:
    ident = f' id="{esc(id_)}"' if id_ else ""
    return (
        f'<form method="post" action="{esc(action)}"{ident}>'
        f'<input type="hidden" name="csrf" value="{esc(csrf)}">{inner}'
        f'<button type="submit">{esc(button)}</button></form>'
    )


def select(name: str, options: Iterable[tuple[str, str]], chosen: str | None = None) -> str:
    opts = "".join(
        f'<option value="{esc(v)}"{" selected" if v == chosen else ""}>{esc(label)}</option>'
        for v, label in options
    )
    return f'<select name="{esc(name)}">{opts}</select>'


def page(
    title: str, body: str, *, user: str = "", csrf: str = "", flash: str = "",
    error: bool = False, status: int = 200,
) -> Response:  # fmt: skip
    nav = ""
    if user:
        nav = (
            '<a href="/console/">设备总览</a><a href="/console/pending">待审批</a>'
            '<a href="/console/config">配置</a><a href="/console/audit">审计日志</a>'
            + form("/console/logout", csrf, f"<span>{esc(user)}</span> ", "退出", "logout")
        )
    note = f'<div class="flash{" error" if error else ""}" id="flash">{esc(flash)}</div>'
    doc = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(title)} · 便民终端管理</title><style>{CSS}</style></head><body>"
        f"<header><strong>便民服务终端管理平台</strong>{nav}</header>"
        f"<main><h1>{esc(title)}</h1>{note if flash else ''}{body}</main></body></html>"
    )
    return Response(status, doc.encode("utf-8"), HTML_TYPE, {
        "Cache-Control": "no-store", "X-Frame-Options": "DENY",
        "Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline'",
    })  # fmt: skip
