"""The health part of a heartbeat, read from a running kiosk core.

``runtime_probe(runtime)`` returns the callable the agent takes, reading
``runtime.hardware.statuses()``, ``runtime.outbox.depth()`` and
``runtime.outbox.oldest_pending_age()``: no Kivy, no wiring into the UI.
"""

from __future__ import annotations

from typing import Any

from provisioning.agent.agent import Probe


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


def runtime_probe(runtime: Any) -> Probe:
    def probe() -> dict[str, Any]:
        outbox = runtime.outbox
        return health_from(runtime.hardware.statuses(), outbox.depth(), outbox.oldest_pending_age())

    return probe
