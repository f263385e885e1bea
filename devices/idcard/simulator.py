"""A simulated SAM module on a pty pair, speaking the real frame protocol.

The driver opens ``simulator.port_path`` exactly as it opens ``/dev/ttyUSB0``, so tests
and the demo exercise the codec and the serial path end to end. Scenarios (``sim://idcard
?fixture=elder&scenario=garbage``) add the faults a real reader shows: slow replies,
line noise between frames, corrupted replies, truncated replies, a card pulled away
between select and read, an unauthorised SAM. Cards are placed and taken away at run
time with :meth:`SamSimulator.insert` and :meth:`SamSimulator.remove`.
"""

from __future__ import annotations

import collections
import dataclasses as dc
import logging
import os
import random
import select
import threading
import time
import tty

from devices.idcard.cardtext import encode_text
from devices.idcard.errors import BadLength, ChecksumMismatch, FrameError, MalformedFrame
from devices.idcard.fixtures import DEFAULT_FIXTURE, fixture
from devices.idcard.protocol import (
    PHOTO_SIZE,
    CardData,
    Command,
    Frame,
    FrameDecoder,
    Request,
    SamStatus,
    encode_card_data,
    encode_response,
    parse_request,
)
from devices.idcard.records import IdCardRecord
from devices.simulation import ServedSimulator, ServingThread
from devices.transport import parse_url

log = logging.getLogger(__name__)

Card = IdCardRecord | bytes  # a record, or a raw text block
DEFAULT_SAM_ID = bytes.fromhex("0500010099e35301d9a4f4003932fd52")
_PACE_CHUNK = 32  # bytes written per pacing step
_BITS_PER_BYTE = 10  # 8N1: start + 8 data + stop


@dc.dataclass(frozen=True)
class Faults:
    delay: float = 0.0  # seconds before each reply
    garbage: bool = False  # random bytes and preamble fragments around replies
    corrupt_every: int = 0  # corrupt reply 1, 1+n, 1+2n…; 0 never
    truncate: bool = False  # send only the first half of each reply
    remove_on_read: bool = False  # the card leaves the field when read starts
    not_authorised: bool = False  # SW3=0x66 to everything but SAM id


SCENARIOS: dict[str, Faults] = {
    "no_card": Faults(),
    "card": Faults(),
    "slow": Faults(delay=0.25),
    "garbage": Faults(garbage=True),
    "checksum_errors": Faults(corrupt_every=2),  # every first attempt; a resend succeeds
    "broken_checksums": Faults(corrupt_every=1),  # every reply: the driver must give up
    "truncated": Faults(truncate=True),
    "removed_during_read": Faults(remove_on_read=True),
    "sam_not_authorised": Faults(not_authorised=True),
}


class SamSimulator(ServedSimulator):
    """The SAM side of a reader, serving ``port_path`` from a daemon thread."""

    def __init__(
        self,
        card: Card | str | None = None,
        *,
        scenario: str | None = None,
        baud: int = 115200,
        pace: bool = False,
        delay: float | None = None,
        seed: int = 0,
        sam_id: bytes = DEFAULT_SAM_ID,
    ) -> None:
        self.baud = baud
        self.pace = pace
        self.port_path = ""
        self.requests: collections.deque[Request] = collections.deque(maxlen=1000)
        self._default = _resolve(card if card is not None else DEFAULT_FIXTURE)
        self._sam_id = sam_id
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._serving = ServingThread(self._run, "idcard-sim")
        self._pty: tuple[int, ...] = ()  # master, slave
        self._replies = 0
        name = scenario or ("card" if card is not None else "no_card")
        self._card: Card | None = None if name == "no_card" else self._default
        self._faults = Faults()
        self.scenario = name
        if delay is not None:
            self._faults = dc.replace(self._faults, delay=delay)

    @classmethod
    def from_url(cls, url: str) -> SamSimulator:
        """``sim://idcard?fixture=elder&scenario=card&baud=115200&pace=1&delay=0.2&seed=0``."""
        p = parse_url(url).params
        return cls(
            p.get("fixture"),
            scenario=p.get("scenario"),
            baud=int(p.get("baud", "115200")),
            pace=p.get("pace", "0").lower() in ("1", "true", "yes", "on"),
            delay=float(p["delay"]) if "delay" in p else None,
            seed=int(p.get("seed", "0")),
        )

    # -- run-time control -----------------------------------------------------------------

    @property
    def scenario(self) -> str:
        return self._scenario

    @scenario.setter
    def scenario(self, name: str) -> None:
        if name not in SCENARIOS:
            raise ValueError(f"unknown ID card scenario {name!r}; known: {', '.join(SCENARIOS)}")
        with self._lock:
            self._scenario = name
            self._faults = SCENARIOS[name]
            self._replies = 0
            if name == "no_card":
                self._card = None
            elif name == "card" and self._card is None:
                self._card = self._default

    @property
    def card(self) -> Card | None:
        return self._card

    def insert(self, card: Card | str | None = None) -> None:
        """Place a card on the reader: a record, a fixture name, a raw 256-byte text block
        (to simulate cards the decoder must refuse), or by default the configured fixture.
        """
        placed = self._default if card is None else _resolve(card)
        with self._lock:
            self._card = placed
        kind = placed.card_type if isinstance(placed, IdCardRecord) else "raw"
        log.info("idcard sim: %s card placed", kind)

    def remove(self) -> None:
        with self._lock:
            self._card = None
        log.info("idcard sim: card taken away")

    # -- life cycle -----------------------------------------------------------------------

    def start(self) -> SamSimulator:
        if self._serving.running:
            return self
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        self._pty = (master, slave)
        self.port_path = os.ttyname(slave)
        self._serving.start()
        log.info("idcard sim: serving %s", self.port_path)
        return self

    def stop(self) -> None:
        """Stop serving and close the pty: to the driver this is a reader unplugged."""
        if not self._serving.running:
            return
        self._serving.stop()
        for fd in self._pty:
            os.close(fd)
        self._pty = ()

    # -- serving --------------------------------------------------------------------------

    def _run(self) -> None:
        master, wake = self._pty[0], self._serving.wake_fd
        decoder = FrameDecoder()
        try:
            while not self._serving.stopping.is_set():
                ready, _, _ = select.select([master, wake], [], [], 1.0)
                if wake in ready:
                    return
                if master in ready:
                    for item in decoder.feed(self._read(master)):
                        self._answer(item)
        except Exception:  # a crash here must not take the test or the kiosk down
            log.exception("idcard sim: serving thread failed")

    @staticmethod
    def _read(fd: int) -> bytes:
        try:
            return os.read(fd, 4096)
        except (BlockingIOError, InterruptedError):
            return b""
        except OSError:  # EIO while no one has the slave open
            time.sleep(0.01)
            return b""

    def _answer(self, item: Frame | FrameError) -> None:
        if isinstance(item, ChecksumMismatch):
            self._deliver(encode_response(SamStatus.CHECKSUM_ERROR))
        elif isinstance(item, BadLength):
            self._deliver(encode_response(SamStatus.LENGTH_ERROR))
        elif isinstance(item, Frame):
            try:
                request = parse_request(item)
            except MalformedFrame:
                self._deliver(encode_response(SamStatus.LENGTH_ERROR))
                return
            self.requests.append(request)
            self._deliver(self._respond(request))
        # a truncated request gets no answer, as from a real SAM

    def _respond(self, request: Request) -> bytes:
        """The clean reply frame to ``request`` given the card and the scenario."""
        command = next((c for c in Command if c.value == (request.cmd, request.para)), None)
        with self._lock:
            card, faults = self._card, self._faults
            if command is Command.SAM_ID:
                return encode_response(SamStatus.SUCCESS, self._sam_id)
            if faults.not_authorised:
                return encode_response(SamStatus.SAM_NOT_AUTHORISED)
            if command in (Command.RESET, Command.SAM_STATUS):
                return encode_response(SamStatus.SUCCESS)
            if command is Command.FIND_CARD:
                if card is None:
                    return encode_response(SamStatus.FIND_FAILED)
                return encode_response(SamStatus.FIND_SUCCESS, bytes(4))
            if command is Command.SELECT_CARD:
                if card is None:
                    return encode_response(SamStatus.SELECT_FAILED)
                return encode_response(SamStatus.SUCCESS, bytes(8))
            if command in (Command.READ_BASE, Command.READ_WITH_FINGERPRINT):
                if card is None or faults.remove_on_read:
                    self._card = None
                    return encode_response(SamStatus.READ_FAILED)
                fingerprints = command is Command.READ_WITH_FINGERPRINT
                return encode_response(SamStatus.SUCCESS, _card_data(card, fingerprints))
        return encode_response(SamStatus.COMMAND_ERROR)

    def _deliver(self, frame: bytes) -> None:
        with self._lock:
            faults = self._faults
            self._replies += 1
            number = self._replies
        if faults.delay and self._serving.stopping.wait(faults.delay):
            return
        if faults.corrupt_every and (number - 1) % faults.corrupt_every == 0:
            frame = frame[:-2] + bytes([frame[-2] ^ 0x5A]) + frame[-1:]
        if faults.truncate:
            frame = frame[: len(frame) // 2]
        if faults.garbage:
            frame = self._garbage() + frame + (self._garbage() if self._rng.random() < 0.5 else b"")
        self._write(frame)

    def _garbage(self) -> bytes:
        junk = self._rng.randbytes(self._rng.randint(1, 24))
        return junk + self._rng.choice([b"\xaa", b"\xaa\xaa", b"\xaa\xaa\xaa\x96", b"\x69\x00"])

    def _write(self, data: bytes) -> None:
        """Write all of ``data``, paced to the baud rate when ``pace`` is on."""
        start, sent = time.monotonic(), 0
        step = _PACE_CHUNK if self.pace else len(data)
        for i in range(0, len(data), step):
            if not self._write_all(data[i : i + step]):
                return
            sent += len(data[i : i + step])
            if self.pace:
                wait = start + sent * _BITS_PER_BYTE / self.baud - time.monotonic()
                if wait > 0 and self._serving.stopping.wait(wait):
                    return

    def _write_all(self, data: bytes) -> bool:
        master = self._pty[0]
        while data and not self._serving.stopping.is_set():
            try:
                data = data[os.write(master, data) :]
            except BlockingIOError:
                select.select([], [master], [], 0.1)
            except OSError as exc:
                log.info("idcard sim: write failed: %s", exc)
                return False
        return not data


def _resolve(card: Card | str) -> Card:
    return fixture(card) if isinstance(card, str) else card


def _card_data(card: Card, fingerprints: bool) -> bytes:
    if isinstance(card, bytes):
        text, photo, fp = card, b"", b""
    else:
        text, photo, fp = encode_text(card), card.photo_wlt, card.fingerprint or b""
    photo = photo[:PHOTO_SIZE].ljust(PHOTO_SIZE, b"\x00")
    return encode_card_data(CardData(text, photo, fp if fingerprints else None))
