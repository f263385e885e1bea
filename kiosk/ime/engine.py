"""``PinyinIme``: the state of one text field's pinyin input, driven by the on-screen keyboard.

The widget feeds it letters, shows :meth:`PinyinIme.candidates` page by page, and inserts
whatever :meth:`PinyinIme.choose` returns; letters the choice did not use stay pending, so
``wangxiuying`` → 王 leaves ``xiuying``. Nothing here touches the screen or the disk, and no
letter or text is ever logged (they are names and addresses).
"""

from __future__ import annotations

import re
from typing import Literal

from kiosk.errors import KioskError
from kiosk.ime.ranking import Candidate, ranked
from kiosk.ime.syllables import SEPARATOR, parse

Mode = Literal["text", "name"]
MAX_LETTERS = 64  # bounds the work one keystroke can cause; an address typed in one go fits
_TYPED = re.compile(r"[a-z' ]*")


class ImeInputError(KioskError, ValueError):
    """A key or a choice the IME cannot take; its state is left as it was. The widget only
    offers keys and candidates the IME takes, so the citizen sees the generic message."""


class PinyinIme:
    """Pending pinyin letters, their candidates, and what has been chosen since :meth:`clear`.

    ``mode="name"`` ranks family names first until the first part of the name is chosen,
    then common given names; the widget calls :meth:`clear` whenever its field is emptied.
    """

    def __init__(self, mode: Mode = "text", *, max_letters: int = MAX_LETTERS) -> None:
        if mode not in ("text", "name"):
            raise ImeInputError(f"unknown IME mode {mode!r}")
        self._mode: Mode = mode
        self._max = max_letters
        self._letters = ""
        self._committed = ""
        self._memo: tuple[tuple[str, bool], tuple[Candidate, ...]] | None = None

    @property
    def mode(self) -> Mode:
        return self._mode

    @property
    def letters(self) -> str:
        """The pending letters, lowercase; an apostrophe separates syllables (``xi'an``)."""
        return self._letters

    @property
    def committed(self) -> str:
        """The text chosen since the last :meth:`clear`."""
        return self._committed

    @property
    def preedit(self) -> str:
        """The pending letters as the IME reads them, for display: ``wang'xiu'ying``."""
        parsed = parse(self._letters)
        if not parsed.readings:
            return self._letters
        read = SEPARATOR.join(t.text for t in parsed.readings[0])
        return read + self._letters[parsed.covered :]

    def feed(self, letters: str) -> None:
        """Append typed keys: a–z (either case), and ``'`` or a space between syllables."""
        typed = letters.lower()
        if not letters.isascii() or not _TYPED.fullmatch(typed):  # ascii first: K → k
            raise ImeInputError("only the letters a-z and ' can be typed as pinyin")
        typed = typed.replace(" ", SEPARATOR)
        if len(self._letters) + len(typed) > self._max:
            raise ImeInputError(f"at most {self._max} pinyin letters can be pending")
        self._letters += typed

    def candidates(self, limit: int = 10, page: int = 0) -> list[str]:
        """One page of candidates, best first; an empty list past the last page or when no
        syllable can start with the pending letters."""
        if limit < 1 or page < 0:
            raise ImeInputError(f"bad candidate page {page} of size {limit}")
        found = self._ranked()
        return [c.text for c in found[page * limit : (page + 1) * limit]]

    def choose(self, candidate: str) -> str:
        """Commit ``candidate`` (any candidate of the pending letters, on any page): returns
        the text to insert and leaves the letters it did not use pending."""
        for text, end in self._ranked():
            if text == candidate:
                rest = self._letters[end:].lstrip(SEPARATOR)
                self._letters = rest
                self._committed += text
                return text
        raise ImeInputError("not a candidate of the pending letters")

    def backspace(self) -> bool:
        """Drop the last pending letter; False if none was pending (the widget then deletes
        from its field instead)."""
        if not self._letters:
            return False
        self._letters = self._letters[:-1]
        return True

    def clear(self) -> None:
        """Forget the pending letters, what was chosen and the last candidates: a new, empty
        field. Call it when the citizen's session ends; the IME keeps nothing else."""
        self._letters = ""
        self._committed = ""
        self._memo = None

    def _ranked(self) -> tuple[Candidate, ...]:
        """The candidates of the pending letters, remembered until the letters change (the
        widget asks for a page, then chooses from it)."""
        if not self._letters:
            return ()
        name = self._mode == "name"
        key = (self._letters, name and not self._committed)
        if self._memo is None or self._memo[0] != key:
            self._memo = (key, ranked(self._letters, name, key[1]))
        return self._memo[1]
