"""The card watch loop both card readers share: the ID-card reader's
:class:`~devices.idcard.watcher.CardWatcher` and the PC/SC reader's
:class:`~devices.smartcard.supervisor.ReaderSupervisor`.

A daemon thread polls the reader; a card newly there is read once and reported with its
record (``on_inserted``), or, if it cannot be read, reported once as an error; a card
taken away, or a reader gone with the card in it, is reported once (``on_removed``); the
reader's state changes are reported as they happen (``on_state``). Callbacks run on the
watch thread (a Kivy screen must hop to its own thread); one that raises is logged and
does not stop the watch. Subclasses say how to poll (:meth:`poll_once`) and how long to
pause between polls (:meth:`_pause`).

Presence alone cannot see one card taken away and another put down between two polls
(one citizen takes theirs, the next lays theirs down within a second): the reader says
"a card" both times. So the watch remembers which card it reported, as a keyed digest of
what identifies it (:meth:`CardWatch.card_identity`; the key is random per watch and the
digest is never logged), and a subclass that reads the card again hands the record to
:meth:`CardWatch._seen_again`: the same card stays quiet, another card is reported as the
first removed and the second inserted.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import os
import threading
from collections.abc import Callable
from typing import Generic, NotRequired, Self, TypedDict, TypeVar, Unpack

from devices.status import DeviceError, DeviceState

log = logging.getLogger(__name__)


R = TypeVar("R")


class Callbacks(TypedDict, Generic[R]):
    """What a watch reports, as its keyword arguments (see the module docstring)."""

    on_inserted: Callable[[R], None]
    on_removed: Callable[[], None]
    on_error: NotRequired[Callable[[DeviceError], None] | None]
    on_state: NotRequired[Callable[[DeviceState], None] | None]


class Card(enum.Enum):
    ABSENT = "absent"
    REPORTED = "reported"  # read and announced with on_inserted
    REFUSED = "refused"  # present but unreadable; on_error was called once


class CardWatch(Generic[R]):
    """See the module docstring. ``name`` prefixes the log lines and names the thread;
    ``R`` is the type of the records the reader reads."""

    name = "card watch"
    thread_name = "card-watch"

    def __init__(self, *, interval: float, **callbacks: Unpack[Callbacks[R]]) -> None:
        self.interval = interval
        self._on_inserted = callbacks["on_inserted"]
        self._on_removed = callbacks["on_removed"]
        self._on_error = callbacks.get("on_error")
        self._on_state = callbacks.get("on_state")
        self._card = Card.ABSENT
        self._held: bytes | None = None  # digest of the card reported (Card.REPORTED)
        self._key = os.urandom(16)
        self._state: DeviceState | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def card_present(self) -> bool:
        return self._card is not Card.ABSENT

    @property
    def state(self) -> DeviceState | None:
        """The last device state seen (None before the first poll)."""
        return self._state

    def start(self) -> Self:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def poll_once(self) -> None:
        raise NotImplementedError

    def _pause(self) -> float:
        return self.interval

    def card_identity(self, record: R) -> bytes:
        """What tells this card from any other (a subclass knows its records); the base
        knows none, so every card looks alike to it."""
        return b""

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:  # keep watching whatever happens
                log.exception("%s: poll failed", self.name)
            self._stop.wait(self._pause())

    # ---- what a poll found ----

    def _inserted(self, record: R) -> None:
        self._card = Card.REPORTED
        self._held = self._digest(record)
        self._call("on_inserted", self._on_inserted, record)

    def _refused(self, exc: DeviceError) -> None:
        self._card = Card.REFUSED
        self._error(exc)

    def _gone(self) -> None:
        was, self._card, self._held = self._card, Card.ABSENT, None
        if was is Card.REPORTED:
            self._call("on_removed", self._on_removed)

    def _seen_again(self, record: R) -> None:
        """A card read while one is held: quiet if it is the card reported; otherwise the
        first was taken away and this one put down within one poll."""
        if self._card is Card.REPORTED and self._digest(record) == self._held:
            return
        log.info("%s: another card is on the reader", self.name)
        self._gone()
        self._inserted(record)

    def _refused_again(self, exc: DeviceError) -> None:
        """A card that cannot be read, while one is held: told once, as :meth:`_refused`;
        one that was reported has been swapped for it."""
        if self._card is Card.REFUSED:
            return
        self._gone()
        self._refused(exc)

    def _digest(self, record: R) -> bytes:
        return hashlib.blake2b(self.card_identity(record), key=self._key, digest_size=16).digest()

    def _set_state(self, state: DeviceState) -> None:
        if state is not self._state:
            self._state = state
            log.info("%s: reader %s", self.name, state)
            if self._on_state is not None:
                self._call("on_state", self._on_state, state)

    def _error(self, exc: DeviceError) -> None:
        log.info("%s: %s", self.name, exc.code)
        if self._on_error is not None:
            self._call("on_error", self._on_error, exc)

    def _call(self, what: str, callback: Callable[..., None], *args: object) -> None:
        try:
            callback(*args)
        except Exception as exc:  # the kiosk's bug must not stop the watch
            log.error("%s: %s callback raised %s", self.name, what, type(exc).__name__)
