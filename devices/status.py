"""The common device status model, after CEN/XFS4IoT (research/devices.md §1.4).

Every device kind reports the same record so that the kiosk, the maintenance screen and
the fleet heartbeat read devices one way.
"""

from __future__ import annotations

import dataclasses as dc
import enum
from typing import Any


class DeviceState(enum.StrEnum):
    """XFS4IoT ``common.device``."""

    ONLINE = "online"
    OFFLINE = "offline"
    NO_DEVICE = "noDevice"
    HARDWARE_ERROR = "hardwareError"
    USER_ERROR = "userError"
    BUSY = "busy"
    STARTING = "starting"


class MediaState(enum.StrEnum):
    UNKNOWN = "unknown"
    PRESENT = "present"
    NOT_PRESENT = "notPresent"
    JAMMED = "jammed"
    NOT_SUPPORTED = "notSupported"


class SupplyLevel(enum.StrEnum):
    FULL = "full"
    LOW = "low"
    OUT = "out"
    UNKNOWN = "unknown"
    NOT_SUPPORTED = "notSupported"


@dc.dataclass(frozen=True)
class DeviceStatus:
    device: DeviceState
    media: MediaState = MediaState.NOT_SUPPORTED
    supplies: dict[str, SupplyLevel] = dc.field(default_factory=dict)
    detail: str = ""
    vendor: dict[str, Any] = dc.field(default_factory=dict)

    @property
    def usable(self) -> bool:
        return self.device in (DeviceState.ONLINE, DeviceState.BUSY)

    def to_dict(self) -> dict[str, Any]:
        return {
            "device": str(self.device),
            "media": str(self.media),
            "supplies": {k: str(v) for k, v in self.supplies.items()},
            "detail": self.detail,
        }


class DeviceError(Exception):
    """Base of the device layer's exception tree.

    ``code`` is a short stable identifier (``timeout``, ``noDevice``, ``paperOut`` …) that
    the kiosk maps to a message key in one place.
    """

    code = "deviceError"

    def __init__(self, detail: str = "", *, code: str | None = None) -> None:
        super().__init__(detail or self.code)
        if code is not None:
            self.code = code
        self.detail = detail


class DeviceTimeout(DeviceError):
    code = "timeout"


class DeviceUnavailable(DeviceError):
    code = "noDevice"


class ProtocolError(DeviceError):
    """Bytes that do not follow the protocol: a malformed or corrupt frame."""

    code = "protocolError"
