"""Bytes to text: raw bytes, then ECI, then the likeliest charset, pinned case by case.

Which charset, when none is declared: tests/devices/qr/test_qr_charset.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.qr.text import (
    ECI_CODECS,
    Segment,
    decode_segments,
    decode_transmitted,
    guess_text,
    parse_transmitted,
)


def test_utf8_without_eci() -> None:
    assert guess_text("王芳".encode()) == ("王芳", "utf-8")


def test_utf8_bom_is_dropped() -> None:
    assert guess_text(b"\xef\xbb\xbf" + "社保".encode()) == ("社保", "utf-8")


def test_gbk_without_eci_is_read_as_gb18030() -> None:
    assert guess_text("王芳".encode("gbk")) == ("王芳", "gb18030")
    assert guess_text("居民户口簿".encode("gbk")) == ("居民户口簿", "gb18030")


def test_shift_jis_without_eci_is_read_as_shift_jis() -> None:
    # Regression (issue 19): read as GB18030 mojibake, 儌僶僀儖.
    assert guess_text("モバイル".encode("shift_jis")) == ("モバイル", "shift_jis")


def test_short_all_chinese_utf8_is_not_shift_jis() -> None:
    # Regression: ZBar's guess reads these UTF-8 bytes as Shift-JIS (王芳 -> 邇玖患).
    for name in ("王芳", "杨周", "刘王", "李口"):
        assert guess_text(name.encode()) == (name, "utf-8")


def test_ascii_and_empty() -> None:
    assert guess_text(b"https://example.cn/?a=1") == ("https://example.cn/?a=1", "utf-8")
    assert guess_text(b"") == ("", "utf-8")


def test_neither_utf8_nor_gb18030_falls_back_to_latin1() -> None:
    # 0x80 alone is invalid UTF-8 and an incomplete GB18030 sequence at the end.
    assert guess_text(b"caf\xe9") == ("café", "latin-1")


def test_declared_eci_wins_over_the_guess() -> None:
    data = b"]Q2\\000026" + "王芳".encode()
    assert decode_transmitted(data).text == "王芳"
    assert decode_transmitted(data).encodings == ("eci:26",)
    gb = b"]Q2\\000032" + "王芳".encode("gb18030")
    assert decode_transmitted(gb).text == "王芳"
    latin = b"]Q2\\000003caf\xe9"
    assert decode_transmitted(latin) == decode_segments([Segment(3, b"caf\xe9")])
    assert decode_transmitted(latin).text == "café"


def test_eci_that_does_not_fit_the_bytes_falls_back_to_the_guess() -> None:
    # An ECI 26 (UTF-8) label on GBK bytes: the generator lied; the guess still reads it.
    data = b"]Q2\\000026" + "王芳".encode("gbk")
    assert decode_transmitted(data).text == "王芳"
    assert decode_transmitted(data).encodings == ("gb18030",)


def test_binary_and_unknown_ecis_are_guessed() -> None:
    assert decode_transmitted(b"]Q2\\000899" + "户口".encode()).text == "户口"
    assert decode_transmitted(b"]Q2\\000777" + "户口".encode("gbk")).text == "户口"


def test_no_eci_protocol_keeps_backslashes() -> None:
    assert parse_transmitted(b"]Q1a\\b") == [Segment(None, b"a\\b")]
    assert parse_transmitted(b"plain") == [Segment(None, b"plain")]
    assert parse_transmitted(b"") == []
    assert parse_transmitted(b"]Q1") == []


def test_eci_protocol_escapes() -> None:
    data = b"]Q2\\000026a\\\\b\\000003c\xe9"
    assert parse_transmitted(data) == [Segment(26, b"a\\b"), Segment(3, b"c\xe9")]
    assert decode_transmitted(data).text == "a\\bcé"


def test_damaged_escape_is_kept_as_bytes() -> None:
    assert parse_transmitted(b"]Q2a\\12b") == [Segment(None, b"a\\12b")]


def test_character_split_across_segments_still_decodes() -> None:
    raw = "王".encode()
    segs = [Segment(None, raw[:1]), Segment(899, raw[1:])]
    assert decode_segments(segs).text == "王"


def _transmit(segments: list[Segment]) -> bytes:
    out = bytearray(b"]Q2")
    for seg in segments:
        out += b"\\%06d" % seg.eci + seg.data.replace(b"\\", b"\\\\")
    return bytes(out)


@given(
    st.lists(
        st.tuples(st.sampled_from(sorted(ECI_CODECS)), st.binary(min_size=1, max_size=20)),
        min_size=1,
        max_size=5,
    )
)
def test_parse_transmitted_round_trips(pairs: list[tuple[int, bytes]]) -> None:
    segments = [Segment(eci, data) for eci, data in pairs]
    assert parse_transmitted(_transmit(segments)) == segments


@given(st.text(max_size=40))
def test_any_utf8_text_decodes_to_a_reading_of_its_bytes(text: str) -> None:
    # Any text at all: UTF-8 text made only of one- and two-byte characters can also be
    # GBK, and is then read as whichever is likelier (test_qr_charset.py).
    data = text.encode()
    got, how = guess_text(data)
    if data.startswith(b"\xef\xbb\xbf"):  # a leading BOM is dropped
        assert (got, how) == (text[1:], "utf-8")
    else:
        assert got == data.decode(how)


@given(st.binary(max_size=64))
def test_any_bytes_decode_to_something(data: bytes) -> None:
    text = decode_transmitted(data)
    labels = {"utf-8", "gb18030", "shift_jis", "latin-1"} | {f"eci:{n}" for n in ECI_CODECS}
    assert set(text.encodings) <= labels
    assert len(text.text) <= len(data)


@pytest.mark.parametrize("eci", sorted(ECI_CODECS))
def test_every_eci_names_a_python_codec(eci: int) -> None:
    "abc".encode(ECI_CODECS[eci])
