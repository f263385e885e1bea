"""Golden frames, status codes and reply parsing of the SAM protocol (research §2.3-2.5)."""

from __future__ import annotations

import pytest

from devices.idcard import errors
from devices.idcard import protocol as p
from devices.status import DeviceError, ProtocolError

# Request frames as published (research/devices.md §2.3); their check bytes were verified
# by computation there and are verified again here, never copied into the encoder.
PUBLISHED_REQUESTS = {
    p.Command.RESET: "AA AA AA 96 69 00 03 10 FF EC",
    p.Command.SAM_STATUS: "AA AA AA 96 69 00 03 11 FF ED",
    p.Command.SAM_ID: "AA AA AA 96 69 00 03 12 FF EE",
    p.Command.FIND_CARD: "AA AA AA 96 69 00 03 20 01 22",
    p.Command.SELECT_CARD: "AA AA AA 96 69 00 03 20 02 21",
    p.Command.READ_BASE: "AA AA AA 96 69 00 03 30 01 32",
    p.Command.READ_WITH_FINGERPRINT: "AA AA AA 96 69 00 03 30 10 23",
}

# Replies quoted in public reader code (find OK/failed, select OK, SAM status OK).
PUBLISHED_REPLIES = [
    (0x9F, bytes(4), "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97"),
    (0x80, b"", "AA AA AA 96 69 00 04 00 00 80 84"),
    (0x90, bytes(8), "AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C"),
    (0x90, b"", "AA AA AA 96 69 00 04 00 00 90 94"),
]


@pytest.mark.parametrize(("command", "published"), PUBLISHED_REQUESTS.items())
def test_requests_match_the_published_frames(command: p.Command, published: str) -> None:
    frame = p.encode_request(command)
    assert frame == bytes.fromhex(published)
    assert p.xor_check(frame[5:-1]) == frame[-1]


@pytest.mark.parametrize(("sw3", "data", "published"), PUBLISHED_REPLIES)
def test_replies_match_the_published_frames(sw3: int, data: bytes, published: str) -> None:
    assert p.encode_response(sw3, data) == bytes.fromhex(published)


def test_a_published_sample_with_a_wrong_check_byte_is_rejected() -> None:
    # research §2.3: one public sample gives find card as "20 01 21"; the XOR says 22.
    items = p.FrameDecoder().feed(bytes.fromhex("AA AA AA 96 69 00 03 20 01 21"))
    assert [type(i) for i in items] == [errors.ChecksumMismatch]


def test_the_read_reply_is_1295_bytes_with_the_published_header() -> None:
    text, photo = bytes(range(256)), bytes(1024)
    data = p.encode_card_data(p.CardData(text, photo))
    frame = p.encode_response(0x90, data)
    assert len(frame) == 1295
    assert frame[:14] == bytes.fromhex("AA AA AA 96 69 05 08 00 00 90 01 00 04 00")
    assert frame[14:270] == text


@pytest.mark.parametrize(("fp_size", "total"), [(1024, 2321), (512, 1809), (0, 1297)])
def test_the_fingerprint_read_reply_sizes(fp_size: int, total: int) -> None:
    card = p.CardData(bytes(256), bytes(1024), bytes(fp_size))
    frame = p.encode_response(0x90, p.encode_card_data(card))
    assert len(frame) == total
    assert frame[10:16] == bytes([0x01, 0x00, 0x04, 0x00]) + fp_size.to_bytes(2, "big")
    response = p.parse_response(p.FrameDecoder().feed(frame)[0])  # type: ignore[arg-type]
    assert p.split_card_data(response.data, with_fingerprint=True) == card


def test_every_status_code_has_a_description() -> None:
    assert len(p.SamStatus) == 18
    for status in p.SamStatus:
        assert p.describe_status(status) == p.STATUS_TEXT[status]
    assert "0x55" in p.describe_status(0x55)


@pytest.mark.parametrize(
    ("sw3", "kind", "code"),
    [
        (0x80, errors.NoCard, "noCard"),
        (0x81, errors.CardRemoved, "cardRemoved"),
        (0x41, errors.CardRemoved, "cardRemoved"),
        (0x40, errors.UnsupportedCard, "unsupportedCard"),
        (0x66, errors.SamNotAuthorised, "samNotAuthorised"),
        (0x10, errors.SamTransmissionError, "samTransmissionError"),
        (0x11, errors.SamTransmissionError, "samTransmissionError"),
        (0x31, errors.CardAuthenticationFailed, "cardAuthFailed"),
        (0x32, errors.CardAuthenticationFailed, "cardAuthFailed"),
        (0x33, errors.CardAuthenticationFailed, "cardAuthFailed"),
        (0x60, errors.SamFault, "samFault"),
        (0x21, errors.SamError, "samError"),
        (0x47, errors.SamError, "samError"),
        (0x55, errors.SamError, "samError"),
    ],
)
def test_failing_statuses_become_typed_errors(sw3: int, kind: type, code: str) -> None:
    error = p.error_for_status(sw3)
    assert type(error) is kind
    assert error.code == code
    assert error.status == sw3
    assert isinstance(error, DeviceError)


def test_frame_errors_are_protocol_errors_too() -> None:
    error = errors.ChecksumMismatch("x")
    assert isinstance(error, ProtocolError)
    assert isinstance(error, errors.IdCardError)
    assert error.code == "checksumError"


def test_short_frames_are_malformed() -> None:
    with pytest.raises(errors.MalformedFrame):
        p.parse_response(p.Frame(b"\x00\x00"))
    with pytest.raises(errors.MalformedFrame):
        p.parse_request(p.Frame(b"\x20"))
    assert p.parse_request(p.Frame(b"\x20\x01")) == p.Request(0x20, 0x01)
    assert p.parse_response(p.Frame(b"\x00\x00\x9f\x01")) == p.Response(0, 0, 0x9F, b"\x01")


@pytest.mark.parametrize(
    "data",
    [
        b"\x01\x00",  # too short for two length fields
        b"\x01\x00\x04\x00" + bytes(1279),  # one byte missing
        b"\x00\x80\x04\x00" + bytes(128 + 1024),  # text block of the wrong size
    ],
)
def test_read_replies_with_inconsistent_lengths_are_malformed(data: bytes) -> None:
    with pytest.raises(errors.MalformedFrame):
        p.split_card_data(data, with_fingerprint=False)


def test_the_sam_id_format() -> None:
    data = bytes.fromhex("05000100") + (20101209).to_bytes(4, "little")
    data += (16372569).to_bytes(4, "little") + (3221192013).to_bytes(4, "little")
    assert p.format_sam_id(data) == "05.01-20101209-0016372569-3221192013"
    with pytest.raises(errors.MalformedFrame):
        p.format_sam_id(data[:10])


def test_frame_repr_never_shows_the_body() -> None:
    frame = p.Frame("李测试".encode("utf-16-le"))
    assert repr(frame) == "Frame(6 bytes)"
