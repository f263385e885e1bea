"""The health part of a heartbeat, from device statuses and outbox figures the kiosk
hands over (terminal/fleet.py makes the probe)."""

from __future__ import annotations

from typing import Any


def health_from(statuses: dict[str, Any], depth: int, oldest: float | None) -> dict[str, Any]:
    """A heartbeat's health fields from device statuses and outbox figures."""
    devices = {kind: status.to_dict() for kind, status in statuses.items()}
    printer = devices.get("printer", {})
    paper = str(printer.get("supplies", {}).get("paper", "unknown"))
    return {
        "devices": devices,
        "paper": paper,
        "outbox": {"depth": int(depth), "oldest_pending_age_s": oldest},
    }
