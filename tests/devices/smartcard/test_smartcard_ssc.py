"""Social-security cards: EF05 always, EF06 when open, by PIN or by PSAM; bad data refused."""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from devices.idcard.fixtures import FIXTURES as ID_FIXTURES
from devices.smartcard.apdu import SW_OK
from devices.smartcard.cardread import App, read_any
from devices.smartcard.errors import CardStatusError, InvalidCardData, PinBlocked, PinRejected
from devices.smartcard.fixtures import SSC_CARD, SSC_PERSON, TestPsam
from devices.smartcard.records import PersonalAccess, SocialSecurityRecord
from devices.smartcard.ssc import PinUnlock, PsamUnlock, read_social_security
from devices.smartcard.sscfiles import (
    EF05,
    EF06,
    RecordSpec,
    decode_ef05,
    decode_ef06,
    encode_ef05,
    encode_ef06,
    record_value,
)

MakeCard = Callable[[str], Any]  # the conftest's RecordingCard class


def test_an_open_card_gives_card_and_personal_data(card: MakeCard) -> None:
    record = read_any(card("ssc").channel())
    assert isinstance(record, SocialSecurityRecord)
    assert record == SSC_CARD
    assert record.region == "110100" and record.generation == 2
    assert record.personal is not None
    assert record.personal.id_number == ID_FIXTURES["elder"].id_number
    assert record.personal.name == "李测试"
    assert record.personal.nation is not None and record.personal.nation.label == "汉族"


def test_the_card_number_record_has_the_published_layout(card: MakeCard) -> None:
    c = card("ssc")
    read_any(c.channel())
    # 00 B2 07 2C 0B: EF05 record 7 by SFI 5, as the Xinjiang sample reads it
    assert bytes.fromhex("00B2072C0B") in c.sent
    assert encode_ef05(SSC_CARD)[7] == b"\x07\x09T00000001"


def test_a_locked_card_still_gives_its_card_level_data(card: MakeCard) -> None:
    record = read_any(card("ssc_pin").channel())
    assert isinstance(record, SocialSecurityRecord)
    assert record.card_number == "T00000001"
    assert record.personal is None and record.personal_access is PersonalAccess.LOCKED


def test_the_citizens_pin_opens_ef06(card: MakeCard) -> None:
    c = card("ssc_pin")
    record = read_social_security(c.channel(), unlock=PinUnlock("123456"))
    assert record.personal == SSC_PERSON and record.personal_access is PersonalAccess.PIN
    assert bytes.fromhex("0020000003123456") in c.sent


def test_a_wrong_pin_counts_down_then_blocks(card: MakeCard) -> None:
    c = card("ssc_pin")
    for left in (2, 1, 0):
        with pytest.raises(PinRejected) as info:
            read_social_security(c.channel(), unlock=PinUnlock("000000"))
        assert info.value.tries_left == left
    with pytest.raises(PinBlocked):
        read_social_security(c.channel(), unlock=PinUnlock("123456"))


def test_a_pin_does_not_open_a_card_that_wants_a_psam(card: MakeCard) -> None:
    with pytest.raises(CardStatusError) as info:
        read_social_security(card("ssc_psam").channel(), unlock=PinUnlock("123456"))
    assert info.value.sw == 0x6982  # still locked after a correct PIN


def test_a_psam_opens_ef06_by_external_authentication(card: MakeCard) -> None:
    c = card("ssc_psam")
    record = read_social_security(c.channel(), unlock=PsamUnlock(TestPsam()))
    assert record.personal == SSC_PERSON and record.personal_access is PersonalAccess.PSAM
    assert bytes.fromhex("0084000008") in c.sent  # GET CHALLENGE


def test_a_psam_with_the_wrong_key_is_refused(card: MakeCard) -> None:
    with pytest.raises(CardStatusError) as info:
        read_social_security(card("ssc_psam").channel(), unlock=PsamUnlock(TestPsam(bytes(16))))
    assert info.value.sw == 0x6300


def test_ssc_only_refuses_a_bank_card(card: MakeCard) -> None:
    from devices.smartcard.errors import UnsupportedCard

    with pytest.raises(UnsupportedCard, match="SSSE"):
        read_any(card("bank").channel(), app=App.SOCIAL_SECURITY)


def test_pin_format_is_checked_and_never_shown() -> None:
    with pytest.raises(ValueError):
        PinUnlock("12a4")
    assert "1234" not in repr(PinUnlock("123456"))


# -- the codec ----------------------------------------------------------------------------


def _values(records: dict[int, bytes], specs: tuple[RecordSpec, ...]) -> dict[str, bytes]:
    return {s.field: record_value(s, records[s.tag]) for s in specs}


def test_ef05_and_ef06_round_trip() -> None:
    assert decode_ef05(_values(encode_ef05(SSC_CARD), EF05)).card_number == "T00000001"
    assert decode_ef06(_values(encode_ef06(SSC_PERSON), EF06)) == SSC_PERSON


def test_no_expiry_is_99991231() -> None:
    card = dc.replace(SSC_CARD, expires=None)
    raw = encode_ef05(card)[6]
    assert raw == bytes.fromhex("060499991231")
    assert decode_ef05(_values(encode_ef05(card), EF05)).expires is None


@pytest.mark.parametrize(
    ("tag", "raw", "message"),
    [
        (0x08, b"\x08\x12" + b"110101194305120021", "GB 11643"),  # wrong check digit
        (0x09, b"\x09\x02\xff\xfe", "gbk"),
        (0x0A, b"\x0a\x015", "standard table"),
        (0x0D, b"\x0d\x04\x19\x43\x13\x40", "calendar date"),
        (0x0D, b"\x0d\x04\x19\x4a\x05\x12", "BCD"),
    ],
)
def test_bad_personal_data_is_refused_naming_the_field(tag: int, raw: bytes, message: str) -> None:
    records = encode_ef06(SSC_PERSON) | {tag: raw}
    with pytest.raises(InvalidCardData, match=message) as info:
        decode_ef06(_values(records, EF06))
    assert "1101" not in str(info.value)  # the message never carries the value


def test_a_record_with_the_wrong_tag_or_length_is_refused() -> None:
    spec = EF05[6]
    with pytest.raises(InvalidCardData, match="tag 07"):
        record_value(spec, b"\x08\x01A")
    with pytest.raises(InvalidCardData, match="length"):
        record_value(spec, b"\x07\x0aT000000012")


def test_a_record_shorter_than_nominal_is_accepted() -> None:
    assert record_value(EF05[6], b"\x07\x03T01") == b"T01"


def test_repr_masks_everything() -> None:
    text = repr(SSC_CARD) + repr(SSC_PERSON)
    assert "T00000001" not in text and SSC_PERSON.id_number not in text and "李" not in text


def test_status_word_constant_is_ok() -> None:
    assert SW_OK == 0x9000 and dt.date(2028, 6, 1) == SSC_CARD.expires
