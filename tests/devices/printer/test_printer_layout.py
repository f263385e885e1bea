"""Wrapping mixed Chinese (2 columns) and Latin (1 column) text on 58 and 80 mm paper."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.printer import KeyValue, Text, get_profile
from devices.printer.decode import decode
from devices.printer.encoder import encode
from devices.printer.layout import (
    EncodeError,
    key_value_lines,
    normalize,
    text_cols,
    wrap,
)

ALPHABET = st.sampled_from(
    list("abcXYZ019 -./:") + list("中文受理回执张村镇") + list("，。：（）￥、《》“”·")
)
TEXT = st.text(ALPHABET, max_size=120)
COLS = st.sampled_from([32, 48, 16, 24, 10, 5, 4])


def squeeze(text: str) -> str:
    return text.replace(" ", "").replace("\n", "")


@given(TEXT, COLS)
def test_wrap_never_overflows_and_loses_nothing(text: str, cols: int) -> None:
    lines = wrap(text, cols)
    assert all(text_cols(line) <= cols for line in lines)
    assert squeeze("".join(lines)) == squeeze(text)


@given(st.text(ALPHABET, min_size=1, max_size=12), TEXT, COLS)
def test_key_value_never_overflows_and_loses_nothing(key: str, value: str, cols: int) -> None:
    lines = key_value_lines(key, "：", value, cols)
    assert all(text_cols(line) <= cols for line in lines)
    assert squeeze("".join(lines)) == squeeze(key + "：" + value)


@settings(max_examples=60)
@given(st.text(ALPHABET, min_size=1, max_size=10), TEXT, st.sampled_from(["58mm", "80mm"]))
def test_printed_key_value_fits_the_profile(key: str, value: str, profile: str) -> None:
    """Through the real encoder and decoder: what the printer gets fits its columns."""
    job = decode(encode([KeyValue(key, value)], profile))
    columns = get_profile(profile).columns
    assert all(text_cols(line) <= columns for line in job.lines)
    assert squeeze("".join(job.lines)) == squeeze(key + "：" + value)


@settings(max_examples=40)
@given(TEXT, st.integers(1, 4), st.sampled_from(["58mm", "80mm"]))
def test_printed_large_text_fits_the_profile(text: str, size: int, profile: str) -> None:
    job = decode(encode([Text(text, size=size)], profile))
    columns = get_profile(profile).columns
    assert all(text_cols(line) * size <= columns for line in job.lines)


def test_chinese_counts_two_columns_latin_one() -> None:
    assert text_cols("受理No.1") == 2 * 2 + 4
    assert text_cols("“·”") == 6  # one GB double-byte code each: two columns on paper


def test_latin_words_are_not_split_when_they_fit() -> None:
    assert wrap("please bring your card", 12) == ["please bring", "your card"]


def test_words_longer_than_a_line_are_split() -> None:
    assert wrap("370102202405060000123", 8) == ["37010220", "24050600", "00123"]


def test_closing_punctuation_never_starts_a_line() -> None:
    lines = wrap("一二三四五，六", 10)
    assert lines == ["一二三四", "五，六"]


def test_opening_brackets_never_end_a_line() -> None:
    # issue 19, item 3: the notice sheet printed "【" at a line's end and "缺】" below
    assert wrap("一二三（四五）", 8) == ["一二三", "（四五）"]
    assert wrap("一二三。”五", 8) == ["一二", "三。”五"]
    assert wrap("金额：￥12.50元整", 10) == ["金额：", "￥12.50元", "整"]


def test_key_value_hanging_indent() -> None:
    assert key_value_lines("事项", "：", "城乡居民基本养老保险", 16) == [
        "事项：城乡居民基",
        "      本养老保险",
    ]


def test_long_key_puts_the_value_on_its_own_lines() -> None:
    lines = key_value_lines("非常非常长的一个标签", "：", "值", 16)
    assert lines == ["非常非常长的一个", "标签：", "值"]


def test_blank_lines_survive() -> None:
    assert wrap("a\n\nb", 10) == ["a", "", "b"]
    assert wrap("", 10) == [""]


def test_normalize_replaces_lookalikes_and_refuses_controls() -> None:
    assert normalize("¥\u00a01\t2\r") == "￥ 1 2"
    with pytest.raises(EncodeError):
        normalize("a\x07")
    with pytest.raises(EncodeError):
        normalize("a\x85")


def test_text_too_large_for_the_paper_is_an_error() -> None:
    with pytest.raises(EncodeError, match="too large"):
        wrap("字", 1)
