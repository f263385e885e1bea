"""Property tests: whatever is typed, the IME answers with Han text and never gets stuck."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.ime import MAX_LETTERS, PinyinIme

LETTERS = st.text(alphabet=string.ascii_letters, max_size=MAX_LETTERS)
TYPED = st.text(alphabet=string.ascii_letters + "' ", max_size=24)


def _is_han(text: str) -> bool:
    return bool(text) and all(0x4E00 <= ord(c) <= 0x9FA5 for c in text)


@settings(max_examples=200, deadline=None)
@given(LETTERS, st.sampled_from(["text", "name"]))
def test_random_letters_give_han_candidates_and_each_choice_uses_letters(
    letters: str, mode: str
) -> None:
    ime = PinyinIme(mode="name" if mode == "name" else "text")
    ime.feed(letters)
    chosen = ""
    while found := ime.candidates(limit=5):
        assert all(_is_han(c) for c in found)
        before = ime.letters
        chosen += ime.choose(found[-1])
        assert len(ime.letters) < len(before)
        assert before.endswith(ime.letters)
    assert ime.committed == chosen
    assert ime.letters.lstrip("'")[:1] in {"", "i", "u", "v"}  # only unreadable letters remain


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(TYPED, st.sampled_from(["<bs>", "<choose>", "<clear>"])), max_size=12))
def test_any_sequence_of_keys_keeps_the_ime_consistent(keys: list[str]) -> None:
    ime = PinyinIme(mode="name")
    for key in keys:
        if key == "<bs>":
            ime.backspace()
        elif key == "<choose>":
            found = ime.candidates()
            if found:
                ime.choose(found[0])
        elif key == "<clear>":
            ime.clear()
        elif len(ime.letters) + len(key) <= MAX_LETTERS:
            ime.feed(key)
        assert all(_is_han(c) for c in ime.candidates(limit=20))
        assert set(ime.letters) <= set(string.ascii_lowercase + "'")
