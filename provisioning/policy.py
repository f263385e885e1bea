"""What the fleet may set on a kiosk: the allow-list of settings, the level each needs,
which need a second admin's approval, length caps, and the pinned platform hosts.

Shared by the fleet server (it refuses a layer that breaks these rules) and by the kiosk
(terminal/fleet.py checks a signed bundle against the same rules before using it), so a
server bug or a stolen admin session is not enough to point kiosks elsewhere.

Levels follow the region tree: a ``site`` key may be set in any layer, a ``county`` key
in a county or province layer, a ``province`` key only in the province's own layer.
The platform endpoint and credentials, device URLs and native libraries are
``province`` keys that also need a second province admin's approval.
"""

from __future__ import annotations

import dataclasses as dc
import functools
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LEVELS = ("site", "township", "county", "province")
#: a text setting pushed by the fleet is at most this long; lists at most LIST_CAP items
TEXT_CAP = 200
LIST_CAP = 400
HOSTS_FILE = Path(__file__).resolve().parents[1] / "config" / "platform_hosts.json"


@dc.dataclass(frozen=True)
class Rule:
    level: str  # the lowest layer it may be set in: site | county | province
    approval: bool = False  # a second province admin must approve the change
    cap: int = TEXT_CAP


_P = Rule("province")
_PA = Rule("province", approval=True)
_C = Rule("county")
_S = Rule("site")

ALLOWED: dict[str, Rule] = {
    "site.station_id": Rule("site", cap=64),
    "site.station_name": _S,
    "site.station_name_en": _S,
    "site.region_code": Rule("site", cap=12),
    "site.popular": Rule("site", cap=64),
    "site.type": _S,
    "ui.language": _C,
    "ui.elderly_default": _S,
    "ui.voice": _S,
    "session.idle_timeout_s": _S,
    "session.idle_warning_s": _S,
    "session.max_extensions": _S,
    "devices.idcard": _PA,
    "devices.smartcard": _PA,
    "devices.printer": _PA,
    "devices.docscan": _PA,
    "devices.camera": _PA,
    "devices.printer_profile": _S,
    "devices.qr_backend": _S,
    "devices.idcard_photo_decoder": _PA,
    "platform.url": _PA,
    "platform.device_id": _PA,
    "platform.token": _PA,
    "platform.timeout_s": _P,
    "services.callback_org": _S,
    "services.callback_days": _C,
    "services.mobile_url": _P,
    "services.warn_days": _C,
    "appointments.min_days_ahead": _C,
    "appointments.working_days": _C,
    "appointments.per_person_per_day": _C,
    "appointments.cancel_before_hours": _C,
    "staff.idle_s": _C,
    "staff.max_pin_failures": _C,
    "staff.lockout_s": _C,
    "maintenance.outbox_full": _C,
    "maintenance.health_interval_s": _C,
    "calendar.holidays": Rule("province", cap=32),
    "calendar.workdays": Rule("province", cap=32),
    "calendar.years": _P,
    "updates.hours": _C,
    "updates.download_kbps": _C,
    "updates.prove_within_s": _C,
}
#: set by the server itself from the region tree (layers.py), not pushed by an admin
FROM_THE_TREE = ("site.station_id", "site.station_name")


class PolicyError(ValueError):
    """A setting the fleet may not set like this: ``key`` names it."""

    def __init__(self, key: str, problem: str, code: str = "setting_not_allowed") -> None:
        super().__init__(f"{key}: {problem}")
        self.key, self.problem, self.code = key, problem, code


def rank(level: str) -> int:
    """Higher is nearer the root; unknown levels rank lowest."""
    return LEVELS.index(level) if level in LEVELS else -1


def rule(key: str) -> Rule:
    found = ALLOWED.get(key)
    if found is None:
        raise PolicyError(key, "the fleet may not set this setting")
    return found


def check_value(key: str, value: Any) -> None:
    """The allow-list, the caps and the pinned host for one pushed value."""
    limit = rule(key)
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list) and len(value) > LIST_CAP:
        raise PolicyError(key, f"at most {LIST_CAP} items", "setting_too_long")
    for item in items:
        if isinstance(item, str) and len(item) > limit.cap:
            raise PolicyError(key, f"at most {limit.cap} characters", "setting_too_long")
    if key == "platform.url" and value != "":
        host = platform_host(str(value))
        if host not in pinned_hosts():
            raise PolicyError(
                key, f"{host or value!r} is not a pinned platform host", "platform_host_not_pinned"
            )


def check_layer_settings(settings: dict[str, Any], level: str) -> list[str]:
    """Refuse what a layer of a node at ``level`` may not set (PolicyError); the keys
    in it that need a second admin's approval."""
    needing: list[str] = []
    for section, values in settings.items():
        for name, value in (values if isinstance(values, dict) else {}).items():
            key = f"{section}.{name}"
            check_value(key, value)
            limit = rule(key)
            if rank(level) < rank(limit.level):
                raise PolicyError(
                    key, f"may be set only at {limit.level} level", "setting_level_too_low"
                )
            if limit.approval:
                needing.append(key)
    return needing


def check_bundle_settings(settings: dict[str, Any], provenance: dict[str, Any]) -> None:
    """The kiosk's side: every setting in a signed bundle is allowed, within its caps,
    came from a layer high enough, and was approved by a second admin where it must."""
    for section, values in settings.items():
        if not isinstance(values, dict):
            raise PolicyError(section, "must be a table")
        for name, value in values.items():
            key = f"{section}.{name}"
            check_value(key, value)
            if key in FROM_THE_TREE and key not in provenance:
                continue
            came = provenance.get(key)
            if not isinstance(came, dict):
                raise PolicyError(key, "the bundle does not say who set it")
            limit = rule(key)
            if rank(str(came.get("level", ""))) < rank(limit.level):
                raise PolicyError(
                    key, f"may be set only at {limit.level} level", "setting_level_too_low"
                )
            if limit.approval and not approved_by_another(came):
                raise PolicyError(key, "needs a second admin's approval", "approval_required")


def approved_by_another(came: dict[str, Any]) -> bool:
    by, approved = came.get("proposed_by"), came.get("approved_by")
    return isinstance(by, str) and isinstance(approved, str) and bool(approved) and by != approved


def platform_host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


_HOST = re.compile(r"[a-z0-9.-]{1,253}")


@functools.cache
def pinned_hosts(path: Path = HOSTS_FILE) -> frozenset[str]:
    """The platform hosts shipped with the software (config/platform_hosts.json)."""
    hosts = json.loads(path.read_text(encoding="utf-8"))["hosts"]
    return frozenset(h.lower() for h in hosts if isinstance(h, str) and _HOST.fullmatch(h.lower()))
