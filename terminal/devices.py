"""Opening the kiosk's devices from the URLs in settings.

A device that cannot be opened is recorded with its problem and the kiosk keeps running
(kiosk/hardware.py). ``sim://`` devices record their simulators in the
:class:`~devices.simulation.Simulators` the runtime keeps, so that the simulation's
controls (terminal/simulation.py), the demo and the tests can reach their side of the
wire while the drivers know nothing of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from devices.camera import open_camera
from devices.docscan import open_docscan
from devices.idcard import open_reader as open_idcard
from devices.printer import open_printer
from devices.simulation import Simulators
from devices.smartcard import open_reader as open_smartcard
from kiosk.hardware import DeviceKind, Devices
from kiosk.settings import DeviceSettings

log = logging.getLogger(__name__)
T = TypeVar("T")


def open_devices(d: DeviceSettings, simulators: Simulators) -> Devices:
    """Every configured device, opened; see the module docstring."""
    devices = Devices(qr_backend=d.qr_backend)

    def attempt(kind: DeviceKind, opener: Callable[[], T]) -> T | None:
        try:
            device = opener()
        except Exception as exc:  # any failure here must not stop the kiosk
            devices.problems[kind] = f"{type(exc).__name__}: {exc}"
            log.error("device %s unavailable: %s", kind, devices.problems[kind])
            return None
        log.info("device %s opened", kind)
        return device

    devices.idcard = attempt(
        DeviceKind.IDCARD,
        lambda: open_idcard(d.idcard, simulators=simulators),
    )
    devices.smartcard = attempt(
        DeviceKind.SMARTCARD, lambda: open_smartcard(d.smartcard, simulators=simulators)
    )
    devices.printer = attempt(
        DeviceKind.PRINTER,
        lambda: open_printer(d.printer, d.printer_profile, simulators=simulators),
    )
    devices.docscan = attempt(
        DeviceKind.DOCSCAN, lambda: open_docscan(d.docscan, simulators=simulators)
    )
    # the QR camera is started by the scan that needs it and stopped after
    devices.camera = attempt(
        DeviceKind.CAMERA, lambda: open_camera(d.camera, simulators=simulators)
    )
    return devices
