"""Heartbeats, online/offline, and alerts.

A heartbeat carries device statuses, paper level, outbox depth and oldest pending age,
versions and uptime. The latest one is kept on the device row; alerts open when a
condition appears and resolve when it clears, at most one open alert per device and kind.
A kiosk is *offline* after three missed heartbeats; the sweep opens ``offline_day`` after
a day without contact.
"""

from __future__ import annotations

from typing import Any

import msgspec

from provisioning.server import audit, schemas
from provisioning.server.db import Statement, Tx

HEARTBEAT_S = 300
OFFLINE_AFTER_S = 3 * HEARTBEAT_S
OUTBOX_STALE_S = 24 * 3600
OFFLINE_DAY_S = 24 * 3600
ERROR_STATES = {"hardwareError", "userError", "offline", "noDevice"}
ALERTS = {
    "paper_out": "打印纸用完",
    "device_error": "设备故障",
    "outbox_stale": "待发送申请超过24小时",
    "offline_day": "离线超过一天",
    "config_error": "配置无法应用",
}
#: the peripherals a heartbeat reports, and their states (devices/status.py), in Chinese:
#: alert details are read by admins in the console
PERIPHERALS = {
    "idcard": "身份证阅读器",
    "smartcard": "社保卡/银行卡读卡器",
    "printer": "凭条打印机",
    "docscan": "高拍仪",
    "camera": "摄像头",
}
DEVICE_STATES = {
    "online": "正常",
    "offline": "离线",
    "noDevice": "未连接",
    "hardwareError": "硬件故障",
    "userError": "操作错误",
    "busy": "忙",
    "unknown": "未知",
    "": "未报告",
}


def check_heartbeat(body: dict[str, Any]) -> dict[str, Any]:
    """The fields we keep of a parsed heartbeat; Invalid naming the field otherwise."""
    return report(schemas.convert(schemas.Heartbeat, body))


def report(beat: schemas.Heartbeat) -> dict[str, Any]:
    """What the device row keeps of a heartbeat (its events go to the audit log)."""
    out = schemas.to_dict(beat)
    out["config_error"] = beat.config_error or ""
    out["devices"] = {
        k: {"device": v.device, "supplies": dict(v.supplies), "detail": v.detail}
        for k, v in beat.devices.items()
    }
    del out["results"]
    return out


def conditions(health: dict[str, Any]) -> dict[str, str]:
    """Alert kinds this heartbeat shows, with a short detail each."""
    found = {}
    printer = health["devices"].get("printer", {})
    if health["paper"] == "out" or printer.get("supplies", {}).get("paper") == "out":
        found["paper_out"] = "凭条打印机缺纸"
    broken = sorted(k for k, v in health["devices"].items() if v["device"] in ERROR_STATES)
    if broken:
        found["device_error"] = "，".join(
            f"{PERIPHERALS.get(k, k)}：{DEVICE_STATES.get(v, v)}"
            for k in broken
            for v in [health["devices"][k]["device"]]
        )
    age = health["outbox"]["oldest_pending_age_s"]
    if age is not None and age > OUTBOX_STALE_S:
        found["outbox_stale"] = (
            f"最早一件已等待 {age / 3600:.0f} 小时，共 {health['outbox']['depth']} 件待发送"
        )
    if health["config_error"]:
        found["config_error"] = health["config_error"][:200]
    return found


def storing(device_id: str, health: dict[str, Any], now: float) -> Statement:
    """The statement that keeps a heartbeat on its device's row."""
    return (
        "UPDATE devices SET last_seen = ?, health = ?, software_version = ?,"
        " config_version = ?, in_service = ? WHERE id = ?",
        (
            now,
            msgspec.json.encode({k: v for k, v in health.items() if k != "events"}).decode(),
            health["software_version"],
            health["config_version"],
            int(health["in_service"]),
            device_id,
        ),
    )


def open_alerts_of(device_id: str) -> Statement:
    return ("SELECT id, kind FROM alerts WHERE device_id = ? AND resolved_at IS NULL", (device_id,))


#: how far back a kiosk's event may be dated: events queue on the kiosk while it is
#: offline, never longer than this
EVENT_PAST_S = 30 * 86400


def event_time(reported: float, now: float) -> float:
    """A device-supplied time bounded by the server's clock: never in the future, never
    older than EVENT_PAST_S (an event dated 1970 once made an audit row dated 1970)."""
    return min(now, max(now - EVENT_PAST_S, reported))


def after(
    tx: Tx,
    device: dict[str, Any],
    health: dict[str, Any],
    open_rows: list[dict[str, Any]],
    now: float,
) -> None:
    """What a stored heartbeat changes besides the row: its events into the fleet's audit
    log (under the kiosk's own name), and alerts opened or resolved."""
    for event in health.get("events", []):
        at = event_time(event["at"], now)
        audit.record(
            tx,
            device["id"],
            f"kiosk.{event['kind']}",
            device["id"],
            at,
            technician=event["technician"],
            method=event["method"],
            detail=event["detail"],
            reported_at=event["at"],
        )
    # offline_day is never in ``found``: the kiosk just spoke, so that alert resolves too
    _sync_alerts(tx, device["id"], conditions(health), set(ALERTS), open_rows, now)


def _sync_alerts(
    tx: Tx,
    device_id: str,
    found: dict[str, str],
    kinds: set[str],
    open_rows: list[dict[str, Any]],
    now: float,
) -> None:
    open_kinds = {r["kind"]: r["id"] for r in open_rows}
    for kind in kinds:
        if kind in found and kind not in open_kinds:
            tx.run(
                "INSERT INTO alerts (device_id, kind, detail, opened_at) VALUES (?,?,?,?)",
                (device_id, kind, found[kind], now),
            )
        elif kind not in found and kind in open_kinds:
            tx.run("UPDATE alerts SET resolved_at = ? WHERE id = ?", (now, open_kinds[kind]))


def sweep(tx: Tx, now: float) -> int:
    """Open ``offline_day`` for accepted kiosks silent for a day; how many were opened."""
    rows = tx.all(
        "SELECT id, last_seen, enrolled_at FROM devices WHERE status = 'accepted'"
        " AND COALESCE(last_seen, enrolled_at) < ?",
        (now - OFFLINE_DAY_S,),
    )
    opened = 0
    for row in rows:
        opened += tx.run(
            "INSERT INTO alerts (device_id, kind, detail, opened_at) VALUES (?,?,?,?)"
            " ON CONFLICT (device_id, kind) WHERE resolved_at IS NULL DO NOTHING",
            (row["id"], "offline_day", "一天以上没有心跳", now),
        )
    return opened


def connectivity(device: dict[str, Any], now: float) -> str:
    """online | offline | never (accepted devices); otherwise the enrollment status."""
    if device["status"] != "accepted":
        return str(device["status"])
    if device["last_seen"] is None:
        return "never"
    return "online" if now - device["last_seen"] <= OFFLINE_AFTER_S else "offline"


def open_alerts(tx: Tx, device_id: str) -> list[dict[str, Any]]:
    """One device's open alerts, newest first."""
    return tx.all(
        "SELECT * FROM alerts WHERE device_id = ? AND resolved_at IS NULL"
        " ORDER BY opened_at DESC, id DESC",
        (device_id,),
    )
