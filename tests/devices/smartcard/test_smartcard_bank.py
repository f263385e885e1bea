"""PBOC/EMV: PSE, PPSE and direct AID selection, PDOL, GPO formats, AFL, masked PAN."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pytest

from devices.smartcard import emv
from devices.smartcard.bankcard import read_bank_card
from devices.smartcard.cardread import App, read_any
from devices.smartcard.errors import InvalidCardData, TlvError, UnsupportedCard
from devices.smartcard.fixtures import DEBIT, DEBIT_19, QPBOC_PDOL
from devices.smartcard.records import BankCardRecord

MakeCard = Callable[[str], Any]  # the conftest's RecordingCard class
TODAY = dt.date(2026, 5, 20)


def read(card: MakeCard, name: str) -> BankCardRecord:
    c = card(name)
    return read_bank_card(c.channel(), today=lambda: TODAY, unpredictable=bytes)


@pytest.mark.parametrize(
    ("name", "expected"), [("bank", DEBIT), ("bank_ppse", DEBIT_19), ("bank_direct", DEBIT)]
)
def test_each_way_to_find_the_application_reads_the_card(
    card: MakeCard, name: str, expected: BankCardRecord
) -> None:
    record = read(card, name)
    assert record == expected


def test_the_repr_shows_no_part_of_the_pan() -> None:
    # The masking rule (first 6, last 4) lives in kiosk.masking alone.
    assert DEBIT.pan[:6] not in repr(DEBIT) and DEBIT.pan[-4:] not in repr(DEBIT)
    assert DEBIT_19.pan[-4:] not in repr(DEBIT_19)


def test_the_gpo_carries_the_pdol_values(card: MakeCard) -> None:
    c = card("bank")
    read_bank_card(c.channel(), today=lambda: TODAY, unpredictable=lambda n: b"\xab" * n)
    gpo = next(s for s in c.sent if s[:2] == b"\x80\xa8")
    data = gpo[5:-1]
    assert data[:2] == b"\x83\x21"  # 33 bytes of PDOL values
    values = data[2:]
    assert values[4:10] == bytes(6)  # amount 0
    assert values[16:18] == b"\x01\x56"  # country China
    assert values[25:28] == bytes.fromhex("260520")  # 9A: today as YYMMDD
    assert values[28:29] == b"\x31"  # 9C: an inquiry
    assert values[29:33] == b"\xab" * 4  # unpredictable number


def test_reading_stops_once_pan_expiry_and_name_are_in_hand(card: MakeCard) -> None:
    c = card("bank")
    read_bank_card(c.channel(), today=lambda: TODAY, unpredictable=bytes)
    reads = [s.hex().upper() for s in c.sent if s[1] == 0xB2]
    assert "00B2011C00" not in reads  # SFI 3 (offline-auth data) was never asked for
    assert "00B2011400" in reads


def test_without_a_name_every_record_is_read(card: MakeCard) -> None:
    c = card("bank_ppse")
    record = read_bank_card(c.channel(), today=lambda: TODAY, unpredictable=bytes)
    assert record.cardholder_name is None
    assert bytes.fromhex("00B2011C00") in c.sent


def test_a_corrupt_record_is_a_tlv_error(card: MakeCard) -> None:
    with pytest.raises(TlvError):
        read(card, "bank_corrupt")


def test_a_card_without_unionpay_is_unsupported(card: MakeCard) -> None:
    with pytest.raises(UnsupportedCard):
        read_any(card("blank").channel())
    with pytest.raises(UnsupportedCard):
        read_any(card("ssc").channel(), app=App.BANK)


def test_a_third_generation_card_reads_either_application(card: MakeCard) -> None:
    assert read_any(card("ssc3").channel()).kind == "social_security"
    assert read_any(card("ssc3").channel(), app=App.BANK, unpredictable=bytes) == DEBIT


def test_nothing_read_from_a_bank_card_is_logged(
    card: MakeCard, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    read(card, "bank")
    assert caplog.records  # the read did log (headers, status words)
    assert DEBIT.pan not in caplog.text and DEBIT.pan[-4:] + "D" not in caplog.text
    assert "TEST/KIOSK" not in caplog.text


# -- the pure parts -----------------------------------------------------------------------


def test_pdol_values_pad_and_truncate_per_format() -> None:
    terminal = emv.Terminal(amount=12345)
    data = emv.pdol_data(((0x9F02, 6), (0x9F02, 2), (0x9F66, 2), (0xDF01, 3)), terminal, TODAY, b"")
    assert data.hex() == "00000001234523454600000000"


def test_gpo_format_1_and_2_give_the_same_afl() -> None:
    afl = bytes.fromhex("0801010010010301")
    one = emv.parse_gpo(emv.tlv.encode(0x80, b"\x1c\x00" + afl))
    two = emv.parse_gpo(
        emv.tlv.encode_constructed(
            0x77, emv.tlv.encode(0x82, b"\x1c\x00"), emv.tlv.encode(0x94, afl)
        )
    )
    assert one == two
    assert one[1] == [emv.AflEntry(1, 1, 1, 0), emv.AflEntry(2, 1, 3, 1)]


@pytest.mark.parametrize("afl", ["080101", "00010100", "08000100", "08020100", "F8010100"])
def test_bad_afl_entries_are_tlv_errors(afl: str) -> None:
    with pytest.raises(TlvError):
        emv.parse_afl(bytes.fromhex(afl))


def test_gpo_of_an_unknown_template_is_refused() -> None:
    with pytest.raises(TlvError, match="neither 80 nor 77"):
        emv.parse_gpo(emv.tlv.encode(0x70, b"\x00"))


def test_luhn() -> None:
    assert emv.luhn_ok("6200000000000005") and emv.luhn_ok("6200000000012345674")
    assert not emv.luhn_ok("6200000000000006") and not emv.luhn_ok("62000A")


def _found(**tags: bytes) -> dict[int, bytes]:
    names = {"pan": emv.T_PAN, "track2": emv.T_TRACK2, "expiry": emv.T_EXPIRY, "name": emv.T_NAME}
    return {names[k]: v for k, v in tags.items()}


APP = emv.Application(bytes.fromhex("A000000333010101"), "X")


def test_track2_alone_gives_pan_and_month_end_expiry() -> None:
    track = bytes.fromhex("6200000000000005D3002220000000000F")
    record = emv.card_record(APP, _found(track2=track))
    assert record.pan == "6200000000000005" and record.expiry == dt.date(2030, 2, 28)


@pytest.mark.parametrize(
    ("found", "message"),
    [
        (_found(pan=bytes.fromhex("6200000000000006")), "Luhn"),
        (
            _found(
                pan=bytes.fromhex("6200000000000005"),
                track2=bytes.fromhex("6200000000000013D30122200F"),
            ),
            "disagree",
        ),
        (_found(expiry=bytes.fromhex("301231")), "no PAN"),
        (_found(pan=bytes.fromhex("6200000000000005")), "no expiry"),
        (_found(track2=bytes.fromhex("6200000000000005D3013F")), "malformed"),
        (_found(pan=bytes.fromhex("62000000000000A5"), expiry=bytes.fromhex("301231")), "BCD"),
    ],
)
def test_bad_card_data_is_refused(found: dict[int, bytes], message: str) -> None:
    with pytest.raises(InvalidCardData, match=message) as info:
        emv.card_record(APP, found)
    assert "6200" not in str(info.value)


@pytest.mark.parametrize(
    ("raw", "name"),
    [(b"TEST/A", "TEST/A"), (b" / ", None), (b"", None), ("张三".encode("gbk"), "张三")],
)
def test_cardholder_name_when_present(raw: bytes, name: str | None) -> None:
    found = _found(pan=bytes.fromhex("6200000000000005"), expiry=bytes.fromhex("301231"), name=raw)
    assert emv.card_record(APP, found).cardholder_name == name


def test_the_simulated_pdol_is_the_qpboc_one() -> None:
    assert sum(length for _t, length in QPBOC_PDOL) == 33
