"""Shared helpers for the PC/SC card tests: chips in memory, and virtual cards in the
real pcscd (started here when it is not running)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from devices.smartcard.channel import CardChannel
from devices.smartcard.fixtures import FIXTURES
from devices.smartcard.pcscd import PcscdService, shared_service, wait_for_card
from devices.smartcard.simcard import SimCard
from devices.smartcard.simulator import VirtualCard, reader_name

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


@pytest.fixture(scope="session")
def pcscd_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PcscdService]:
    """pcscd with the vpcd readers: ours if none runs (stopped at the end), else the system's."""
    service = shared_service(tmp_path_factory.mktemp("pcscd"))
    yield service
    service.stop()


@pytest.fixture
def pcscd(pcscd_service: PcscdService) -> Iterator[PcscdService]:
    """The service, running with both virtual readers empty before and after the test."""
    pcscd_service.ensure()
    _wait_empty()
    yield pcscd_service
    pcscd_service.ensure()  # a test that stopped it or hid the readers leaves it whole
    _wait_empty()


def _wait_empty() -> None:
    for slot in (0, 1):
        assert wait_for_card(reader_name(slot), False), f"slot {slot} still holds a card"


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
    _wait_empty()
