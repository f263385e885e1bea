"""The vpcd wire protocol: golden bytes, messages split anywhere, fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.smartcard import vpcd


def test_golden_messages() -> None:
    assert vpcd.encode(bytes((vpcd.Control.ATR,))) == b"\x00\x01\x04"
    assert vpcd.encode(bytes.fromhex("00A40400")) == bytes.fromhex("000400A40400")
    decoded = vpcd.VpcdDecoder().feed(bytes.fromhex("000104000101000400A40400"))
    assert decoded == [
        vpcd.ControlMessage(4),
        vpcd.ControlMessage(1),
        vpcd.ApduMessage(bytes.fromhex("00A40400")),
    ]


def test_an_empty_message_is_skipped_like_vsmartcards_own_card() -> None:
    decoder = vpcd.VpcdDecoder()
    assert decoder.feed(b"\x00\x00\x00\x01\x02") == [vpcd.ControlMessage(2)]
    assert decoder.skipped == 1


def test_a_message_longer_than_the_length_field_is_refused() -> None:
    with pytest.raises(ValueError):
        vpcd.encode(bytes(0x10000))


def test_apdu_repr_shows_the_header_only() -> None:
    assert "5A08" not in repr(vpcd.ApduMessage(bytes.fromhex("00A40400085A08620000")))


MESSAGES = st.lists(
    st.one_of(
        st.integers(0, 255).map(lambda c: vpcd.ControlMessage(c)),
        st.binary(min_size=2, max_size=300).map(vpcd.ApduMessage),
    ),
    max_size=8,
)


def _payload(m: vpcd.Message) -> bytes:
    return bytes((m.code,)) if isinstance(m, vpcd.ControlMessage) else m.apdu


@given(MESSAGES, st.data())
def test_fuzz_messages_split_anywhere_come_out_whole(
    messages: list[vpcd.Message], data: st.DataObject
) -> None:
    stream = b"".join(vpcd.encode(_payload(m)) for m in messages)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=6)))
    decoder, out, start = vpcd.VpcdDecoder(), [], 0
    for cut in [*cuts, len(stream)]:
        out += decoder.feed(stream[start:cut])
        start = cut
    assert out == messages and decoder.pending == 0


@given(st.binary(max_size=4096))
def test_fuzz_random_bytes_never_crash_and_hold_back_at_most_one_message(data: bytes) -> None:
    decoder = vpcd.VpcdDecoder()
    for message in decoder.feed(data):
        assert isinstance(message, vpcd.ControlMessage | vpcd.ApduMessage)
    assert decoder.pending <= 2 + 0xFFFF
    assert decoder.pending < 2 or decoder.pending < 2 + int.from_bytes(
        data[-decoder.pending :][:2], "big"
    )


@given(MESSAGES)
def test_fuzz_a_truncated_stream_keeps_the_rest_pending(messages: list[vpcd.Message]) -> None:
    stream = b"".join(vpcd.encode(_payload(m)) for m in messages) + b"\x00\x05\x00\xa4"
    decoder = vpcd.VpcdDecoder()
    assert decoder.feed(stream) == messages
    assert decoder.pending == 4
    assert decoder.feed(b"\x04\x00\x00") == [vpcd.ApduMessage(bytes.fromhex("00A4040000"))]
