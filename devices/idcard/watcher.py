"""CardWatcher: polls the reader and reports cards placed and taken away.

A SAM has no interrupt line, so presence is polled (find → select) on a daemon thread.
A new card is read once and reported with its record; taking it away is reported once.
The reader going away (unplugged) counts as the card going away, and the watcher keeps
polling so the reader is reopened, with backoff, when it comes back.

Callbacks run on the watcher's thread: a Kivy screen must hop to its own thread
(``Clock.schedule_once``). A callback that raises is logged and does not stop the watch.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable

from devices.idcard.driver import IdCardReader
from devices.idcard.errors import CardRemoved, InvalidCardData, SamNotAuthorised, UnsupportedCard
from devices.idcard.records import IdCardRecord
from devices.status import DeviceError, DeviceState, DeviceUnavailable

log = logging.getLogger(__name__)


class _Card(enum.Enum):
    ABSENT = "absent"
    REPORTED = "reported"  # read and announced with on_inserted
    REFUSED = "refused"  # present but unreadable; on_error was called once


class CardWatcher:
    """Poll ``reader`` every ``interval`` seconds; see the module docstring."""

    def __init__(
        self,
        reader: IdCardReader,
        *,
        on_inserted: Callable[[IdCardRecord], None],
        on_removed: Callable[[], None],
        on_error: Callable[[DeviceError], None] | None = None,
        on_state: Callable[[DeviceState], None] | None = None,
        interval: float = 0.5,
        with_fingerprint: bool = False,
    ) -> None:
        self.reader = reader
        self.interval = interval
        self.with_fingerprint = with_fingerprint
        self._on_inserted = on_inserted
        self._on_removed = on_removed
        self._on_error = on_error
        self._on_state = on_state
        self._card = _Card.ABSENT
        self._state: DeviceState | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def card_present(self) -> bool:
        return self._card is not _Card.ABSENT

    @property
    def state(self) -> DeviceState | None:
        """The last device state seen (None before the first poll)."""
        return self._state

    def start(self) -> CardWatcher:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="idcard-watch", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:  # keep watching whatever happens
                log.exception("idcard watcher: poll failed")
            self._stop.wait(self.interval)

    def poll_once(self) -> None:
        """One presence check; reads and reports a newly placed card."""
        if not self.reader.ensure_open():
            self._set_state(DeviceState.NO_DEVICE)
            self._gone()
            return
        try:
            with self.reader.lock:
                here = self.reader.locate_card()
                self._set_state(DeviceState.ONLINE)
                if here and self._card is _Card.ABSENT:
                    self._read_new()
        except DeviceUnavailable:
            self._set_state(DeviceState.NO_DEVICE)
            self._gone()
            return
        except SamNotAuthorised as exc:
            self._set_state(DeviceState.HARDWARE_ERROR)
            self._error(exc)
            return
        except DeviceError as exc:  # timeouts, line noise: try again next poll
            self._error(exc)
            return
        if not here:
            self._gone()

    def _read_new(self) -> None:
        try:
            record = self.reader.read_selected(with_fingerprint=self.with_fingerprint)
        except CardRemoved:
            return
        except (UnsupportedCard, InvalidCardData) as exc:
            self._card = _Card.REFUSED
            self._error(exc)
            return
        self._card = _Card.REPORTED
        self._call("on_inserted", self._on_inserted, record)

    def _gone(self) -> None:
        was, self._card = self._card, _Card.ABSENT
        if was is _Card.REPORTED:
            self._call("on_removed", self._on_removed)

    def _set_state(self, state: DeviceState) -> None:
        if state is not self._state:
            self._state = state
            log.info("idcard watcher: reader %s", state)
            if self._on_state is not None:
                self._call("on_state", self._on_state, state)

    def _error(self, exc: DeviceError) -> None:
        log.info("idcard watcher: %s", exc.code)
        if self._on_error is not None:
            self._call("on_error", self._on_error, exc)

    @staticmethod
    def _call(name: str, callback: Callable[..., None], *args: object) -> None:
        try:
            callback(*args)
        except Exception as exc:  # the kiosk's bug must not stop the watcher
            log.error("idcard watcher: %s callback raised %s", name, type(exc).__name__)
