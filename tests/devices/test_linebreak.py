"""Chinese line breaking (禁则): golden cases, and properties over mixed Chinese, Latin
and punctuation at any width."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from devices.linebreak import NO_LINE_END, NO_LINE_START, break_lines, pieces, units
from tests.support.linebreak import break_faults


def chars(n: int):  # type: ignore[no-untyped-def]
    """Every character one unit wide: a line fits when it has at most ``n`` characters."""
    return lambda line: len(line) <= n


def cols(n: int):  # type: ignore[no-untyped-def]
    """Paper's measure: ASCII one column, anything else two."""
    return lambda line: sum(1 if ord(c) < 0x80 else 2 for c in line) <= n


# ---- golden cases ----


def test_a_full_stop_never_stands_alone() -> None:
    # the payment screen's bug (issue 19, item 3): Kivy put "。" on a line of its own
    lines = break_lines("付款成功后本机会自动继续。", chars(12))
    assert lines == ["付款成功后本机会自动继", "续。"]


@pytest.mark.parametrize(
    ("text", "n", "lines"),
    [
        ("一二三四，五六", 4, ["一二三", "四，五六"]),
        ("一二三四。”五", 4, ["一二三", "四。”五"]),  # a chain of closers goes together
        ("一二三、四五六", 3, ["一二", "三、四", "五六"]),
        ("请稍候……好吗", 4, ["请稍", "候……好", "吗"]),  # …… unsplit, not at a start
        ("他——我们", 3, ["他——", "我们"]),
        ("完成率100％。", 7, ["完成率", "100％。"]),
    ],
)
def test_closing_punctuation_takes_the_character_before_along(
    text: str, n: int, lines: list[str]
) -> None:
    assert break_lines(text, chars(n)) == lines


@pytest.mark.parametrize(
    ("text", "n", "lines"),
    [
        ("请带上户口簿（首页）", 7, ["请带上户口簿", "（首页）"]),
        ("依据《社会保险法》办理", 3, ["依据", "《社会", "保险", "法》办", "理"]),
        ("他说“好的”", 3, ["他说", "“好", "的”"]),
        ("证件【必交】【缺】", 7, ["证件【必交】", "【缺】"]),
        ("费用：￥12.50元", 7, ["费用：", "￥12.50元"]),  # the sign stays with the amount
    ],
)
def test_an_opening_bracket_never_ends_a_line(text: str, n: int, lines: list[str]) -> None:
    assert break_lines(text, chars(n)) == lines


def test_latin_words_and_numbers_stay_whole() -> None:
    text = "请用银行App扫描"
    assert break_lines(text, chars(5)) == ["请用银行", "App扫描"]
    assert break_lines("办结日期2026-12-25前", chars(10)) == ["办结日期", "2026-12-25", "前"]
    assert break_lines("please bring your card", chars(12)) == ["please bring", "your card"]
    # a word is whatever runs between spaces and Chinese: dashes, apostrophes, ¥ inside
    assert break_lines("Time: 9:00–9:30 today", chars(10)) == ["Time:", "9:00–9:30", "today"]
    assert break_lines("this station’s desk", chars(12)) == ["this", "station’s", "desk"]
    assert break_lines("Fee ¥12.50 only", chars(8)) == ["Fee", "¥12.50", "only"]


def test_english_breaks_at_spaces_and_drops_them() -> None:
    text = "Scan the payment code on the right, then pay."
    assert break_lines(text, chars(16)) == ["Scan the payment", "code on the", "right, then pay."]


def test_a_word_longer_than_a_line_is_split_at_its_characters() -> None:
    assert break_lines("370102202405060000123", chars(8)) == ["37010220", "24050600", "00123"]
    assert break_lines("编号370102202405", chars(6)) == ["编号", "370102", "202405"]


def test_paper_columns() -> None:
    assert break_lines("一二三四五，六", cols(10)) == ["一二三四", "五，六"]
    assert break_lines("Mixed 混排 ABC 123 中文 xyz", cols(10)) == [
        "Mixed 混排",
        "ABC 123 中",
        "文 xyz",
    ]


def test_newlines_and_blank_lines_survive() -> None:
    assert break_lines("a\n\nb", chars(10)) == ["a", "", "b"]
    assert break_lines("", chars(10)) == [""]
    assert break_lines("  indented", chars(20)) == ["  indented"]
    assert break_lines("trailing   ", chars(20)) == ["trailing"]


def test_no_width_at_all_still_ends_one_character_a_line() -> None:
    assert break_lines("一，b", lambda _line: False) == ["一", "，", "b"]


def test_pieces_glue_what_must_not_be_parted() -> None:
    glued = ["银", "行", "App", "扫", "描，", "（首", "页）", "￥5"]
    assert pieces("银行App扫描，（首页）￥5") == glued
    assert units("（首 ab") == ["（", "首", " ", "ab"]
    # across spaces too: a stray space before a full stop is no place to break
    assert pieces("第 5 项 。") == ["第", " ", "5", " ", "项 。"]
    assert pieces("（ 首") == ["（ 首"]


# ---- properties ----

ALPHABET = st.sampled_from(
    list("abcXYZ019 -./:") + list("中文受理回执张村镇") + list("，。：（）￥、《》“”·…—【】％")
)
TEXT = st.text(ALPHABET, max_size=120)
WIDTH = st.integers(1, 40)
MEASURE = st.sampled_from([chars, cols])


def squeeze(text: str) -> str:
    return text.replace(" ", "").replace("\n", "")


def widest_piece(text: str, measure) -> int:  # type: ignore[no-untyped-def]
    """The narrowest width at which every piece of ``text`` fits on a line."""
    width = 1
    for p in (p for para in text.split("\n") for p in pieces(para) if p.strip(" ")):
        while not measure(width)(p):
            width += 1
    return width


@given(TEXT, WIDTH, MEASURE)
def test_nothing_but_spaces_at_breaks_is_lost_and_every_line_fits(text, width, measure) -> None:  # type: ignore[no-untyped-def]
    lines = break_lines(text, measure(width))
    assert squeeze("".join(lines)) == squeeze(text)
    fits = measure(width)
    assert all(fits(line) or len(line) == 1 for line in lines)
    assert all(line == line.rstrip(" ") for line in lines)


@given(TEXT, st.integers(0, 20), MEASURE)
def test_the_rules_hold_wherever_the_pieces_fit(text, extra, measure) -> None:  # type: ignore[no-untyped-def]
    fits = measure(widest_piece(text, measure) + extra)
    for para in text.split("\n"):  # each paragraph starts a line: any character may
        lines = break_lines(para, fits)
        assert break_faults(lines) == []
        for word in re.findall(r"[!-~]+", para):  # Latin words and numbers stay whole
            assert any(word in line for line in lines), (word, lines)


@given(TEXT, WIDTH, MEASURE)
def test_breaking_again_changes_nothing(text, width, measure) -> None:  # type: ignore[no-untyped-def]
    lines = break_lines(text, measure(width))
    assume(all(measure(width)(line) for line in lines))
    assert break_lines("\n".join(lines), measure(width)) == lines


@given(st.text(ALPHABET.filter(lambda c: c != " "), max_size=80), st.integers(0, 20), MEASURE)
def test_lines_are_filled_greedily(text, extra, measure) -> None:  # type: ignore[no-untyped-def]
    """Where every piece fits on a line, a line ends only when the next piece would not
    fit on it (a piece too long for any line starts a fresh one, and is split there)."""
    fits = measure(widest_piece(text, measure) + extra)
    lines = break_lines(text, fits)
    for line, after in itertools.pairwise(lines):
        if line and after:
            assert not fits(line + pieces(after)[0]), (line, after)


def test_the_rule_sets_do_not_overlap() -> None:
    assert not NO_LINE_START & NO_LINE_END
