"""The simulators behind ``sim://`` devices: the other end of their wire.

A device opened from a ``sim://`` URL talks to a simulator through its real transport
(SAM frames over a pty, APDUs through vpcd into pcscd, ESC/POS over TCP, encoded frames).
The driver knows nothing of it: it only stops the simulator it was opened with when it
closes. Whoever opens devices and needs the simulators' side — to lay a test card on
the reader in a demo, to read back what the printer received, to hold a code up to the
camera — passes a :class:`Simulators` to the opener, which records each simulator there.
"""

from __future__ import annotations

import dataclasses as dc
from typing import TYPE_CHECKING

from devices.status import DeviceState

if TYPE_CHECKING:  # only the types: opening a real device never imports a simulator
    from devices.camera.simulator import CameraSimulator
    from devices.docscan.simulator import DocScanSimulator
    from devices.idcard.simulator import SamSimulator
    from devices.printer.simulator import PrinterSimulator
    from devices.smartcard.simulator import VirtualCard


@dc.dataclass
class Simulators:
    """The simulators of the ``sim://`` devices opened with this object (None: that
    device is real, or not opened)."""

    idcard: SamSimulator | None = None
    smartcard: VirtualCard | None = None
    printer: PrinterSimulator | None = None
    docscan: DocScanSimulator | None = None
    camera: CameraSimulator | None = None


class SimulatedCable:
    """A simulated USB camera's cable, for the camera and document camera simulators:
    ``unplug``, ``replug`` and ``stall`` exercise fault handling without sleeping, and
    :meth:`state` is what the camera's status reports."""

    _plugged = True
    _stalled = False

    def unplug(self) -> None:
        """The USB cable comes out: the camera cannot be opened and reads fail."""
        self._plugged = False

    def replug(self) -> None:
        self._plugged = True
        self._stalled = False

    def stall(self) -> None:
        """The camera stays enumerated but delivers no more frames."""
        self._stalled = True

    def state(self) -> tuple[DeviceState, str]:
        """Unplugged, frozen or fine."""
        if not self._plugged:
            return DeviceState.OFFLINE, "unplugged"
        if self._stalled:
            return DeviceState.HARDWARE_ERROR, "no frames"
        return DeviceState.ONLINE, ""
