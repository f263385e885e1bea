"""Segmentation of typed letters into pinyin syllables: valid, ambiguous, abbreviated, bad."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.ime import SYLLABLES, segment
from kiosk.ime.syllables import PREFIXES, SEPARATOR, expand, parse


@pytest.mark.parametrize(
    ("letters", "first"),
    [
        ("zhongguo", ("zhong", "guo")),
        ("wangxiuying", ("wang", "xiu", "ying")),
        ("donghucun", ("dong", "hu", "cun")),
        ("shanghai", ("shang", "hai")),
        ("ZhangSan", ("zhang", "san")),
        ("lv", ("lv",)),
        ("nver", ("nv", "er")),
        ("lue", ("lve",)),  # lüe typed as lue, as every IME allows
    ],
)
def test_valid_pinyin_is_read_longest_first(letters: str, first: tuple[str, ...]) -> None:
    assert segment(letters)[0] == first


def test_ambiguous_letters_offer_every_reading_longest_first() -> None:
    assert segment("xian") == [("xian",), ("xi", "an")]
    assert segment("fangan")[:2] == [("fang", "an"), ("fan", "gan")]


def test_an_apostrophe_forces_the_split() -> None:
    assert segment("xi'an") == [("xi", "an")]
    assert segment("'xi''an'") == [("xi", "an")]


def test_an_unfinished_last_syllable_is_kept_as_a_prefix() -> None:
    reading = parse("zhongg").readings[0]
    assert [(t.text, t.complete) for t in reading] == [("zhong", True), ("g", False)]
    assert "guo" in expand(reading[1])


def test_initials_are_read_only_when_full_pinyin_fails() -> None:
    bj = parse("bj")
    assert bj.abbreviated
    assert segment("bj") == [("b", "j")]
    assert segment("wangxy") == [("wang", "x", "y")]
    assert not parse("beijing").abbreviated


@pytest.mark.parametrize("letters", ["", "'", "'''", "i", "u", "v", "iiii", "vvv"])
def test_letters_no_syllable_starts_with_give_no_reading(letters: str) -> None:
    parsed = parse(letters)
    assert parsed.readings == ()
    assert parsed.covered == 0
    assert segment(letters) == []


def test_an_unreadable_tail_is_left_out_of_the_reading() -> None:
    parsed = parse("wangi")
    assert parsed.covered == 4
    assert segment("wangi") == [("wang",)]


def test_the_table_matches_the_readings_pypinyin_gives_the_offered_characters() -> None:
    """Guards an upgrade of pypinyin: a syllable it adds or drops must be looked at."""
    from pypinyin.pinyin_dict import pinyin_dict

    found = set()
    for code, readings in pinyin_dict.items():
        if 0x4E00 <= code <= 0x9FA5:
            for reading in readings.split(","):
                decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
                found.add("".join(c for c in decomposed if not unicodedata.combining(c)))
    assert found - {"m", "n", "ng", "hm", "hng"} == SYLLABLES
    assert len(SYLLABLES) == 414


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.ascii_lowercase + SEPARATOR, max_size=64))
def test_every_reading_spells_exactly_the_covered_letters(letters: str) -> None:
    parsed = parse(letters)
    head = letters[: parsed.covered].replace(SEPARATOR, "")
    for reading in parsed.readings:
        assert "".join(letters[t.start : t.end] for t in reading) == head
        for token in reading:
            assert token.text in (SYLLABLES if token.complete else PREFIXES)
            assert SEPARATOR not in letters[token.start : token.end]
    assert bool(parsed.readings) == bool(head)
