"""Heartbeats, online/offline, and alerts.

A heartbeat carries device statuses, paper level, outbox depth and oldest pending age,
versions and uptime. The latest one is kept on the device row; alerts open when a
condition appears and resolve when it clears, at most one open alert per device and kind.
A kiosk is *offline* after three missed heartbeats; the sweep opens ``offline_day`` after
a day without contact.
"""

from __future__ import annotations

import json
from typing import Any

from provisioning.server import audit
from provisioning.server.db import Tx
from provisioning.server.errors import Invalid

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


def check_heartbeat(body: dict[str, Any]) -> dict[str, Any]:
    """The fields we keep, type-checked; Invalid naming the field otherwise."""
    out: dict[str, Any] = {}
    out["uptime_s"] = _number(body.get("uptime_s", 0), "uptime_s")
    out["software_version"] = _text(body.get("software_version", ""), "software_version", 64)
    version = body.get("config_version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise Invalid("config_version must be an integer or null", field="config_version")
    out["config_version"] = version
    out["config_error"] = _text(body.get("config_error") or "", "config_error", 500)
    out["in_service"] = bool(body.get("in_service", True))
    out["paper"] = _text(body.get("paper", "unknown"), "paper", 32)
    devices = body.get("devices", {})
    if not isinstance(devices, dict) or not all(isinstance(v, dict) for v in devices.values()):
        raise Invalid("devices maps a kind to its status", field="devices")
    out["devices"] = {
        str(kind)[:32]: {
            "device": _text(v.get("device", ""), f"devices.{kind}.device", 32),
            "supplies": v.get("supplies", {}) if isinstance(v.get("supplies"), dict) else {},
            "detail": _text(v.get("detail", ""), f"devices.{kind}.detail", 200),
        }
        for kind, v in list(devices.items())[:16]
    }
    outbox = body.get("outbox", {})
    if not isinstance(outbox, dict):
        raise Invalid("outbox is an object", field="outbox")
    age = outbox.get("oldest_pending_age_s")
    out["outbox"] = {
        "depth": int(_number(outbox.get("depth", 0), "outbox.depth")),
        "oldest_pending_age_s": None
        if age is None
        else _number(age, "outbox.oldest_pending_age_s"),
    }
    out["events"] = check_events(body)
    return out


EVENT_KINDS = ("maintenance_entered", "maintenance_pin_failed", "maintenance_locked",
               "maintenance_left")  # fmt: skip
MAX_EVENTS = 200


def check_events(body: dict[str, Any]) -> list[dict[str, Any]]:
    """A heartbeat's kiosk events (maintenance entries, wrong PINs …), type-checked."""
    events = body.get("events", [])
    if not isinstance(events, list) or len(events) > MAX_EVENTS:
        raise Invalid(f"events is a list of at most {MAX_EVENTS}", field="events")
    out = []
    for i, event in enumerate(events):
        if not isinstance(event, dict) or event.get("kind") not in EVENT_KINDS:
            raise Invalid(f"events[{i}].kind must be one of {', '.join(EVENT_KINDS)}",
                          field="events")  # fmt: skip
        out.append({
            "kind": event["kind"],
            "at": _number(event.get("at", 0), f"events[{i}].at"),
            "technician": _text(event.get("technician", ""), f"events[{i}].technician", 32),
            "method": _text(event.get("method", ""), f"events[{i}].method", 16),
            "detail": _text(event.get("detail", ""), f"events[{i}].detail", 64),
        })  # fmt: skip
    return out


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise Invalid("must be a number ≥ 0", field=field)
    return value


def _text(value: Any, field: str, most: int) -> str:
    if not isinstance(value, str) or len(value) > most:
        raise Invalid(f"must be text of at most {most} characters", field=field)
    return value


def conditions(health: dict[str, Any]) -> dict[str, str]:
    """Alert kinds this heartbeat shows, with a short detail each."""
    found = {}
    printer = health["devices"].get("printer", {})
    if health["paper"] == "out" or printer.get("supplies", {}).get("paper") == "out":
        found["paper_out"] = "printer paper out"
    broken = sorted(k for k, v in health["devices"].items() if v["device"] in ERROR_STATES)
    if broken:
        found["device_error"] = ", ".join(f"{k}: {health['devices'][k]['device']}" for k in broken)
    age = health["outbox"]["oldest_pending_age_s"]
    if age is not None and age > OUTBOX_STALE_S:
        found["outbox_stale"] = (
            f"oldest pending {age / 3600:.0f} h, depth {health['outbox']['depth']}"
        )
    if health["config_error"]:
        found["config_error"] = health["config_error"][:200]
    return found


def ingest(tx: Tx, device: dict[str, Any], health: dict[str, Any], now: float) -> None:
    events = health.pop("events", [])
    for event in events:  # in the fleet's audit log, under the kiosk's own name
        audit.record(tx, device["id"], f"kiosk.{event['kind']}", device["id"], event["at"],
                     technician=event["technician"], method=event["method"],
                     detail=event["detail"])  # fmt: skip
    tx.run(
        "UPDATE devices SET last_seen = ?, health = ?, software_version = ?,"
        " config_version = ?, in_service = ? WHERE id = ?",
        (
            now, json.dumps(health, ensure_ascii=False), health["software_version"],
            health["config_version"], int(health["in_service"]), device["id"],
        ),
    )  # fmt: skip
    # offline_day is never in ``found``: the kiosk just spoke, so that alert resolves too
    _sync_alerts(tx, device["id"], conditions(health), set(ALERTS), now)


def _sync_alerts(
    tx: Tx, device_id: str, found: dict[str, str], kinds: set[str], now: float
) -> None:
    open_rows = tx.all(
        "SELECT id, kind FROM alerts WHERE device_id = ? AND resolved_at IS NULL", (device_id,)
    )
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
            (row["id"], "offline_day", "no heartbeat for a day", now),
        )
    return opened


def connectivity(device: dict[str, Any], now: float) -> str:
    """online | offline | never (accepted devices); otherwise the enrollment status."""
    if device["status"] != "accepted":
        return str(device["status"])
    if device["last_seen"] is None:
        return "never"
    return "online" if now - device["last_seen"] <= OFFLINE_AFTER_S else "offline"


def open_alerts(tx: Tx, device_ids: list[str] | None = None) -> list[dict[str, Any]]:
    rows = tx.all("SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY opened_at DESC, id DESC")
    if device_ids is not None:
        wanted = set(device_ids)
        rows = [r for r in rows if r["device_id"] in wanted]
    return rows
