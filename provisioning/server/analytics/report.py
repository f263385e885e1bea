"""The analytics report of one region and date range: as a dict (JSON), CSV or a
spreadsheet the county office can file (openpyxl). ``kiosk-fleet report`` and the
console's export give the same thing.

A report of a site shows counts of 1–4 as "<5", like the pages: a single person must
not be picked out of a file either.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from provisioning.server.accounts import Actor
from provisioning.server.analytics import queries
from provisioning.server.analytics.queries import Span
from provisioning.server.db import Database
from provisioning.server.regions import ancestors, children, get_region, require_within

FLOW_NAMES = {
    "instant": "即时办",
    "promised": "承诺办",
    "appointment": "预约办",
    "deferred": "延时办",
    "self_service": "自助办",
    "tracking": "办件查询",
    "correction": "补正",
    "complaint": "投诉",
    "assist": "帮办",
}


def build(db: Database, actor: Actor, node_id: str, s: Span) -> dict[str, Any]:
    """Everything the dashboard shows for ``node_id`` over ``s``, as plain data."""
    with db.read() as tx:
        require_within(tx, node_id, actor.scope)
        node = get_region(tx, node_id)
        site = node["level"] == "site"
        usage = queries.usage(tx, node_id, s, site)
        kids = children(tx, node_id)
        return {
            "region": {
                "id": node["id"],
                "name": node["name"],
                "level": node["level"],
                "path": [r["name"] for r in ancestors(tx, node_id)],
            },
            "from": s.first.isoformat(),
            "to": s.last.isoformat(),
            "site_level": site,
            "usage": usage,
            "matters": queries.matter_mix(tx, node_id, s),
            "children": queries.children_problems(tx, kids, s),
            "cards": queries.cards(tx, node_id),
        }


def for_file(report: dict[str, Any]) -> dict[str, Any]:
    """The report as JSON leaves the server: at site level every count of 1–4 is "<5",
    and so is every station's row in the per-child table (children that are sites)."""

    def hide(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: hide(v) for k, v in value.items()}
        if isinstance(value, list):
            return [hide(v) for v in value]
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < queries.SMALL:
            return f"<{queries.SMALL}"
        return value

    out = dict(report)
    if report["site_level"]:
        out["usage"], out["matters"] = hide(report["usage"]), hide(report["matters"])
    out["children"] = [
        {k: (v if k in ("id", "name", "level") else hide(v)) for k, v in c.items()}
        if c["level"] == "site"
        else c
        for c in report["children"]
    ]
    return out


def _c(value: int, site: bool) -> str | int:
    """A count for a file: "<5" at site level for 1–4."""
    return queries.shown(value, site) if site and 0 < value < queries.SMALL else value


def rows(report: dict[str, Any]) -> list[list[Any]]:
    """The report as one table: section, item, measure, value."""
    site = report["site_level"]
    u = report["usage"]
    out: list[list[Any]] = [["section", "item", "measure", "value"]]
    out.append(
        [
            "region",
            report["region"]["id"],
            " / ".join(report["region"]["path"]),
            f"{report['from']}..{report['to']}",
        ]
    )
    out.append(["summary", "all", "served", _c(u["served"], site)])
    for k, v in u["journeys"].items():
        out.append(["summary", "all", f"journeys_{k}", _c(v, site)])
    for day, v in zip(u["per_day"]["days"], u["per_day"]["served"], strict=True):
        out.append(["served_per_day", day, "served", "<5" if v is None else v])
    for item in u["identity"]:
        out.append(["identity", item["method"], "sessions", _c(item["count"], site)])
    for item in u["features"]:
        out.append(["features", item["feature"], "sessions", _c(item["count"], site)])
        out.append(["features", item["feature"], "share", item["share"]])
    out.append(["assisted", "all", "share", u["assisted_share"]])
    for level, v in u["ratings"]["total"].items():
        out.append(["ratings", level, "count", _c(v, site)])
    for m in report["matters"]:
        item = f"{FLOW_NAMES.get(m['flow'], m['flow'])} {m['matter']} {m['name']}".strip()
        for k in ("started", "completed", "abandoned", "assisted", "ratings", "bad_ratings"):
            out.append(["matters", item, k, _c(m[k], site)])
    for c in report["children"]:
        child_site = c["level"] == "site"
        for k in ("served", "paper_out", "print_failed", "qr_failed", "retaken"):
            out.append(["device_problems", f"{c['id']} {c['name']}", k, _c(c[k], child_site)])
    cards = report["cards"]
    out.append(["cards", "all", "red", cards["red"]])
    out.append(["cards", "all", "yellow", cards["yellow"]])
    for group in ("department", "site", "matter"):
        for r in cards[group]:
            out.append([f"cards_by_{group}", f"{r['key']} {r['name']}".strip(), "red", r["red"]])
            out.append(
                [f"cards_by_{group}", f"{r['key']} {r['name']}".strip(), "yellow", r["yellow"]]
            )
    return out


def to_csv(report: dict[str, Any]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows(report))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # a BOM: Excel reads it as UTF-8


def to_xlsx(report: dict[str, Any]) -> bytes:
    """A workbook: a summary sheet, then one sheet per section."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "概要"
    region = report["region"]
    summary.append(["地区", " / ".join(region["path"]), region["id"]])
    summary.append(["统计期间", report["from"], report["to"]])
    table = rows(report)[2:]
    sheets: dict[str, Any] = {}
    for section, item, measure, value in table:
        sheet = sheets.get(section)
        if sheet is None:
            sheet = sheets[section] = book.create_sheet(section[:31])
            sheet.append(["item", "measure", "value"])
        sheet.append([item, measure, value])
    for section, _item, measure, value in table:
        if section == "summary":
            summary.append([measure, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
