"""The ID card reader driver: find → select → read over an injected transport.

``open_reader(url)`` builds one from configuration: ``serial:///dev/ttyUSB0?baud=115200``
for a real reader (default 115200 8N1), ``sim://idcard?fixture=elder&scenario=card`` for
a simulated SAM on a pty, driven through the very same serial path.

When the reader disappears (USB unplugged: the port raises EIO or vanishes) the driver
drops the port, reports ``noDevice`` and reopens it with exponential backoff whenever it
is next used, so the kiosk sees ``online`` again as soon as the reader is back.
All methods are thread-safe; ``lock`` may be held across several of them.
"""

from __future__ import annotations

import dataclasses as dc
import enum
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from devices.idcard.cardtext import decode_text
from devices.idcard.errors import CardRemoved, IdCardError, NoCard
from devices.idcard.link import SamLink
from devices.idcard.photo import decode_photo
from devices.idcard.protocol import (
    Command,
    Response,
    SamStatus,
    error_for_status,
    format_sam_id,
    split_card_data,
)
from devices.idcard.records import IdCardRecord
from devices.status import DeviceState, DeviceStatus, DeviceTimeout, DeviceUnavailable, MediaState
from devices.transport import SerialTransport, Transport, open_transport, parse_url

if TYPE_CHECKING:
    from devices.idcard.simulator import SamSimulator
from devices.handle import DeviceHandle
from devices.simulation import Simulators

log = logging.getLogger(__name__)


class Presence(enum.Enum):
    """What find (20 01) and select (20 02) said about the card on the reader."""

    ABSENT = "absent"  # select failed: no card
    FOUND = "found"  # find saw a card in the field: one just placed, or on SAMs that find
    #                 a card again on every look, any card lying there
    HELD = "held"  # find saw none, yet select works: the card read before still lies there


@dc.dataclass(frozen=True)
class Timeouts:
    command: float = 1.0  # reset, status, find, select: a few bytes each way
    read: float = 3.0  # 30 01 / 30 10: the RF read plus up to 2321 bytes at 115200 baud


@dc.dataclass(frozen=True)
class Backoff:
    initial: float = 0.5
    maximum: float = 10.0
    factor: float = 2.0


class IdCardReader(DeviceHandle):
    """A SAM-protocol ID card reader. ``on_close`` runs when it closes (the opener of a
    ``sim://`` reader stops its simulator there)."""

    def __init__(
        self,
        opener: Callable[[], Transport],
        *,
        wlt_library: str | None = None,
        timeouts: Timeouts | None = None,
        backoff: Backoff | None = None,
        retries: int = 1,
        clock: Callable[[], float] = time.monotonic,
        on_close: Callable[[], object] | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self._on_close = on_close
        self.wlt_library = wlt_library
        self.timeouts = timeouts or Timeouts()
        self._opener = opener
        self._backoff = backoff or Backoff()
        self._retries = retries
        self._clock = clock
        self._link: SamLink | None = None
        self._next_attempt = float("-inf")
        self._delay = self._backoff.initial
        self._problem = "not opened yet"
        self._media = MediaState.UNKNOWN

    # -- connection -----------------------------------------------------------------------

    def open(self) -> None:
        """Open the port now; DeviceUnavailable if it cannot be opened."""
        with self.lock:
            if self._link is None:
                self._link = SamLink(self._opener(), retries=self._retries)
                self._delay = self._backoff.initial
                log.info("idcard: reader port open")

    def ensure_open(self) -> bool:
        """True if the port is open, trying to reopen it when the backoff allows."""
        with self.lock:
            if self._link is not None:
                return True
            now = self._clock()
            if now < self._next_attempt:
                return False
            try:
                self.open()
            except (DeviceUnavailable, OSError) as exc:
                self._problem = str(exc)
                self._retry_later(now)
                return False
            return True

    @property
    def connected(self) -> bool:
        return self._link is not None

    def _release(self) -> None:
        """Close the port."""
        with self.lock:
            if self._link is not None:
                self._link.close()
                self._link = None
            self._problem = "closed"

    # -- status ---------------------------------------------------------------------------

    def status(self) -> DeviceStatus:
        """Device state from a SAM status check; never raises."""
        with self.lock:
            if not self.ensure_open():
                return self._status(DeviceState.NO_DEVICE, self._problem)
            try:
                self._expect(Command.SAM_STATUS)
            except DeviceUnavailable as exc:
                return self._status(DeviceState.NO_DEVICE, str(exc))
            except DeviceTimeout as exc:
                return self._status(DeviceState.OFFLINE, str(exc))
            except IdCardError as exc:
                return self._status(DeviceState.HARDWARE_ERROR, str(exc), exc.code)
            return self._status(DeviceState.ONLINE, "")

    def _status(self, state: DeviceState, detail: str, code: str = "") -> DeviceStatus:
        media = self._media if state is DeviceState.ONLINE else MediaState.UNKNOWN
        vendor = {"code": code} if code else {}
        return DeviceStatus(state, media=media, detail=detail, vendor=vendor)

    # -- commands -------------------------------------------------------------------------

    def reset_sam(self) -> None:
        self._expect(Command.RESET)

    def sam_id(self) -> str:
        """The SAM's management id (``05.01-…``), which the issuer needs to authorise it."""
        return format_sam_id(self._expect(Command.SAM_ID).data)

    def find_card(self) -> bool:
        """Find card (20 01): True on SW3=0x9F, False on 0x80 (no card)."""
        response = self._transact(Command.FIND_CARD)
        if response.sw3 == SamStatus.FIND_SUCCESS:
            return True
        if response.sw3 == SamStatus.FIND_FAILED:
            self._media = MediaState.NOT_PRESENT
            return False
        raise error_for_status(response.sw3)

    def select_card(self) -> None:
        self._expect(Command.SELECT_CARD)

    def presence(self) -> Presence:
        """Find and select: is a card selected and ready to read, and did find see it?

        Select is tried even when find says no card: some SAMs do not find a card again
        once it has been read, while it still lies on the reader (:attr:`Presence.HELD`).
        """
        with self.lock:
            found = self.find_card()
            try:
                self.select_card()
            except (CardRemoved, NoCard):
                self._media = MediaState.NOT_PRESENT
                return Presence.ABSENT
            if not found:
                log.debug("idcard: card selected although find said none")
            self._media = MediaState.PRESENT
            return Presence.FOUND if found else Presence.HELD

    def locate_card(self) -> bool:
        """Find and select; True when a card is selected and ready to read."""
        return self.presence() is not Presence.ABSENT

    def read_selected(self, *, with_fingerprint: bool = False) -> IdCardRecord:
        """Read (30 01, or 30 10 with fingerprints) the selected card and decode it."""
        command = Command.READ_WITH_FINGERPRINT if with_fingerprint else Command.READ_BASE
        try:
            response = self._expect(command, timeout=self.timeouts.read)
        except CardRemoved:
            self._media = MediaState.NOT_PRESENT
            raise
        data = split_card_data(response.data, with_fingerprint=with_fingerprint)
        record = decode_text(data.text, data.photo, data.fingerprint)
        log.info("idcard: read a %s card", record.card_type)
        return record

    def read_card(self, *, with_fingerprint: bool = False) -> IdCardRecord:
        """The whole find → select → read cycle; NoCard if nothing is on the reader."""
        with self.lock:
            if not self.locate_card():
                raise NoCard("no card on the reader", status=SamStatus.FIND_FAILED)
            return self.read_selected(with_fingerprint=with_fingerprint)

    def decode_photo(self, record: IdCardRecord) -> bytes | None:
        """The card photo as BMP bytes through the configured WLT library, or None."""
        return decode_photo(record.photo_wlt, self.wlt_library)

    # -- exchange -------------------------------------------------------------------------

    def _transact(self, command: Command, timeout: float | None = None) -> Response:
        with self.lock:
            if not self.ensure_open():
                raise DeviceUnavailable(f"ID card reader unavailable: {self._problem}")
            assert self._link is not None
            try:
                return self._link.transact(command, timeout or self.timeouts.command)
            except DeviceUnavailable as exc:
                self._lost(exc)
                raise

    def _expect(self, command: Command, *, timeout: float | None = None) -> Response:
        response = self._transact(command, timeout)
        if response.sw3 != SamStatus.SUCCESS:
            raise error_for_status(response.sw3)
        return response

    def _lost(self, exc: Exception) -> None:
        log.warning("idcard: reader lost: %s", exc)
        if self._link is not None:
            self._link.close()
            self._link = None
        self._problem = str(exc)
        self._media = MediaState.UNKNOWN
        self._delay = self._backoff.initial
        self._retry_later(self._clock())

    def _retry_later(self, now: float) -> None:
        """Schedule the next reopen attempt and grow the delay for the one after."""
        self._next_attempt = now + self._delay
        log.info("idcard: reader not available, next try in %.1f s", self._delay)
        self._delay = min(self._delay * self._backoff.factor, self._backoff.maximum)


def open_reader(
    url: str,
    *,
    wlt_library: str | None = None,
    timeouts: Timeouts | None = None,
    backoff: Backoff | None = None,
    clock: Callable[[], float] = time.monotonic,
    simulators: Simulators | None = None,
) -> IdCardReader:
    """A reader for a configured URL; a missing device is reported by status(), not raised.

    ``serial://…`` (or ``tcp://`` for serial-over-IP converters) opens the real port;
    ``sim://idcard?fixture=…&scenario=…`` starts a :class:`SamSimulator` on a pty and
    drives it through the serial transport (recorded in ``simulators``; the reader stops
    it when it closes). ValueError for any other URL.
    """
    u = parse_url(url)
    sim: SamSimulator | None = None
    if u.scheme == "sim":
        if u.target != "idcard":
            raise ValueError(f"not an ID card simulator URL: {url!r}")
        from devices.idcard.simulator import SamSimulator

        sim = SamSimulator.from_url(url).start()
        port, baud = sim.port_path, sim.baud
        if simulators is not None:
            simulators.idcard = sim

        def opener() -> Transport:
            return SerialTransport(port, baud)

    elif u.scheme in ("serial", "tcp"):

        def opener() -> Transport:
            return open_transport(url)

    else:
        raise ValueError(f"unsupported ID card reader URL {url!r} (use serial://, tcp://, sim://)")
    reader = IdCardReader(
        opener,
        wlt_library=wlt_library,
        timeouts=timeouts,
        backoff=backoff,
        clock=clock,
        on_close=sim.stop if sim is not None else None,
    )
    reader.ensure_open()
    return reader
