"""Console pages from Jinja2 templates (console/templates/), escaped by default.

Autoescape is on for every template and there is no ``|safe`` anywhere: a name, a serial
or an alert detail typed by anyone is shown as text. Templates get the label tables
(labels.py) and a few filters: ``when`` (epoch → China Standard Time), ``hours``,
``label`` (a code through one of the tables), ``num`` (thousands separators).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2

from provisioning.server.console import labels
from provisioning.server.wire import HTML_TYPE, Response

CST = dt.timezone(dt.timedelta(hours=8))
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline'; form-action 'self'",
}


def when(epoch: float | None) -> str:
    if not epoch:
        return "—"
    return dt.datetime.fromtimestamp(epoch, CST).strftime("%Y-%m-%d %H:%M")


def hours(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 3600:.1f}"


def label(code: Any, table: dict[Any, Any]) -> str:
    found = table.get(code, code)
    return str(found[0] if isinstance(found, tuple) else ("—" if found is None else found))


def num(value: int) -> str:
    return f"{value:,}"


def query(params: dict[str, Any], **changes: Any) -> str:
    """``?a=1&b=2`` from ``params`` with ``changes`` applied (None drops a key); ``?``
    alone when nothing is left (an empty link would reload the page it is on)."""
    merged = {k: v for k, v in (params | changes).items() if v not in (None, "", False)}
    return "?" + urlencode(merged)


_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters.update(when=when, hours=hours, label=label, num=num)
_ENV.globals.update(L=labels, query=query)


def page(template: str, status: int = 200, **context: Any) -> Response:
    """A page: ``template`` rendered with ``context`` (``user``, ``csrf``, ``flash`` and
    ``error`` are what the layout reads)."""
    context = {"user": "", "csrf": "", "flash": "", "error": False} | context
    html = _ENV.get_template(template).render(**context)
    return Response(status, html.encode("utf-8"), HTML_TYPE, dict(HEADERS))
