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
from collections.abc import Mapping
from typing import TYPE_CHECKING, Self, TypeVar

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


T = TypeVar("T")


def named_fixture(fixtures: Mapping[str, T], name: str, kind: str) -> T:
    """The test card ``name`` of a simulator's ``fixtures``; a ValueError listing the
    known names otherwise (``kind`` says whose: "ID card", "smartcard")."""
    try:
        return fixtures[name]
    except KeyError as exc:
        known = ", ".join(sorted(fixtures))
        raise ValueError(f"unknown {kind} fixture {name!r}; known: {known}") from exc


class ServedSimulator:
    """A simulator that serves its end of the wire on a thread of its own, from
    :meth:`start` to :meth:`stop`; a ``with`` block does both."""

    def start(self) -> object:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


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
