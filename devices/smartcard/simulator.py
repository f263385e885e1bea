"""A virtual card in a real reader: connects to pcscd's vpcd driver and answers it.

``VirtualCard("bank").start()`` and the PC/SC reader ``Virtual PCD 00 00`` holds a
synthetic PBOC debit card for every program on the machine, pyscard included; tests
thus run pyscard → pcscd → vpcd → this card, the same path as a USB reader's. The card
is inserted and removed on command (:meth:`insert`, :meth:`remove`); while inserted it
reconnects by itself when pcscd restarts, as a card left in a reader would reappear.

URL form, for settings and the CLI: ``sim://smartcard?card=ssc&scenario=card&slot=0``
(``card``: a :data:`~devices.smartcard.fixtures.FIXTURES` name; ``scenario``: one of
:data:`SCENARIOS`; ``slot``: vpcd slot 0 or 1; ``delay``: seconds before each answer).
"""

from __future__ import annotations

import collections
import dataclasses as dc
import logging
import os
import select
import socket
import threading
import time
from collections.abc import Callable

from devices.simulation import ServedSimulator, ServingThread
from devices.smartcard.fixtures import DEFAULT_CARD, CardSpec, card_spec
from devices.smartcard.simcard import SimCard
from devices.smartcard.vpcd import (
    ApduMessage,
    Control,
    ControlMessage,
    Message,
    VpcdDecoder,
    encode,
    vpcd_port,
)
from devices.transport import parse_url

log = logging.getLogger(__name__)

READER_PREFIX = "Virtual PCD"
# When a card last left each vpcd address, across instances: a new VirtualCard on the
# same slot must respect the previous one's absence too (see _connect).
_LEFT_AT: dict[tuple[str, int], float] = {}


@dc.dataclass(frozen=True)
class Faults:
    delay: float = 0.0  # seconds before each answer to an APDU
    remove_after: int = 0  # the card leaves (without answering) at this APDU; 0 never


SCENARIOS: dict[str, Faults] = {
    "no_card": Faults(),
    "card": Faults(),
    "slow": Faults(delay=0.05),
    "removed_during_read": Faults(remove_after=4),
}


def reader_name(slot: int) -> str:
    """The name pcscd gives vpcd's slot ``slot`` (one reader.conf entry, two slots)."""
    return f"{READER_PREFIX} 00 {slot:02d}"


class VirtualCard(ServedSimulator):
    """One virtual card on one vpcd slot; see the module docstring."""

    def __init__(
        self,
        card: CardSpec | str = DEFAULT_CARD,
        *,
        scenario: str = "card",
        slot: int = 0,
        host: str = "127.0.0.1",
        port: int | None = None,
        delay: float | None = None,
        retry_interval: float = 0.2,
        min_absence: float = 1.0,
        random_bytes: Callable[[int], bytes] = os.urandom,
    ) -> None:
        if scenario not in SCENARIOS:
            raise ValueError(
                f"unknown smartcard scenario {scenario!r}; known: {', '.join(SCENARIOS)}"
            )
        self.slot = slot
        self.address = (host, port if port is not None else vpcd_port() + slot)
        self.faults = SCENARIOS[scenario]
        if delay is not None:
            self.faults = dc.replace(self.faults, delay=delay)
        self.retry_interval = retry_interval
        self.min_absence = min_absence
        self.commands: collections.deque[bytes] = collections.deque(maxlen=1000)
        self._random = random_bytes
        self._spec = card_spec(card) if isinstance(card, str) else card
        self._chip = SimCard(self._spec, random_bytes=random_bytes)
        self._want = scenario != "no_card"
        # bumped by every remove(): a connection from an older generation is a card that
        # has left, even if insert() was called again before the thread noticed
        self._generation = 0
        self._connected_generation = -1
        self._lock = threading.Lock()
        self._seen = threading.Event()  # pcscd asked for our ATR since the last insert
        self._serving = ServingThread(self._run, "smartcard-sim")
        self._sock: socket.socket | None = None
        self._answered = 0

    @classmethod
    def from_url(cls, url: str) -> VirtualCard:
        u = parse_url(url)
        if u.scheme != "sim" or u.target != "smartcard":
            raise ValueError(f"not a smartcard simulator URL: {url!r}")
        p = u.params
        return cls(
            p.get("card", DEFAULT_CARD),
            scenario=p.get("scenario", "card"),
            slot=int(p.get("slot", "0")),
            port=int(p["port"]) if "port" in p else None,
            delay=float(p["delay"]) if "delay" in p else None,
        )

    @property
    def reader_name(self) -> str:
        return reader_name(self.slot)

    @property
    def spec(self) -> CardSpec:
        return self._spec

    @property
    def inserted(self) -> bool:
        return self._want

    @property
    def connected(self) -> bool:
        return self._sock is not None

    # -- control --------------------------------------------------------------------------

    def insert(self, card: CardSpec | str | None = None) -> None:
        """Put a card in the reader (by default the one configured); a card already in
        the reader is taken out first."""
        with self._lock:
            if self._want:
                self._generation += 1
            if card is not None:
                self._spec = card_spec(card) if isinstance(card, str) else card
                self._chip = SimCard(self._spec, random_bytes=self._random)
            self._want = True
            self._answered = 0
            self._seen.clear()
        self._serving.wake()
        log.info("smartcard sim: card inserted in slot %d", self.slot)

    def remove(self) -> None:
        with self._lock:
            self._want = False
            self._generation += 1
            self._seen.clear()
        self._serving.wake()
        log.info("smartcard sim: card removed from slot %d", self.slot)

    def wait_seen(self, timeout: float) -> bool:
        """True once pcscd has polled this card since it was inserted (it is now known)."""
        return self._seen.wait(timeout)

    # -- life cycle -----------------------------------------------------------------------

    def start(self) -> VirtualCard:
        self._serving.start()
        return self

    def stop(self) -> None:
        """Take the card out and stop; the reader is empty afterwards."""
        self._serving.stop()

    # -- serving --------------------------------------------------------------------------

    def _run(self) -> None:
        decoder = VpcdDecoder()
        try:
            while not self._serving.stopping.is_set():
                if self._want and self._sock is None:
                    decoder = VpcdDecoder()
                    if not self._connect():
                        self._idle(self.retry_interval)
                elif self._sock is not None and (
                    not self._want or self._connected_generation != self._generation
                ):
                    self._disconnect()
                elif self._sock is not None:
                    self._serve_once(self._sock, decoder)
                else:
                    self._idle(1.0)
        except Exception:  # a crash here must not take the test or the kiosk down
            log.exception("smartcard sim: serving thread failed")
        finally:
            self._disconnect()

    def _idle(self, seconds: float) -> None:
        ready, _, _ = select.select([self._serving.wake_fd], [], [], seconds)
        if ready:
            os.read(self._serving.wake_fd, 64)

    def _connect(self) -> bool:
        """Try to reach vpcd; False (try again later) when it is not listening."""
        # pcscd polls vpcd for presence (every 0.4 s): a card back sooner than that would
        # never have been seen leaving. No hand swaps cards that fast either.
        left_at = _LEFT_AT.get(self.address, float("-inf"))
        wait = left_at + self.min_absence - time.monotonic()
        if wait > 0:
            self._idle(wait)
            return True  # look again: the card may have been removed meanwhile
        try:
            sock = socket.create_connection(self.address, timeout=1.0)
        except OSError as exc:
            log.debug("smartcard sim: vpcd at %s:%d not reachable: %s", *self.address, exc)
            return False
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        _quick_ack(sock)
        sock.settimeout(5.0)
        self._chip.reset()
        self._sock = sock
        self._connected_generation = self._generation
        log.info("smartcard sim: connected to vpcd slot %d", self.slot)
        return True

    def _disconnect(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
            _LEFT_AT[self.address] = time.monotonic()

    def _serve_once(self, sock: socket.socket, decoder: VpcdDecoder) -> None:
        ready, _, _ = select.select([sock.fileno(), self._serving.wake_fd], [], [], 1.0)
        if self._serving.wake_fd in ready:
            os.read(self._serving.wake_fd, 64)
        if sock.fileno() not in ready:
            return
        try:
            data = sock.recv(65536)
            _quick_ack(sock)
        except OSError:
            data = b""
        if not data:  # pcscd went away: try again while the card is "in the reader"
            log.info("smartcard sim: vpcd closed the connection")
            self._disconnect()
            return
        for message in decoder.feed(data):
            if not self._handle(sock, message):
                self._disconnect()
                return

    def _handle(self, sock: socket.socket, message: Message) -> bool:
        """Answer one message; False when the card has just left the reader."""
        with self._lock:
            chip, faults = self._chip, self.faults
        if isinstance(message, ControlMessage):
            if message.code == Control.ATR:
                self._seen.set()
                return self._send(sock, chip.atr)
            if message.code in (Control.POWER_ON, Control.RESET, Control.POWER_OFF):
                chip.reset()
            return True
        assert isinstance(message, ApduMessage)
        self.commands.append(message.apdu)
        self._answered += 1
        if faults.remove_after and self._answered >= faults.remove_after:
            with self._lock:
                self._want = False
            log.info("smartcard sim: card pulled out during a command")
            return False
        if faults.delay and self._serving.stopping.wait(faults.delay):
            return False
        return self._send(sock, chip.answer(message.apdu))

    def _send(self, sock: socket.socket, payload: bytes) -> bool:
        try:
            sock.sendall(encode(payload))
        except OSError as exc:
            log.info("smartcard sim: send failed: %s", exc)
            return False
        return True


def _quick_ack(sock: socket.socket) -> None:
    """Acknowledge at once (Linux's TCP_QUICKACK lasts until the next receive).

    vpcd writes a message's 2-byte length and its bytes in two writes; with Nagle on
    its side and delayed ACKs on ours, every command would wait ~40 ms for our ACK.
    """
    quickack = getattr(socket, "TCP_QUICKACK", None)
    if quickack is not None:
        sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
