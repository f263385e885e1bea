"""Short APDUs: golden bytes, the card-side parser, status words to typed errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.smartcard import errors
from devices.smartcard.apdu import (
    CommandApdu,
    ResponseApdu,
    get_processing_options,
    get_response,
    read_record,
    read_record_by_id,
    select_by_fid,
    select_by_name,
    status_error,
    verify_pin,
)
from devices.smartcard.sscfiles import SSSE_DF_NAME


def test_select_ssse_matches_the_published_command() -> None:
    # research §3.1: 00 A4 04 00 0F 7378312E73682EC9E7BBE1B1A3D5CF (+ Le 00: FCI wanted)
    expected = "00A404000F7378312E73682EC9E7BBE1B1A3D5CF00"
    assert select_by_name(SSSE_DF_NAME).encode().hex().upper() == expected


@pytest.mark.parametrize(
    ("command", "hex_bytes"),
    [
        (read_record(7, sfi=5, le=11), "00B2072C0B"),  # the Xinjiang sample's card number
        (read_record_by_id(8, le=20), "00B2080014"),
        (select_by_fid(0xEF06), "00A4020002EF06"),
        (read_record(1, sfi=2), "00B2011400"),
        (get_response(0x1C), "00C000001C"),
        (get_response(0), "00C0000000"),
        (verify_pin(bytes.fromhex("123456")), "0020000003123456"),
        (get_processing_options(b""), "80A8000002830000"),
    ],
)
def test_commands_encode_to_their_golden_bytes(command: CommandApdu, hex_bytes: str) -> None:
    assert command.encode().hex().upper() == hex_bytes


def test_header_is_all_a_log_line_sees() -> None:
    assert select_by_name(b"secret").header == "00A40400"


@given(
    st.integers(0, 255),
    st.integers(0, 255),
    st.integers(0, 255),
    st.integers(0, 255),
    st.binary(max_size=255),
    st.none() | st.integers(1, 256),
)
def test_every_short_apdu_parses_back(
    cla: int, ins: int, p1: int, p2: int, data: bytes, le: int | None
) -> None:
    command = CommandApdu(cla, ins, p1, p2, data, le)
    assert CommandApdu.parse(command.encode()) == command


@pytest.mark.parametrize(
    "raw",
    ["00A404", "00A40400050102", "00A404000301020304FF", "00A40400000001"],
)
def test_malformed_commands_are_apdu_errors(raw: str) -> None:
    with pytest.raises(errors.ApduError):
        CommandApdu.parse(bytes.fromhex(raw))


def test_le_00_asks_for_256_bytes() -> None:
    assert CommandApdu.parse(bytes.fromhex("00B2011400")).le == 256


def test_command_data_beyond_a_short_apdu_is_refused() -> None:
    with pytest.raises(errors.ApduError, match="extended"):
        CommandApdu(0, 0xA4, 4, 0, bytes(256))


def test_a_response_without_a_status_word_is_an_apdu_error() -> None:
    # pyscard issue #18: an empty response crashed on the missing SW
    with pytest.raises(errors.ApduError):
        ResponseApdu.parse(b"\x90")
    assert ResponseApdu.parse(b"\x01\x02\x90\x00").data == b"\x01\x02"


def test_a_response_repr_never_shows_its_data() -> None:
    response = ResponseApdu(b"6200000000000005", 0x90, 0x00)
    assert "6200" not in repr(response)
    assert "9000" in repr(response)


@pytest.mark.parametrize(
    ("sw", "kind"),
    [
        (0x6A82, errors.FileNotFound),
        (0x6A83, errors.FileNotFound),
        (0x6982, errors.AccessDenied),
        (0x6985, errors.AccessDenied),
        (0x6983, errors.PinBlocked),
        (0x63C2, errors.PinRejected),
        (0x6F00, errors.CardStatusError),
    ],
)
def test_status_words_become_typed_errors(sw: int, kind: type[errors.CardStatusError]) -> None:
    error = status_error(sw, "READ RECORD")
    assert type(error) is kind
    assert error.sw == sw
    assert f"{sw:04X}" in str(error)


def test_wrong_pin_says_how_many_tries_are_left() -> None:
    error = status_error(0x63C1, "VERIFY")
    assert isinstance(error, errors.PinRejected) and error.tries_left == 1
