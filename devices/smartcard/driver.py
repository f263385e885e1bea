"""The PC/SC card reader driver: find the reader, wait for a card, read it.

``open_reader(url)`` builds one from configuration:

* ``pcsc://ACR`` — the first reader whose name contains ``ACR`` (case-insensitive,
  %-escapes allowed: ``pcsc://Virtual%20PCD%2000%2001``); ``pcsc://`` takes any reader;
* ``sim://smartcard?card=ssc&scenario=card&slot=0`` — starts a :class:`VirtualCard`
  on vpcd's slot and reads it through the real pcscd like any other reader.

Either may add ``app=ssc|bank|auto`` (which application to read on a card that has
both). All methods are thread-safe; ``lock`` may be held across several of them. A
missing pcscd or reader is reported by :meth:`status`, never raised at open time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from devices.handle import DeviceHandle
from devices.simulation import Simulators
from devices.smartcard.cardread import App, read_any
from devices.smartcard.channel import CardChannel
from devices.smartcard.emv import Terminal
from devices.smartcard.errors import (
    CardRemoved,
    CardStatusError,
    CardUnresponsive,
    InvalidCardData,
    NoCard,
    ReaderNotFound,
    SmartcardError,
    TlvError,
    UnsupportedCard,
)
from devices.smartcard.pcsc import CardConnection, Pcsc, SlotState
from devices.smartcard.records import CardRecord
from devices.smartcard.ssc import Unlock
from devices.status import DeviceState, DeviceStatus, MediaState
from devices.transport import parse_url

log = logging.getLogger(__name__)

POLL_SLICE = 0.25  # seconds per wait while read_card() waits for a card
REMOVAL_GRACE = 1.0  # how long a failed read waits to learn whether the card was pulled
RETRY_AFTER_REMOVAL = 2.0  # how long read_card() waits for a card back after a removal


class SmartCardReader(DeviceHandle):
    """One PC/SC reader slot chosen by name. ``on_close`` runs when it closes (the opener
    of a ``sim://`` reader stops its virtual card there)."""

    def __init__(
        self,
        match: str = "",
        *,
        app: App = App.AUTO,
        pcsc: Pcsc | None = None,
        on_close: Callable[[], object] | None = None,
        terminal: Terminal | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        today: Callable[[], dt.date] = dt.date.today,
        unpredictable: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self.match = match
        self.app = app
        self._on_close = on_close
        self.lock = threading.RLock()
        self.pcsc = pcsc or Pcsc()
        self.exchanges = 0  # APDUs sent by the last read
        self.last_reader = ""  # the reader's full name at the last read
        self._terminal = terminal
        self._clock = clock
        self._sleep = sleep
        self._today = today
        self._unpredictable = unpredictable

    # -- readers and cards ----------------------------------------------------------------

    def find_reader(self) -> str:
        """The first attached reader whose name contains ``match``."""
        with self.lock:
            names = self.pcsc.readers()
        wanted = self.match.casefold()
        for name in names:
            if wanted in name.casefold():
                return name
        raise ReaderNotFound(f"no PC/SC reader matching {self.match!r} ({len(names)} attached)")

    def slot_state(
        self, reader: str, timeout: float = 0.0, known: SlotState | None = None
    ) -> SlotState:
        with self.lock:
            return self.pcsc.slot_state(reader, timeout, known)

    def read_present(
        self, reader: str, *, app: App | None = None, unlock: Unlock | None = None
    ) -> CardRecord:
        """Read the card now in ``reader``; CardRemoved if it leaves during the read."""
        with self.lock:
            self.last_reader = reader
            before = self.pcsc.slot_state(reader, 0.0, None)
            if not before.present:
                raise NoCard(f"no card in {reader!r}")
            if before.mute:
                raise CardUnresponsive("the card gives no answer to reset")
            try:
                return self._read(reader, app or self.app, unlock)
            except (CardStatusError, UnsupportedCard, InvalidCardData, TlvError):
                raise  # the card answered: it is there
            except SmartcardError as exc:
                if self._left(reader, before):
                    raise CardRemoved("the card left the reader during the read") from exc
                raise

    def _read(self, reader: str, app: App, unlock: Unlock | None) -> CardRecord:
        connection = CardConnection(self.pcsc, reader)
        channel = CardChannel(connection.transmit)
        if unlock is not None:
            connection.reset_on_close()
        try:
            return read_any(
                channel,
                app=app,
                unlock=unlock,
                terminal=self._terminal,
                today=self._today,
                unpredictable=self._unpredictable,
            )
        finally:
            self.exchanges = channel.exchanges
            try:
                connection.close()
            except Exception as exc:  # the card is already gone; nothing to release
                log.debug("smartcard: disconnect failed: %s", exc)

    def _left(self, reader: str, before: SlotState) -> bool:
        """Did the card leave since ``before``? pcscd notices within its polling period."""
        try:
            after = self.pcsc.slot_state(reader, REMOVAL_GRACE, before)
        except SmartcardError:
            return True
        return not after.present or after.events != before.events

    def read_card(
        self, timeout: float, *, app: App | None = None, unlock: Unlock | None = None
    ) -> CardRecord:
        """Wait up to ``timeout`` s for the service, the reader and a card, then read it.

        When time runs out the last obstacle is raised: PcscUnavailable (pcscd not
        running), ReaderNotFound, or NoCard.
        """
        deadline = self._clock() + timeout
        known: SlotState | None = None
        removed: CardRemoved | None = None
        while True:
            try:
                reader = self.find_reader()
                known = self.slot_state(reader, self._slice(deadline), known)
                if known.present:
                    return self.read_present(reader, app=app, unlock=unlock)
                obstacle: SmartcardError = NoCard(f"no card in {reader!r} within {timeout:g} s")
            except CardRemoved as exc:
                if removed is not None:
                    raise
                # Pulled out mid-read, or pcscd still showed the card that was there
                # before: give a card that comes (back) at once one more chance.
                removed, known = exc, None
                deadline = min(deadline, self._clock() + RETRY_AFTER_REMOVAL)
                continue
            except SmartcardError as exc:
                if exc.code not in _WAIT_FOR:
                    raise
                obstacle, known = exc, None
                self._sleep(self._slice(deadline))
            if self._clock() >= deadline:
                raise removed or obstacle

    def _slice(self, deadline: float) -> float:
        return max(0.0, min(POLL_SLICE, deadline - self._clock()))

    # -- status and life cycle ------------------------------------------------------------

    def status(self) -> DeviceStatus:
        """Device state from pcscd and the reader list; never raises."""
        try:
            reader = self.find_reader()
            state = self.slot_state(reader)
        except ReaderNotFound as exc:
            return DeviceStatus(DeviceState.NO_DEVICE, detail=str(exc))
        except SmartcardError as exc:
            return DeviceStatus(DeviceState.NO_DEVICE, detail=str(exc), vendor={"code": exc.code})
        media = MediaState.PRESENT if state.present else MediaState.NOT_PRESENT
        return DeviceStatus(DeviceState.ONLINE, media=media, vendor={"reader": reader})

    def _release(self) -> None:
        """Release the PC/SC context."""
        with self.lock:
            self.pcsc.release()


# Obstacles worth waiting on in read_card(): the service, the reader or the card may come.
_WAIT_FOR = ("pcscUnavailable", "readerMissing", "noSmartcard")


def open_reader(
    url: str,
    *,
    clock: Callable[[], float] = time.monotonic,
    simulators: Simulators | None = None,
) -> SmartCardReader:
    """A reader for a configured URL (see the module docstring); ValueError if bad. A
    ``sim://`` URL starts a virtual card, recorded in ``simulators``."""
    u = parse_url(url)
    try:
        app = App(u.params.get("app", "auto"))
    except ValueError as exc:
        raise ValueError(f"app must be auto, ssc or bank in {url!r}") from exc
    if u.scheme == "sim":
        from devices.smartcard.simulator import VirtualCard  # only for sim:// URLs

        sim = VirtualCard.from_url(url).start()
        if simulators is not None:
            simulators.smartcard = sim
        return SmartCardReader(sim.reader_name, app=app, on_close=sim.stop, clock=clock)
    if u.scheme == "pcsc":
        parts = urlsplit(url)
        return SmartCardReader(unquote(parts.netloc + parts.path), app=app, clock=clock)
    raise ValueError(f"unsupported smartcard reader URL {url!r} (use pcsc://NAME or sim://)")
