"""The kiosk side of identity devices: settings, identity from a card, error keys, masked
views, and the hardware wiring that carries both devices' card events."""

from __future__ import annotations

import dataclasses as dc
import inspect
import json
import queue
from pathlib import Path
from typing import Any

import pytest

import devices.smartcard.errors as sc_errors
from devices.idcard import FIXTURES as ID_FIXTURES
from devices.simulation import Simulators
from devices.smartcard import PinUnlock, open_reader
from devices.smartcard.fixtures import DEBIT, SSC_CARD
from devices.smartcard.pcscd import PcscdService
from devices.smartcard.records import PersonalAccess
from devices.status import DeviceError, DeviceState
from kiosk.errors import NotAnIdentityCard, PersonalDataLocked, describe
from kiosk.hardware import CardSource, Hardware
from kiosk.i18n import Translator, load_messages
from kiosk.identity import (
    TypedNumberRejected,
    identity_from_record,
    identity_from_smartcard,
    identity_from_typed,
)
from kiosk.identity.cardview import idcard_view, smartcard_view
from kiosk.masking import mask_address, mask_card_number
from kiosk.settings import SettingsError, load_settings, with_overrides
from tests.support.kiosk import open_hardware

# -- settings -----------------------------------------------------------------------------


def test_the_default_smartcard_url_is_a_virtual_card_waiting_for_insertion() -> None:
    assert load_settings().devices.smartcard == "sim://smartcard?card=ssc&scenario=no_card"


@pytest.mark.parametrize("url", ["pcsc://", "pcsc://ACR", "pcsc://Virtual%20PCD?app=bank"])
def test_pcsc_urls_are_accepted(tmp_path: Path, url: str) -> None:
    site = tmp_path / "site.toml"
    site.write_text(f'[devices]\nsmartcard = "{url}"\n')
    assert load_settings(site).devices.smartcard == url


@pytest.mark.parametrize("url", ["serial:///dev/ttyS0", "sim://idcard", "pcsc://A B", "acr"])
def test_other_smartcard_urls_are_refused_naming_the_key(tmp_path: Path, url: str) -> None:
    site = tmp_path / "site.toml"
    site.write_text(f'[devices]\nsmartcard = "{url}"\n')
    with pytest.raises(SettingsError) as info:
        load_settings(site)
    assert info.value.key == "devices.smartcard" and info.value.file == str(site)


# -- identity -----------------------------------------------------------------------------


def test_a_social_security_card_identifies_its_holder() -> None:
    identity = identity_from_smartcard(SSC_CARD)
    assert identity.source == "smartcard"
    assert identity.id_number == ID_FIXTURES["elder"].id_number
    assert identity.name == "李测试" and identity.sex == "女"
    assert identity.valid_until == SSC_CARD.expires
    assert identity_from_record(SSC_CARD) == identity


def test_the_same_citizen_from_either_card_is_the_same_person() -> None:
    by_idcard = identity_from_record(ID_FIXTURES["elder"])
    by_ssc = identity_from_record(SSC_CARD)
    assert (by_idcard.id_number, by_idcard.name, by_idcard.birth) == (
        by_ssc.id_number,
        by_ssc.name,
        by_ssc.birth,
    )


def test_a_locked_social_security_card_cannot_identify() -> None:
    locked = dc.replace(SSC_CARD, personal=None, personal_access=PersonalAccess.LOCKED)
    with pytest.raises(PersonalDataLocked) as info:
        identity_from_smartcard(locked)
    assert info.value.key == "error.smartcard.locked"


def test_a_bank_card_never_identifies() -> None:
    with pytest.raises(NotAnIdentityCard) as info:
        identity_from_record(DEBIT)
    assert info.value.key == "error.smartcard.bank_card"


def test_every_smartcard_error_code_has_a_message_in_both_languages() -> None:
    zh, en = load_messages("zh_CN"), load_messages("en")
    classes = [
        c
        for _name, c in inspect.getmembers(sc_errors, inspect.isclass)
        if issubclass(c, DeviceError) and c.__module__ == sc_errors.__name__
    ]
    assert len(classes) >= 15
    for cls in classes:
        key = describe(cls("x")).key
        assert key != "error.device.generic" or cls.code in ("readerBusy", "smartcardError")
        assert key in zh and key in en, (cls.code, key)
    for key in ("error.smartcard.bank_card", "error.smartcard.locked"):
        assert key in zh and key in en


def pin_refusal(pcscd: PcscdService, card: str, pin: str) -> DeviceError:
    """What the device layer raises when the virtual card in pcscd refuses ``pin``."""
    url = f"sim://smartcard?card={card}&slot=1"
    with open_reader(url) as reader, pytest.raises(DeviceError) as info:
        reader.read_card(10.0, unlock=PinUnlock(pin))
    return info.value


# Regression (issue 19, item 5): a wrong PIN ended in "VERIFY PIN: card answered 63C2",
# and the message keys said neither how many tries were left nor where to unlock a card.


def test_a_wrong_pin_tells_the_citizen_how_many_tries_are_left(pcscd: PcscdService) -> None:
    exc = pin_refusal(pcscd, "ssc_pin", "000000")
    assert isinstance(exc, sc_errors.PinRejected) and (exc.sw, exc.tries_left) == (0x63C2, 2)
    problem = describe(exc)
    assert problem.key == "error.smartcard.pin_wrong" and problem.params == {"tries": 2}
    assert "63C2" in problem.log  # the technician's line keeps the status word
    zh = problem.text(Translator("zh_CN"))
    assert zh == "社保卡密码不对，还可以再试2次；次数用完，卡会被锁定"
    assert "Tries left: 2" in problem.text(Translator("en"))


def test_a_blocked_pin_tells_the_citizen_where_to_unlock_the_card(pcscd: PcscdService) -> None:
    exc = pin_refusal(pcscd, "ssc_pin_blocked", "123456")  # even the right PIN
    assert isinstance(exc, sc_errors.PinBlocked) and exc.sw == 0x6983
    text = describe(exc).text(Translator("zh_CN"))
    assert "已锁定" in text and "社保卡服务网点" in text and "发卡银行" in text
    assert "bank that issued the card" in describe(exc).text(Translator("en"))


def test_the_last_wrong_pin_says_the_card_is_now_locked() -> None:
    # 63C0: no tries left, the card is blocked from now on
    last = sc_errors.PinRejected("VERIFY PIN: card answered 63C0", sw=0x63C0, tries_left=0)
    assert describe(last).key == "error.smartcard.pin_blocked"


# -- masked views -------------------------------------------------------------------------


def test_views_carry_no_personal_data_in_clear() -> None:
    elder = ID_FIXTURES["elder"]
    texts = [
        json.dumps(idcard_view(elder), ensure_ascii=False),
        json.dumps(smartcard_view(SSC_CARD), ensure_ascii=False),
        json.dumps(smartcard_view(DEBIT), ensure_ascii=False),
    ]
    for secret in (
        elder.id_number,
        elder.name,
        elder.address,
        SSC_CARD.card_number,
        DEBIT.pan,
        "TEST/KIOSK",
        SSC_CARD.card_id,
        "19430512",
    ):
        assert all(secret not in t for t in texts), secret


def test_masking_of_card_numbers_and_addresses() -> None:
    assert mask_card_number("T00000001") == "*****0001"
    assert mask_card_number("123") == "***"
    assert mask_address("测试省示例市幸福县测试村一组8号") == "测试省示例市***"
    assert mask_address("北京") == "北京"


# -- hardware wiring ----------------------------------------------------------------------


class Heard:
    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[str, Any]] = queue.Queue()

    def __call__(self, event: str, payload: Any, source: CardSource) -> None:
        self.queue.put((event, payload))

    def next(self, timeout: float = 15.0) -> tuple[str, Any]:
        return self.queue.get(timeout=timeout)


@pytest.fixture
def hardware(pcscd: PcscdService, tmp_path: Path) -> Any:
    settings = with_overrides(
        load_settings(),
        devices={"smartcard": "sim://smartcard?card=ssc&scenario=no_card&slot=1"},
        paths={"state_dir": str(tmp_path)},
    )
    hw, sims = open_hardware(settings, start=False)
    yield hw, sims
    hw.close()


def test_smartcard_events_reach_the_listeners_that_want_them(
    hardware: tuple[Hardware, Simulators],
) -> None:
    hardware, sims = hardware
    everything, smartcard_only, idcard_only = Heard(), Heard(), Heard()
    hardware.on_card(everything)
    hardware.on_card(smartcard_only, source=CardSource.SMARTCARD)
    hardware.on_card(idcard_only, source=CardSource.IDCARD)
    hardware.start()
    assert hardware.smartcard is not None and sims.smartcard is not None
    sims.smartcard.insert("ssc")
    assert smartcard_only.next() == ("inserted", SSC_CARD)
    assert everything.next() == ("inserted", SSC_CARD)
    sims.smartcard.remove()
    assert smartcard_only.next() == ("removed", None)
    sims.smartcard.insert("blank")
    event, exc = smartcard_only.next()
    assert event == "error" and exc.code == "unsupportedSmartcard"
    assert idcard_only.queue.empty()  # the ID card reader's listener heard none of it
    statuses = hardware.statuses()
    assert statuses["smartcard"].device is DeviceState.ONLINE
    assert set(statuses) == {"idcard", "smartcard", "printer", "docscan", "camera"}


def test_an_unknown_card_source_is_refused(hardware: tuple[Hardware, Simulators]) -> None:
    with pytest.raises(ValueError, match="printer"):
        hardware[0].on_card(Heard(), source="printer")  # type: ignore[arg-type]


def test_a_broken_smartcard_url_does_not_stop_the_kiosk(tmp_path: Path) -> None:
    settings = with_overrides(load_settings(), devices={"smartcard": "sim://smartcard?card=nope"})
    hw, _sims = open_hardware(settings)
    try:
        assert hw.smartcard is None and "unknown smartcard fixture" in hw.problems["smartcard"]
        assert hw.statuses()["smartcard"].device is DeviceState.NO_DEVICE
        assert hw.idcard is not None
    finally:
        hw.close()


# -- a typed number with its confirmation -------------------------------------------------


def test_a_number_typed_twice_gives_an_identity() -> None:
    number = ID_FIXTURES["elder"].id_number
    identity = identity_from_typed(number, number.lower())
    assert identity.source == "typed" and identity.birth == ID_FIXTURES["elder"].birth
    assert identity.sex == "女"


@pytest.mark.parametrize(
    ("number", "again"),
    [
        ("110101194305120026", "110101194305120027"),  # the confirmation differs
        ("110101194305120027", "110101194305120027"),  # wrong check digit
        ("11010119430532002X", "11010119430532002X"),  # no such day
    ],
)
def test_a_bad_typed_number_is_refused(number: str, again: str) -> None:
    with pytest.raises(TypedNumberRejected) as info:
        identity_from_typed(number, again)
    assert info.value.key in load_messages("en")
