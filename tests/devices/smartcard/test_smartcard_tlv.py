"""BER-TLV: golden parses, every error typed, and fuzzing (never a crash or a hang)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.smartcard import tlv
from devices.smartcard.errors import TlvError

# A PSE FCI as EMV Book 1 §11.3.4 lays it out: 6F > (84 DF name, A5 > (88 SFI, 5F2D lang))
PSE_FCI = bytes.fromhex("6F1A840E315041592E5359532E4444463031A5088801015F2D027A68")


def test_a_pse_fci_parses_into_its_tree() -> None:
    (fci,) = tlv.parse(PSE_FCI)
    assert fci.tag == 0x6F and fci.constructed
    assert [c.tag for c in fci.children] == [0x84, 0xA5]
    name = fci.find(0x84)
    assert name is not None and name.value == b"1PAY.SYS.DDF01"
    assert tlv.find_value([fci], 0x88) == b"\x01"
    assert tlv.find_value([fci], 0x5F2D) == b"zh"
    assert tlv.find([fci], 0x9F38) is None


def test_multi_byte_tags_and_long_lengths() -> None:
    value = bytes(300)
    raw = (
        tlv.encode(0x9F38, b"\x9f\x66\x04")
        + tlv.encode(0xBF0C, tlv.encode(0x61, b""))
        + tlv.encode(0x5A, value)
    )
    objects = tlv.parse(raw)
    assert [o.tag for o in objects] == [0x9F38, 0xBF0C, 0x5A]
    assert objects[2].value == value
    assert raw[-303:-300] == b"\x82\x01\x2c"  # 300 as 82 01 2C


def test_padding_between_objects_is_skipped() -> None:
    raw = b"\x00\x00" + tlv.encode(0x50, b"A") + b"\xff\xff" + tlv.encode(0x87, b"\x01") + b"\x00"
    assert [(o.tag, o.value) for o in tlv.parse(raw)] == [(0x50, b"A"), (0x87, b"\x01")]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("5A08123456", "runs past the end"),
        ("9F", "cut short"),
        ("9F8181818101", "longer than 4 bytes"),
        ("5A", "length missing"),
        ("5A80", "indefinite"),
        ("5A85FFFFFFFFFF", "too long"),
        ("5A8201", "cut short"),
        ("70035A05", "runs past the end"),  # a bad child inside a good template
    ],
)
def test_malformed_tlv_is_a_tlv_error_naming_the_problem(raw: str, message: str) -> None:
    with pytest.raises(TlvError, match=message):
        tlv.parse(bytes.fromhex(raw))


def test_nesting_is_bounded() -> None:
    raw = b""
    for _ in range(tlv.MAX_DEPTH + 2):
        raw = tlv.encode(0x70, raw)
    with pytest.raises(TlvError, match="nested deeper"):
        tlv.parse(raw)


def test_a_dol_is_tags_and_lengths() -> None:
    dol = bytes.fromhex("9F66049F02069F1A025F2A029A039C019F3704")
    assert tlv.parse_dol(dol) == (
        (0x9F66, 4),
        (0x9F02, 6),
        (0x9F1A, 2),
        (0x5F2A, 2),
        (0x9A, 3),
        (0x9C, 1),
        (0x9F37, 4),
    )
    assert tlv.encode_dol(tlv.parse_dol(dol)) == dol


def test_repr_shows_tag_and_length_never_the_value() -> None:
    (obj,) = tlv.parse(tlv.encode(0x5A, bytes.fromhex("6200000000000005")))
    assert repr(obj) == "Tlv(5A, 8 bytes)"


# -- fuzzing ------------------------------------------------------------------------------

PRIMITIVE_TAGS = st.sampled_from([0x4F, 0x50, 0x57, 0x5A, 0x87, 0x88, 0x5F20, 0x5F24, 0x9F38])
CONSTRUCTED_TAGS = st.sampled_from([0x61, 0x6F, 0x70, 0x77, 0xA5, 0xBF0C])


@st.composite
def tlv_objects(draw: st.DrawFn, depth: int = 0) -> bytes:
    if depth < 3 and draw(st.booleans()):
        children = draw(st.lists(tlv_objects(depth + 1), max_size=3))
        return tlv.encode_constructed(draw(CONSTRUCTED_TAGS), *children)
    value = draw(st.binary(max_size=300))
    return tlv.encode(draw(PRIMITIVE_TAGS), value.lstrip(b"\x00\xff") or b"\x01")


def _parse_or_error(data: bytes) -> tuple[tlv.Tlv, ...] | TlvError:
    try:
        return tlv.parse(data)
    except TlvError as exc:
        return exc


@given(st.binary(max_size=2048))
@settings(max_examples=500)
def test_fuzz_random_bytes_give_objects_or_a_tlv_error(data: bytes) -> None:
    result = _parse_or_error(data)
    if isinstance(result, tuple):
        for obj in result:
            for node in obj.walk():
                assert len(node.value) <= len(data)


@given(st.lists(tlv_objects(), min_size=1, max_size=4))
def test_fuzz_encoded_objects_parse_back(objects: list[bytes]) -> None:
    parsed = tlv.parse(b"".join(objects))
    assert len(parsed) == len(objects)
    assert [tlv.encode(o.tag, o.value) for o in parsed] == objects


@given(st.lists(tlv_objects(), min_size=1, max_size=3), st.data())
def test_fuzz_truncated_split_and_duplicated_streams(
    objects: list[bytes], data: st.DataObject
) -> None:
    stream = b"".join(objects)
    cut = data.draw(st.integers(0, len(stream)))
    # truncated: a prefix parses (if it happens to end on a boundary) or fails typed
    _parse_or_error(stream[:cut])
    # split: each half alone parses or fails typed, never anything else
    _parse_or_error(stream[cut:])
    # duplicated: the same objects twice
    assert len(tlv.parse(stream + stream)) == 2 * len(objects)


@given(st.lists(tlv_objects(), min_size=1, max_size=3), st.data())
def test_fuzz_mangled_bytes_never_crash(objects: list[bytes], data: st.DataObject) -> None:
    stream = bytearray(b"".join(objects))
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(stream) - 1))
        stream[i] = data.draw(st.integers(0, 255))
    _parse_or_error(bytes(stream))
