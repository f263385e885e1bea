"""What the console and the admin API show of a fleet of 100,000 kiosks, counted in SQL.

- :func:`census`: for one node of the region tree, its children with how many of their
  kiosks are online, offline, never seen, alerting, out of service and on a stale
  configuration, plus the software version mix: one pass over the devices, grouped by
  site and configuration version, then rolled up the tree through ``region_ancestors``.
- :func:`device_page`: one page of a filtered, searched, sorted device list and the
  number of matches.

Only accepted kiosks are counted; pending ones are on the pending page. A kiosk is
*online* when it was heard within three heartbeats, *offline* after that, *never seen*
when it has not sent a heartbeat since it was accepted. Its configuration is *stale*
when it has been seen but reports a bundle older than its site's newest (or none).
"""

from __future__ import annotations

import dataclasses as dc
from typing import Any

from provisioning.server.db import Tx
from provisioning.server.health import ALERTS, OFFLINE_AFTER_S, connectivity

HEALTH = ("online", "offline", "never")
CONFIG = ("stale", "error")
SORTS = {
    "device": "d.id",
    "serial": "d.serial",
    "site": "d.site_id",
    "version": "d.software_version",
    "last_seen": "COALESCE(d.last_seen, 0)",  # never seen: the longest silent
    "enrolled": "d.enrolled_at",
}
PAGE_SIZE = 50
COUNTS = ("total", "online", "offline", "never", "alerting", "out_of_service", "stale")
UNDER = "IN (SELECT node_id FROM region_ancestors WHERE ancestor_id = ?)"


def census(tx: Tx, node_id: str | None, now: float) -> dict[str, Any]:
    """Counts for ``node_id`` and each child (``node_id`` None: the provinces)."""
    top = "k.parent_id IS NULL" if node_id is None else "k.parent_id = ?"
    kids = tx.all(
        f"SELECT k.id, k.name, k.level FROM regions k WHERE {top} ORDER BY k.id",
        () if node_id is None else (node_id,),
    )
    if not kids and node_id is not None:  # a site: count it, as its own only group
        top = "k.id = ?"
    per_kid = {k["id"]: dict.fromkeys(COUNTS, 0) for k in kids} or (
        {node_id: dict.fromkeys(COUNTS, 0)} if node_id is not None else {}
    )
    args: tuple[Any, ...] = () if node_id is None else (node_id,)
    under = "" if node_id is None else f" AND d.site_id {UNDER}"
    if node_id is not None and _whole_tree(tx, node_id):  # the one province: no filter
        under, args = "", ()
    place = (
        "SELECT a.node_id AS site_id, a.ancestor_id AS child FROM region_ancestors a"
        f" JOIN regions k ON k.id = a.ancestor_id WHERE {top}"
    )
    place_args: tuple[Any, ...] = () if node_id is None else (node_id,)
    online_since = now - OFFLINE_AFTER_S
    versions: dict[str, int] = {}
    kid_versions: dict[str, dict[str, int]] = {k: {} for k in per_kid}
    for row in tx.all(
        "WITH per AS (SELECT d.site_id, d.config_version, d.software_version,"
        " COUNT(*) AS total,"
        " SUM(CASE WHEN d.last_seen >= ? THEN 1 ELSE 0 END) AS online,"
        " SUM(CASE WHEN d.last_seen < ? THEN 1 ELSE 0 END) AS offline,"
        " SUM(CASE WHEN d.last_seen IS NULL THEN 1 ELSE 0 END) AS never,"
        " SUM(CASE WHEN d.in_service = 0 THEN 1 ELSE 0 END) AS out_of_service"
        f" FROM devices d WHERE d.status = 'accepted'{under}"
        " GROUP BY d.site_id, d.config_version, d.software_version),"
        f" place AS ({place})"
        " SELECT place.child, per.software_version AS version, SUM(per.total) AS total,"
        " SUM(per.online) AS online, SUM(per.offline) AS offline, SUM(per.never) AS never,"
        " SUM(per.out_of_service) AS out_of_service,"
        " SUM(CASE WHEN s.bundle_version IS NOT NULL AND (per.config_version IS NULL"
        " OR per.config_version < s.bundle_version) THEN per.total - per.never ELSE 0 END)"
        " AS stale"
        " FROM per JOIN place ON place.site_id = per.site_id"
        " JOIN regions s ON s.id = per.site_id GROUP BY place.child, per.software_version",
        (online_since, online_since, *args, *place_args),
    ):
        counts = per_kid[row["child"]]
        for key in COUNTS[:4] + COUNTS[5:]:
            counts[key] += int(row[key] or 0)
        versions[row["version"]] = versions.get(row["version"], 0) + int(row["total"])
        mix = kid_versions[row["child"]]
        mix[row["version"]] = mix.get(row["version"], 0) + int(row["total"])
    open_alerts = "SELECT DISTINCT device_id FROM alerts WHERE resolved_at IS NULL"
    for row in tx.all(
        f"WITH place AS ({place}) SELECT place.child, COUNT(*) AS n"
        f" FROM ({open_alerts}) a JOIN devices d ON d.id = a.device_id"
        " JOIN place ON place.site_id = d.site_id"
        f" WHERE d.status = 'accepted'{under} GROUP BY place.child",
        (*place_args, *args),
    ):
        per_kid[row["child"]]["alerting"] = int(row["n"])
    kinds = tx.all(
        "SELECT a.kind, COUNT(*) AS n FROM alerts a JOIN devices d ON d.id = a.device_id"
        f" WHERE a.resolved_at IS NULL AND d.status = 'accepted'{under} GROUP BY a.kind",
        args,
    )
    return {
        "children": [
            k | {"counts": per_kid[k["id"]], "versions": _mix(kid_versions[k["id"]])} for k in kids
        ],
        "totals": {k: sum(c[k] for c in per_kid.values()) for k in COUNTS},
        "versions": _mix(versions),
        "alerts": {r["kind"]: int(r["n"]) for r in kinds},
    }


def _mix(versions: dict[str, int]) -> list[tuple[str, int]]:
    """A software version mix, the most common first."""
    return sorted(versions.items(), key=lambda v: (-v[1], v[0]))


def _whole_tree(tx: Tx, node_id: str) -> bool:
    """Whether ``node_id`` is the only root: every kiosk is under it."""
    roots = tx.all("SELECT id FROM regions WHERE parent_id IS NULL LIMIT 2")
    return [r["id"] for r in roots] == [node_id]


@dc.dataclass(frozen=True)
class DeviceQuery:
    """A device list as an admin asks for it; every field optional."""

    region: str | None = None
    health: str | None = None  # online | offline | never
    alert: str | None = None  # an alert kind, or "any"
    version: str | None = None
    config: str | None = None  # stale | error
    out_of_service: bool = False
    q: str = ""  # part of a serial or a device id
    sort: str = "device"
    descending: bool = False
    page: int = 1
    status: str = "accepted"  # pending | accepted | rejected | revoked | "" (all)
    page_size: int = PAGE_SIZE

    def where(
        self, scope: str | None, now: float, dialect: str = "sqlite"
    ) -> tuple[str, list[Any]]:
        terms: list[str] = ["1 = 1"]
        args: list[Any] = []
        if self.status:
            terms.append("d.status = ?")
            args.append(self.status)
        site = "d.site_id" if self.status == "accepted" else "COALESCE(d.site_id, d.requested_site)"
        for node in (scope, self.region):
            if node is not None:
                terms.append(f"{site} {UNDER}")
                args.append(node)
        online_since = now - OFFLINE_AFTER_S
        if self.health == "online":
            terms.append("d.last_seen >= ?")
            args.append(online_since)
        elif self.health == "offline":
            terms.append("d.last_seen < ?")
            args.append(online_since)
        elif self.health == "never":
            terms.append("d.last_seen IS NULL")
        if self.alert == "any":
            terms.append("d.id IN (SELECT a.device_id FROM alerts a WHERE a.resolved_at IS NULL)")
        elif self.alert is not None:
            terms.append(
                "d.id IN (SELECT a.device_id FROM alerts a WHERE a.kind = ?"
                " AND a.resolved_at IS NULL)"
            )
            args.append(self.alert)
        if self.version is not None:
            terms.append("d.software_version = ?")
            args.append(self.version)
        if self.config == "stale":  # joined: see tables()
            terms.append(
                "d.last_seen IS NOT NULL AND s.bundle_version IS NOT NULL AND"
                " (d.config_version < s.bundle_version OR"
                " d.config_version IS NULL)"
            )
        elif self.config == "error":
            terms.append(
                "d.id IN (SELECT a.device_id FROM alerts a"
                " WHERE a.kind = 'config_error' AND a.resolved_at IS NULL)"
            )
        if self.out_of_service:
            terms.append("d.in_service = 0")
        if self.q:  # part of a serial (any case) or of a device id (lower case)
            escaped = self.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            like = "ILIKE" if dialect == "postgresql" else "LIKE"  # SQLite's LIKE ignores case
            terms.append(f"(d.serial {like} ? ESCAPE '\\' OR d.id LIKE ? ESCAPE '\\')")
            args += [f"%{escaped}%", f"%{escaped.lower()}%"]
        return " AND ".join(terms), args

    def tables(self) -> str:
        """What the WHERE clause reads: the site's row too when staleness is asked."""
        return (
            "devices d JOIN regions s ON s.id = d.site_id"
            if self.config == "stale"
            else ("devices d")
        )


def device_page(
    tx: Tx, query: DeviceQuery, scope: str | None, now: float
) -> tuple[list[dict[str, Any]], int]:
    """One page of devices (summaries) and how many match in all."""
    offset = (max(1, query.page) - 1) * query.page_size
    return device_slice(tx, query, scope, now, offset)


def device_slice(
    tx: Tx, query: DeviceQuery, scope: str | None, now: float, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """``query.page_size`` devices from ``offset`` on, and how many match in all."""
    where, args = query.where(scope, now, tx.dialect)
    column = SORTS.get(query.sort, "d.id")
    picked = (
        "SELECT d.id, d.serial, d.status, d.site_id, d.requested_site, d.software_version,"
        " d.config_version, d.last_seen, d.enrolled_at, d.in_service{count}"
        f" FROM {query.tables()} WHERE {where} ORDER BY {column} {{direction}},"
        " d.id {direction} LIMIT ? OFFSET ?"
    )
    if query.q:  # a search matches few: count them in the same pass as the page
        direction = "DESC" if query.descending else "ASC"
        sql = picked.format(count=", COUNT(*) OVER () AS matched", direction=direction)
        rows = tx.all(sql, [*args, query.page_size, offset])
        total = int(rows[0]["matched"]) if rows else _count(tx, query, where, args)
    else:
        total = _count(tx, query, where, args)
        limit = max(0, min(query.page_size, total - offset))
        backwards = offset > total // 2  # a page past the middle: count from the other end,
        if backwards:  # so the last page of 100,000 is as cheap as the first
            offset = total - offset - limit
        direction = "DESC" if query.descending != backwards else "ASC"
        sql = picked.format(count="", direction=direction)
        rows = tx.all(sql, [*args, limit, offset]) if limit else []
        if backwards:
            rows.reverse()
    ids = [r["id"] for r in rows]
    alerts: dict[str, list[str]] = {i: [] for i in ids}
    if ids:
        marks = ",".join("?" * len(ids))
        for a in tx.all(
            f"SELECT device_id, kind FROM alerts WHERE resolved_at IS NULL"
            f" AND device_id IN ({marks}) ORDER BY opened_at, id",
            ids,
        ):
            alerts[a["device_id"]].append(a["kind"])
    return [summary(r, now, alerts[r["id"]]) for r in rows], total


def _count(tx: Tx, query: DeviceQuery, where: str, args: list[Any]) -> int:
    row = tx.one(f"SELECT COUNT(*) AS n FROM {query.tables()} WHERE {where}", args)
    return int(row["n"]) if row else 0


def summary(row: dict[str, Any], now: float, alerts: list[str]) -> dict[str, Any]:
    return {
        "device_id": row["id"],
        "serial": row["serial"],
        "status": row["status"],
        "connectivity": connectivity(row, now),
        "site_id": row["site_id"],
        "requested_site": row["requested_site"],
        "software_version": row["software_version"],
        "config_version": row["config_version"],
        "in_service": bool(row["in_service"]),
        "last_seen": row["last_seen"],
        "enrolled_at": row["enrolled_at"],
        "alerts": alerts,
    }


def alert_kinds() -> list[str]:
    return list(ALERTS)
