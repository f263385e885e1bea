"""The kiosk's devices, opened from the URLs in settings.

A device that cannot be opened is recorded with its problem and the kiosk keeps running:
matters that need it say so, the rest work (a dead printer still allows a lookup).

Both card devices report through the same listeners with the same events:
``("inserted", record)``, ``("removed", None)``, ``("error", exc)``. The ID card reader's
watcher and the PC/SC reader's supervisor run on their own threads. A listener added
with ``source="idcard"`` or ``source="smartcard"`` hears one device only, so that taking
a bank card out of the PC/SC reader cannot end a session opened with an ID card.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from devices.status import DeviceState, DeviceStatus
from kiosk.settings import Settings

log = logging.getLogger(__name__)

# ("inserted", record) | ("removed", None) | ("error", exception)
CardListener = Callable[[str, Any], None]
CARD_DEVICES = ("idcard", "smartcard")
KINDS = ("idcard", "smartcard", "printer", "docscan", "camera")


class Hardware:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.idcard: Any = None
        self.smartcard: Any = None
        self.printer: Any = None
        self.docscan: Any = None
        self.camera: Any = None  # the QR camera; its capture thread runs only while scanning
        self.problems: dict[str, str] = {}
        self._watcher: Any = None
        self._supervisor: Any = None
        self._listeners: list[tuple[CardListener, str | None]] = []

    def open(self) -> Hardware:
        d = self.settings.devices
        self.idcard = self._open("idcard", lambda: _open_idcard(d.idcard))
        self.smartcard = self._open("smartcard", lambda: _open_smartcard(d.smartcard))
        self.printer = self._open("printer", lambda: _open_printer(d.printer, d.printer_profile))
        self.docscan = self._open("docscan", lambda: _open_docscan(d.docscan))
        self.camera = self._open("camera", lambda: _open_camera(d.camera))
        if self.idcard is not None:
            from devices.idcard import CardWatcher

            self._watcher = CardWatcher(
                self.idcard,
                on_inserted=lambda record: self._emit("inserted", record),
                on_removed=lambda: self._emit("removed", None),
                on_error=self._card_error,
            ).start()
        if self.smartcard is not None:
            from devices.smartcard import ReaderSupervisor

            self._supervisor = ReaderSupervisor(
                self.smartcard,
                on_inserted=lambda record: self._emit("inserted", record, "smartcard"),
                on_removed=lambda: self._emit("removed", None, "smartcard"),
                on_error=lambda exc: self._card_error(exc, "smartcard"),
            ).start()
        return self

    def _open(self, kind: str, opener: Callable[[], Any]) -> Any:
        try:
            device = opener()
        except Exception as exc:  # any failure here must not stop the kiosk
            self.problems[kind] = f"{type(exc).__name__}: {exc}"
            log.error("device %s unavailable: %s", kind, self.problems[kind])
            return None
        log.info("device %s opened", kind)
        return device

    def qr_reader(self) -> Any:
        """A QR reader over the configured backend (one per scanning thread)."""
        from devices.qr import open_reader

        return open_reader(self.settings.devices.qr_backend)

    def on_card(self, listener: CardListener, *, source: str | None = None) -> None:
        """Hear card events from both card devices, or from ``source`` only."""
        if source is not None and source not in CARD_DEVICES:
            raise ValueError(f"card events come from {' or '.join(CARD_DEVICES)}, not {source!r}")
        self._listeners.append((listener, source))

    def _card_error(self, exc: Exception, source: str = "idcard") -> None:
        log.warning("%s read failed: %s", source, getattr(exc, "code", type(exc).__name__))
        self._emit("error", exc, source)

    def _emit(self, event: str, record: Any, source: str = "idcard") -> None:
        for listener, wanted in list(self._listeners):
            if wanted is None or wanted == source:
                listener(event, record)

    def statuses(self) -> dict[str, DeviceStatus]:
        result: dict[str, DeviceStatus] = {}
        for kind in KINDS:
            device = getattr(self, kind)
            if device is None:
                result[kind] = DeviceStatus(DeviceState.NO_DEVICE, detail=self.problems[kind])
                continue
            try:
                result[kind] = device.status()
            except Exception as exc:
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


def _open_idcard(url: str) -> Any:
    from devices.idcard import open_reader

    return open_reader(url)


def _open_smartcard(url: str) -> Any:
    from devices.smartcard import open_reader

    return open_reader(url)


def _open_printer(url: str, profile: str) -> Any:
    from devices.printer import open_printer

    return open_printer(url, profile)


def _open_docscan(url: str) -> Any:
    from devices.docscan import open_docscan

    return open_docscan(url)


def _open_camera(url: str) -> Any:
    from devices.camera import open_camera

    return open_camera(url)  # started by the screen that scans, stopped after
