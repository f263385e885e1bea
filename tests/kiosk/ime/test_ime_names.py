"""Name mode: family names first, then common given names; and the name lists themselves."""

from __future__ import annotations

import pytest

from kiosk.ime import PinyinIme, data
from kiosk.ime.lexicon import lexicon


def _name(letters: str) -> PinyinIme:
    ime = PinyinIme(mode="name")
    ime.feed(letters)
    return ime


@pytest.mark.parametrize(
    ("letters", "surname"),
    [("wang", "王"), ("zhang", "张"), ("li", "李"), ("lv", "吕"), ("zeng", "曾"), ("qin", "秦")],
)
def test_the_commonest_surname_comes_first(letters: str, surname: str) -> None:
    assert _name(letters).candidates()[0] == surname


def test_name_mode_changes_what_comes_first() -> None:
    text = PinyinIme()
    text.feed("zhang")
    assert text.candidates()[0] != "张"
    assert _name("zhang").candidates()[0] == "张"


def test_rarer_surnames_of_the_same_sound_follow_in_order() -> None:
    li = _name("li").candidates()
    assert li[:2] == ["李", "黎"]
    assert _name("zhang").candidates()[:2] == ["张", "章"]


def test_compound_surnames() -> None:
    assert _name("ouyang").candidates()[0] == "欧阳"
    assert _name("zhuge").candidates()[0] == "诸葛"
    ime = _name("ouyangxiu")
    assert ime.choose("欧阳") == "欧阳"
    assert ime.letters == "xiu"


def test_a_full_common_name_is_offered_whole() -> None:
    ime = _name("wangxiuying")
    assert ime.candidates()[:2] == ["王秀英", "汪秀英"]
    assert "王" in ime.candidates()


def test_after_the_surname_given_names_come_first() -> None:
    ime = _name("wangxiuying")
    ime.choose("王")
    assert ime.candidates()[0] == "秀英"
    ime.clear()
    ime.feed("li")
    assert ime.candidates()[0] == "李"  # a new, empty field: surnames first again


def test_surnames_lead_only_at_the_start_of_the_name() -> None:
    ime = _name("wang")
    ime.choose("王")
    ime.feed("li")
    assert ime.candidates()[0] != "李"


def test_typed_initials_find_surname_and_given_name() -> None:
    assert _name("wxy").candidates()[0] == "王秀英"
    assert _name("w").candidates()[0] == "王"


def test_each_listed_reading_is_one_pypinyin_gives_the_character() -> None:
    """A typo in the lists would make a name unreachable; pypinyin keeps them honest."""
    from pypinyin.pinyin_dict import pinyin_dict

    from kiosk.ime.lexicon import _bare

    cache: dict[str, str] = {}
    entries = data.pairs(data.SURNAMES) + data.pairs(data.GIVEN_NAMES)
    assert len(entries) == len({text for text, _ in entries})
    for text, syllables in entries:
        assert len(text) == len(syllables), text
        for char, syllable in zip(text, syllables, strict=True):
            readings = {_bare(r, cache) for r in pinyin_dict[ord(char)].split(",")}
            assert syllable in readings, (text, syllable)


def test_the_lists_are_the_size_promised() -> None:
    surnames = [t for t, _ in data.pairs(data.SURNAMES) if len(t) == 1]
    assert len(surnames) >= 100
    assert surnames[:5] == ["王", "李", "张", "刘", "陈"]
    assert len(data.FREQUENT) == len(set(data.FREQUENT)) > 500
    offered = {c for chars in lexicon().chars.values() for c in chars}
    assert set(data.FREQUENT) <= offered
