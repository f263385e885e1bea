"""The kiosk's devices as the core sees them: opened elsewhere, watched and reported here.

The terminal opens each device from its URL (terminal/devices.py) and hands them over as
:class:`Devices`; a device that could not be opened is None with its problem recorded,
and the kiosk keeps running: matters that need it say so, the rest work (a dead printer
still allows a lookup).

Both card devices report through the same listeners with the same events
(:class:`CardEvent`): a record inserted, the card removed, a read that failed. The ID card
reader's watcher and the PC/SC reader's supervisor run on their own threads. A listener
added for one :class:`CardSource` hears that device only, so that taking a bank card out
of the PC/SC reader cannot end a session opened with an ID card.
"""

from __future__ import annotations

import contextlib
import dataclasses as dc
import enum
import logging
from collections.abc import Callable
from typing import TypeAlias

import numpy as np

from devices.camera import Camera
from devices.docscan import DocCamera
from devices.idcard import CardWatcher, IdCardReader, IdCardRecord
from devices.printer import ReceiptPrinter
from devices.qr import QrReader, open_reader
from devices.smartcard import CardRecord, ReaderSupervisor, SmartCardReader
from devices.status import DeviceError, DeviceState, DeviceStatus

log = logging.getLogger(__name__)


class DeviceKind(enum.StrEnum):
    IDCARD = "idcard"
    SMARTCARD = "smartcard"
    PRINTER = "printer"
    DOCSCAN = "docscan"
    CAMERA = "camera"


KINDS = tuple(DeviceKind)


class CardSource(enum.StrEnum):
    """Which card device an event came from."""

    IDCARD = "idcard"
    SMARTCARD = "smartcard"


class CardEvent(enum.StrEnum):
    INSERTED = "inserted"  # with the card's record
    REMOVED = "removed"  # with None
    ERROR = "error"  # with the exception of the failed read


# A camera picture (BGR). numpy types an array's shape and dtype with Any, so the glue's
# only explicit Any is where a picture crosses it (marked "numpy's").
Picture: TypeAlias = np.ndarray  # type: ignore[explicit-any]

CardRecordLike = IdCardRecord | CardRecord
CardPayload = CardRecordLike | Exception | None
CardListener = Callable[[CardEvent, CardPayload, CardSource], None]


@dc.dataclass
class Devices:
    """What the terminal opened; None where a device could not be (see ``problems``)."""

    idcard: IdCardReader | None = None
    smartcard: SmartCardReader | None = None
    printer: ReceiptPrinter | None = None
    docscan: DocCamera | None = None
    camera: Camera | None = None  # the QR camera; it captures only while scanning
    problems: dict[DeviceKind, str] = dc.field(default_factory=dict)
    qr_backend: str = "auto"


class Hardware:
    """The opened devices, their statuses, and the card events of both card devices."""

    def __init__(self, devices: Devices) -> None:
        self.idcard = devices.idcard
        self.smartcard = devices.smartcard
        self.printer = devices.printer
        self.docscan = devices.docscan
        self.camera = devices.camera
        self.problems = devices.problems
        self._qr_backend = devices.qr_backend
        self._watcher: CardWatcher | None = None
        self._supervisor: ReaderSupervisor | None = None
        self._listeners: list[tuple[CardListener, CardSource | None]] = []

    def start(self) -> Hardware:
        """Start watching both card devices."""
        if self.idcard is not None:
            self._watcher = CardWatcher(
                self.idcard,
                on_inserted=lambda record: self._emit(CardEvent.INSERTED, record),
                on_removed=lambda: self._emit(CardEvent.REMOVED, None),
                on_error=self._card_error,
            ).start()
        if self.smartcard is not None:
            smartcard = CardSource.SMARTCARD
            self._supervisor = ReaderSupervisor(
                self.smartcard,
                on_inserted=lambda record: self._emit(CardEvent.INSERTED, record, smartcard),
                on_removed=lambda: self._emit(CardEvent.REMOVED, None, smartcard),
                on_error=lambda exc: self._card_error(exc, smartcard),
            ).start()
        return self

    def problem(self, kind: DeviceKind) -> str:
        """Why ``kind`` could not be opened ("" when it was)."""
        return self.problems.get(kind, "")

    def qr_reader(self) -> QrReader:
        """A QR reader over the configured backend (one per scanning thread)."""
        return open_reader(self._qr_backend)

    def camera_preview(self) -> tuple[int, Picture] | None:  # type: ignore[explicit-any]  # numpy's
        """The QR camera's newest frame, preview-sized, with its number, while it
        captures (a live preview); None when it does not."""
        camera = self.camera
        frame = camera.latest() if camera is not None else None
        if camera is None or frame is None:
            return None
        small = camera.preview()
        return None if small is None else (frame.seq, small)

    def on_card(self, listener: CardListener, *, source: CardSource | None = None) -> None:
        """Hear card events from both card devices, or from ``source`` only (ValueError
        for anything but a card device)."""
        self._listeners.append((listener, None if source is None else CardSource(source)))

    def _card_error(self, exc: DeviceError, source: CardSource = CardSource.IDCARD) -> None:
        log.warning("%s read failed: %s", source, exc.code)
        self._emit(CardEvent.ERROR, exc, source)

    def _emit(
        self, event: CardEvent, payload: CardPayload, source: CardSource = CardSource.IDCARD
    ) -> None:
        for listener, wanted in list(self._listeners):
            if wanted is None or wanted is source:
                listener(event, payload, source)

    def statuses(self) -> dict[str, DeviceStatus]:
        """Every device kind's status now; a device that was never opened is NO_DEVICE."""
        result: dict[str, DeviceStatus] = {}
        for kind in KINDS:
            device = getattr(self, kind)
            if device is None:
                result[kind] = DeviceStatus(DeviceState.NO_DEVICE, detail=self.problem(kind))
                continue
            try:
                result[kind] = device.status()
            except Exception as exc:  # a status query must never take the kiosk down
                result[kind] = DeviceStatus(DeviceState.HARDWARE_ERROR, detail=str(exc))
        return result

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
        if self._supervisor is not None:
            self._supervisor.stop()
        for kind in KINDS:
            device = getattr(self, kind)
            if device is not None:
                with contextlib.suppress(Exception):
                    device.close()
