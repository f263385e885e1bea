"""CardWatcher: polls the reader and reports cards placed and taken away.

A SAM has no interrupt line, so presence is polled (find → select) on a daemon thread.
A new card is read once and reported with its record; taking it away is reported once.
The reader going away (unplugged) counts as the card going away, and the watcher keeps
polling so the reader is reopened, with backoff, when it comes back.

A card swapped within one poll is still a card on the reader, and find and select carry
no serial number we can rely on to tell two cards apart. Whenever find sees a card in
the field while one is held, the watcher reads it again and compares its identity (ID
number, name, validity and chip photo): another card is reported as the first removed
and the second inserted. SAMs that find a card only once, when it is put down, make
that one read per placement; SAMs that find a lying card again pay one read per poll.

The loop, the callbacks and their rules are the shared ones of :mod:`devices.watch`.
"""

from __future__ import annotations

from typing import Unpack

from devices.idcard.driver import IdCardReader, Presence
from devices.idcard.errors import CardRemoved, InvalidCardData, SamNotAuthorised, UnsupportedCard
from devices.idcard.records import IdCardRecord
from devices.status import DeviceError, DeviceState, DeviceUnavailable
from devices.watch import Callbacks, Card, CardWatch


class CardWatcher(CardWatch[IdCardRecord]):
    """Poll ``reader`` every ``interval`` seconds; see the module docstring."""

    name, thread_name = "idcard watcher", "idcard-watch"

    def __init__(
        self,
        reader: IdCardReader,
        *,
        interval: float = 0.5,
        with_fingerprint: bool = False,
        **callbacks: Unpack[Callbacks[IdCardRecord]],
    ) -> None:
        super().__init__(interval=interval, **callbacks)
        self.reader = reader
        self.with_fingerprint = with_fingerprint

    def poll_once(self) -> None:
        """One presence check; reads and reports a newly placed card."""
        if not self.reader.ensure_open():
            self._set_state(DeviceState.NO_DEVICE)
            self._gone()
            return
        try:
            with self.reader.lock:
                here = self.reader.presence()
                self._set_state(DeviceState.ONLINE)
                if here is not Presence.ABSENT and self._card is Card.ABSENT:
                    self._read_new()
                elif here is Presence.FOUND:
                    self._read_again()
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
        if here is Presence.ABSENT:
            self._gone()

    def _read_new(self) -> None:
        try:
            record = self.reader.read_selected(with_fingerprint=self.with_fingerprint)
        except CardRemoved:
            return
        except (UnsupportedCard, InvalidCardData) as exc:
            self._refused(exc)
            return
        self._inserted(record)

    def _read_again(self) -> None:
        """Find saw a card while one is held: the same card, or another one put down
        within one poll; see the module docstring."""
        try:
            record = self.reader.read_selected(with_fingerprint=self.with_fingerprint)
        except CardRemoved:
            self._gone()
            return
        except (UnsupportedCard, InvalidCardData) as exc:
            self._refused_again(exc)
            return
        self._seen_again(record)

    def card_identity(self, record: IdCardRecord) -> bytes:
        until = record.valid_until.isoformat() if record.valid_until else "long-term"
        fields = (
            str(record.card_type),
            record.id_number,
            record.name,
            record.valid_from.isoformat(),
            until,
        )
        return "|".join(fields).encode() + b"|" + record.photo_wlt
