"""ReaderSupervisor: watches a PC/SC reader slot and reports cards inserted and removed.

pyscard's CardMonitor and ReaderMonitor stop for good, silently, when pcscd restarts or a
reader is unplugged (research §3.3: pyscard #82, #128, #13/#74/#153). This supervisor
owns its PC/SC context and checks every call, so it survives both:

* pcscd stops → ``noDevice``; the context is dropped and re-established with backoff
  until pcscd is back, then ``online`` again, and a card still in the reader is read
  and reported anew;
* the reader disappears → ``noDevice`` (a card in it counts as removed); it reappears →
  ``online``;
* a card swapped between two polls is caught by pcsc-lite's per-reader event counter.

The loop and the callbacks are those of :class:`devices.idcard.CardWatcher`, shared in
:mod:`devices.watch`, so the kiosk treats both alike: ``on_inserted(record)``,
``on_removed()``, ``on_error(exc)`` (once per card that could not be read),
``on_state(DeviceState)``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Unpack

from devices.smartcard.driver import SmartCardReader
from devices.smartcard.errors import CardRemoved, NoCard, ReaderNotFound, SmartcardError
from devices.smartcard.pcsc import SlotState
from devices.smartcard.records import CardRecord
from devices.status import DeviceError, DeviceState, DeviceUnavailable
from devices.watch import Callbacks, Card, CardWatch

log = logging.getLogger(__name__)


class ReaderSupervisor(CardWatch[CardRecord]):
    """Watch ``reader`` (blocking at most ``interval`` s per poll); see the module docstring."""

    name, thread_name = "smartcard supervisor", "smartcard-watch"

    def __init__(
        self,
        reader: SmartCardReader,
        *,
        interval: float = 0.25,
        backoff_max: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        **callbacks: Unpack[Callbacks[CardRecord]],
    ) -> None:
        super().__init__(interval=interval, **callbacks)
        self.reader = reader
        self.backoff_max = backoff_max
        self._clock = clock
        self._known: SlotState | None = None
        self._slot = ""
        self._delay = interval
        self._next_try = float("-inf")

    def _pause(self) -> float:
        return 0.02 if self._state is DeviceState.ONLINE else self._delay

    def poll_once(self) -> None:
        """One look at the slot (waiting up to ``interval`` for a change); reads new cards."""
        if self._clock() < self._next_try:
            return
        try:
            with self.reader.lock:
                slot = self.reader.find_reader()
                known = self._known if slot == self._slot else None
                state = self.reader.slot_state(slot, self.interval, known)
        except (DeviceUnavailable, ReaderNotFound) as exc:
            self._lost(exc)
            return
        except SmartcardError as exc:
            self._error(exc)
            return
        self._online(slot)
        swapped = self._known is not None and state.events != self._known.events
        self._known = state
        if not state.present or swapped:
            self._gone()
        if state.present and self._card is Card.ABSENT:
            self._read_new(slot)

    def _read_new(self, slot: str) -> None:
        try:
            record = self.reader.read_present(slot)
        except (CardRemoved, NoCard):
            return  # gone before we could read it: nothing to report
        except (DeviceUnavailable, ReaderNotFound) as exc:
            self._lost(exc)
            return
        except SmartcardError as exc:
            self._refused(exc)
            return
        self._inserted(record)

    def _online(self, slot: str) -> None:
        if slot != self._slot:
            log.info("smartcard supervisor: watching reader %r", slot)
            self._gone()
            self._slot, self._known = slot, None
        self._delay, self._next_try = self.interval, float("-inf")
        self._set_state(DeviceState.ONLINE)

    def _lost(self, exc: SmartcardError | DeviceError) -> None:
        """pcscd or the reader is gone: a card in it counts as removed; retry with backoff."""
        if self._state is not DeviceState.NO_DEVICE:
            log.warning("smartcard supervisor: %s", exc.code)
        self._set_state(DeviceState.NO_DEVICE)
        self._gone()
        self._slot, self._known = "", None
        self._next_try = self._clock() + self._delay
        self._delay = min(self._delay * 2, self.backoff_max)
