"""The driver end to end: pyscard → the real pcscd → vpcd → a virtual card."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from devices.simulation import Simulators
from devices.smartcard import (
    App,
    CardRemoved,
    NoCard,
    PcscUnavailable,
    PinUnlock,
    ReaderNotFound,
    SmartCardReader,
    SocialSecurityRecord,
    TlvError,
    UnsupportedCard,
    VirtualCard,
    open_reader,
)
from devices.smartcard.fixtures import DEBIT, DEBIT_19, SSC_CARD
from devices.smartcard.pcscd import PcscdService
from devices.smartcard.records import PersonalAccess
from devices.status import DeviceState, MediaState

MakeCard = Callable[..., VirtualCard]
SLOT0 = "pcsc://Virtual%20PCD%2000%2000"


def reader(url: str = SLOT0) -> SmartCardReader:
    return open_reader(url)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ssc", SSC_CARD), ("bank", DEBIT), ("bank_ppse", DEBIT_19), ("bank_direct", DEBIT)],
)
def test_each_card_reads_through_pcscd(virtual_card: MakeCard, name: str, expected: object) -> None:
    virtual_card(name)
    with reader() as r:
        assert r.read_card(10) == expected
        assert r.exchanges >= 10  # GET RESPONSE and Le retries happened for real


def test_the_second_slot_is_a_second_reader(virtual_card: MakeCard) -> None:
    virtual_card("bank", slot=1)
    with reader("pcsc://virtual pcd 00 01".replace(" ", "%20")) as r:
        assert r.read_card(10) == DEBIT


def test_a_sim_url_starts_its_own_virtual_card(pcscd: PcscdService) -> None:
    sims = Simulators()
    with open_reader("sim://smartcard?card=bank&slot=1", simulators=sims) as r:
        assert sims.smartcard is not None and r.match == "Virtual PCD 00 01"
        assert r.read_card(10) == DEBIT
    # closing stopped the card: the reader empties
    from devices.smartcard.pcscd import wait_for_card

    assert wait_for_card("Virtual PCD 00 01", False)


def test_app_bank_reads_the_payment_side_of_a_third_generation_card(
    virtual_card: MakeCard,
) -> None:
    virtual_card("ssc3")
    with reader(SLOT0 + "?app=bank") as r:
        assert r.read_card(10) == DEBIT
        assert isinstance(r.read_card(10, app=App.AUTO), SocialSecurityRecord)


def test_no_card_within_the_timeout(pcscd: PcscdService) -> None:
    with reader() as r, pytest.raises(NoCard, match=r"within 0\.5 s"):
        r.read_card(0.5)


def test_a_card_inserted_while_waiting_is_read(virtual_card: MakeCard) -> None:
    card = virtual_card("bank", scenario="no_card")
    with reader() as r:
        card.insert()
        assert r.read_card(10) == DEBIT


def test_a_card_pulled_out_mid_read_is_card_removed(virtual_card: MakeCard) -> None:
    virtual_card("ssc", scenario="removed_during_read")
    with reader() as r, pytest.raises(CardRemoved):
        r.read_card(10)


def test_a_slow_card_still_reads(virtual_card: MakeCard) -> None:
    virtual_card("ssc", delay=0.02)
    with reader() as r:
        assert r.read_card(10) == SSC_CARD


def test_unknown_and_corrupt_cards_give_typed_errors(virtual_card: MakeCard) -> None:
    card = virtual_card("blank")
    with reader() as r:
        with pytest.raises(UnsupportedCard):
            r.read_card(10)
        card.remove()
        card.insert("bank_corrupt")
        with pytest.raises(TlvError):
            r.read_card(10)


def test_a_pin_unlock_does_not_outlive_the_read(virtual_card: MakeCard) -> None:
    virtual_card("ssc_pin")
    with reader() as r:
        first = r.read_card(10, unlock=PinUnlock("123456"))
        assert isinstance(first, SocialSecurityRecord)
        assert first.personal_access is PersonalAccess.PIN
        second = r.read_card(10)  # the card was reset: EF06 is locked again
        assert isinstance(second, SocialSecurityRecord)
        assert second.personal is None and second.personal_access is PersonalAccess.LOCKED


def test_no_matching_reader(pcscd: PcscdService) -> None:
    with reader("pcsc://NoSuchReader") as r:
        with pytest.raises(ReaderNotFound, match="NoSuchReader"):
            r.read_card(0.3)
        assert r.status().device is DeviceState.NO_DEVICE


def test_status_reports_the_card(virtual_card: MakeCard) -> None:
    card = virtual_card("ssc", scenario="no_card")
    with reader() as r:
        status = r.status()
        assert status.device is DeviceState.ONLINE and status.media is MediaState.NOT_PRESENT
        card.insert()
        deadline = time.monotonic() + 10
        while r.status().media is not MediaState.PRESENT and time.monotonic() < deadline:
            time.sleep(0.05)
        assert r.status().media is MediaState.PRESENT


def test_pcscd_not_running_then_started(pcscd: PcscdService) -> None:
    pcscd.require_control()
    pcscd.stop()
    with reader() as r:
        with pytest.raises(PcscUnavailable):
            r.read_card(0.3)
        assert r.status().vendor["code"] == "pcscUnavailable"
        pcscd.ensure()
        with VirtualCard("bank"):
            assert r.read_card(10) == DEBIT  # the same reader object recovers
