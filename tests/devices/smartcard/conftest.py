"""Shared helpers for the PC/SC card tests."""

from __future__ import annotations

import datetime as dt

import pytest

from devices.smartcard.channel import CardChannel
from devices.smartcard.fixtures import FIXTURES
from devices.smartcard.simcard import SimCard

TODAY = dt.date(2026, 5, 20)


class RecordingCard:
    """A SimCard whose raw traffic is kept, to assert on what the reader sent."""

    def __init__(self, name: str) -> None:
        self.chip = SimCard(FIXTURES[name], random_bytes=lambda n: bytes(range(n)))
        self.sent: list[bytes] = []

    def transmit(self, apdu: bytes) -> bytes:
        self.sent.append(apdu)
        return self.chip.answer(apdu)

    def channel(self) -> CardChannel:
        return CardChannel(self.transmit)


@pytest.fixture
def card() -> type[RecordingCard]:
    return RecordingCard
