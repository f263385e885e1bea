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
import os
import threading
from collections.abc import Callable, Mapping
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


class ServingThread:
    """The daemon thread a simulator serves its wire on, and a pipe that wakes it.

    ``target`` runs from :meth:`start` until :attr:`stopping` is set; it waits in
    ``select`` on :attr:`wake_fd` beside its own descriptors, so that :meth:`wake` (after
    a change to what it serves) and :meth:`stop` reach it at once. Waits of its own go
    through ``stopping.wait(seconds)``, which a stop cuts short.
    """

    def __init__(self, target: Callable[[], None], name: str) -> None:
        self.stopping = threading.Event()
        self.wake_fd = -1  # the pipe's read end, for the thread's select
        self._wake_w = -1
        self._target, self._name = target, name
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        if self._thread is not None:
            return
        self.wake_fd, self._wake_w = os.pipe()
        self.stopping.clear()
        self._thread = threading.Thread(target=self._target, name=self._name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        if self._thread is not None:
            os.write(self._wake_w, b"x")

    def stop(self, timeout: float = 5.0) -> None:
        """Set :attr:`stopping`, wake the thread, wait for it to end, close the pipe."""
        if self._thread is None:
            return
        self.stopping.set()
        self.wake()
        self._thread.join(timeout)
        self._thread = None
        os.close(self.wake_fd)
        os.close(self._wake_w)
        self.wake_fd, self._wake_w = -1, -1


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
