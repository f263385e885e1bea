"""Shared helpers for the PC/SC card tests: chips in memory, and virtual cards in the
real pcscd (the ``pcscd`` fixture is in tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from devices.smartcard.channel import CardChannel
from devices.smartcard.fixtures import FIXTURES
from devices.smartcard.pcscd import PcscdService, assert_readers_empty
from devices.smartcard.simcard import SimCard
from devices.smartcard.simulator import VirtualCard

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


# -- the real pcscd with vpcd, and virtual cards in its readers ----------------------------


@pytest.fixture
def virtual_card(pcscd: PcscdService) -> Iterator[Callable[..., VirtualCard]]:
    """``virtual_card("bank", scenario=…, slot=…)``: a started card, stopped afterwards."""
    cards: list[VirtualCard] = []

    def make(card: str = "ssc", **options: Any) -> VirtualCard:
        virtual = VirtualCard(card, **options).start()
        cards.append(virtual)
        return virtual

    yield make
    for virtual in cards:
        virtual.stop()
    assert_readers_empty()
