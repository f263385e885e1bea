"""Feeding, choosing, backspace and clear: the state a text field's IME keeps."""

from __future__ import annotations

import pytest

from kiosk.errors import KioskError, describe
from kiosk.ime import MAX_LETTERS, ImeInputError, PinyinIme


def _ime(letters: str = "", mode: str = "text") -> PinyinIme:
    ime = PinyinIme(mode="name" if mode == "name" else "text")
    ime.feed(letters)
    return ime


def test_choosing_a_character_leaves_the_rest_pending() -> None:
    ime = _ime("wangxiuying")
    assert ime.choose("王") == "王"
    assert ime.letters == "xiuying"
    assert ime.committed == "王"
    assert ime.choose("秀") == "秀"
    assert ime.letters == "ying"


def test_choosing_a_phrase_uses_all_its_letters() -> None:
    ime = _ime("zhongguo")
    assert ime.choose("中国") == "中国"
    assert ime.letters == ""
    assert ime.candidates() == []


def test_choosing_the_other_reading_uses_only_its_letters() -> None:
    ime = _ime("xian")
    assert ime.choose("西") == "西"
    assert ime.letters == "an"


def test_the_apostrophe_after_a_choice_is_dropped() -> None:
    ime = _ime("xi'an")
    ime.choose("西")
    assert ime.letters == "an"


def test_any_page_can_be_chosen_from() -> None:
    ime = _ime("yi")
    far = ime.candidates(limit=10, page=5)[3]
    assert ime.choose(far) == far
    assert ime.letters == ""


def test_a_text_that_is_no_candidate_is_refused_and_nothing_changes() -> None:
    ime = _ime("wang")
    before = ime.candidates()
    for wrong in ("李", "", "wang", "王王"):
        with pytest.raises(ImeInputError):
            ime.choose(wrong)
    assert ime.letters == "wang"
    assert ime.committed == ""
    assert ime.candidates() == before


def test_backspace_removes_one_pending_letter() -> None:
    ime = _ime("zhong")
    assert ime.backspace()
    assert ime.letters == "zhon"
    assert "中" in ime.candidates()  # an unfinished syllable still finds its characters
    for _ in range(4):
        assert ime.backspace()
    assert ime.letters == ""
    assert not ime.backspace()  # nothing pending: the widget deletes from its field


def test_clear_forgets_letters_and_choices() -> None:
    ime = _ime("wangxiuying", mode="name")
    ime.choose("王")
    ime.clear()
    assert (ime.letters, ime.committed) == ("", "")
    assert ime.candidates() == []


def test_keys_are_folded_and_spaces_separate_syllables() -> None:
    ime = _ime("Dong Hu")
    ime.feed("CUN")
    assert ime.letters == "dong'hucun"
    assert ime.preedit == "dong'hu'cun"


def test_preedit_shows_how_the_letters_are_read() -> None:
    assert _ime("wangxiuying").preedit == "wang'xiu'ying"
    assert _ime("wangi").preedit == "wang" + "i"
    assert _ime("iii").preedit == "iii"
    assert _ime("").preedit == ""


@pytest.mark.parametrize("bad", ["3", "wang3", "ü", "ｚ", "\u212a", "-", "\n", "王"])
def test_a_key_that_is_not_pinyin_is_refused_and_nothing_is_lost(bad: str) -> None:
    ime = _ime("wang")
    with pytest.raises(ImeInputError):
        ime.feed(bad)
    assert ime.letters == "wang"
    assert ime.candidates()[0] in {"王", "望"}


def test_too_many_letters_are_refused_and_nothing_is_lost() -> None:
    ime = _ime("a" * (MAX_LETTERS - 1))
    with pytest.raises(ImeInputError):
        ime.feed("ab")
    ime.feed("b")
    assert len(ime.letters) == MAX_LETTERS
    with pytest.raises(ImeInputError):
        ime.feed("a")
    assert ime.letters == "a" * (MAX_LETTERS - 1) + "b"


def test_letters_no_syllable_starts_with_give_no_candidates_but_no_crash() -> None:
    ime = _ime("iuv")
    assert ime.candidates() == []
    with pytest.raises(ImeInputError):
        ime.choose("一")
    ime.clear()
    ime.feed("wangi")
    assert ime.choose("王") == "王"
    assert ime.letters == "i"
    assert ime.candidates() == []


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ImeInputError):
        PinyinIme(mode="wubi")  # type: ignore[arg-type]


def test_the_error_is_a_kiosk_error_with_a_message_key() -> None:
    ime = _ime()
    with pytest.raises(KioskError) as caught:
        ime.feed("3")
    assert isinstance(caught.value, ValueError)
    problem = describe(caught.value)
    assert problem.key == "error.generic"
    assert "3" not in problem.log  # typed text is never echoed into a log line


def test_warm_up_from_threads_builds_one_lexicon() -> None:
    import threading

    from kiosk.ime import warm_up
    from kiosk.ime.lexicon import lexicon

    threads = [threading.Thread(target=warm_up) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert lexicon() is lexicon()
    assert "中" in lexicon().chars["zhong"]
