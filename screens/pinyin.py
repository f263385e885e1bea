"""Pinyin input on our big letter keys, shared by every screen that takes words: the
form's text fields and the compose screen (a complaint, a bad rating's reasons).

The screen says where the text lives (:meth:`_text`, :meth:`_set_text`; a draft in the
session, so the wipe takes it) and which IME mode it wants (:meth:`_ime`); this mixin
turns letter keys into preedit, candidates and committed characters. The IME itself is
kept in the session as well (``session.ime``).
"""

from __future__ import annotations

from typing import Any, Literal

from kivy.metrics import dp

from kiosk.ime import PinyinIme
from screens.widgets import KButton

CANDIDATES_PER_PAGE = 6


def fitted(button: KButton) -> KButton:
    """A button as wide as its text (candidate characters vary from 1 to 4 characters)."""
    button.fit = True
    button.size_hint_x = None
    button.bind(texture_size=lambda b, size: setattr(b, "width", max(size[0] + dp(36), dp(72))))
    return button


class PinyinInput:
    """Mixin for a :class:`~screens.base.KioskScreen` with ``ids.candidates`` (the bar),
    ``preedit`` and ``candidate_page`` properties."""

    app: Any
    ids: Any
    preedit: str
    candidate_page: int
    idle_marks: tuple[str, ...] = ()  # shown in the bar while no letters are pending
    spaces = False  # whether the space key types a space when there is nothing to pick

    # ---- what the screen provides ----

    def _ime(self) -> PinyinIme:
        raise NotImplementedError

    def _text(self) -> str:
        raise NotImplementedError

    def _set_text(self, value: str) -> None:
        raise NotImplementedError

    def _edited(self) -> None:
        """After any change to the text or the pending letters: clear errors, render."""
        raise NotImplementedError

    def render(self) -> None:
        raise NotImplementedError

    # ---- shared ----

    def ime_in(self, mode: Literal["text", "name"]) -> PinyinIme:
        session = self.app.session
        if session.ime is None or session.ime.mode != mode:
            session.ime = PinyinIme(mode)
        return session.ime  # type: ignore[no-any-return]

    def render_candidates(self, ime: PinyinIme) -> None:
        bar = self.ids.candidates
        bar.clear_widgets()
        self.preedit = ime.preedit
        if not ime.letters:
            for mark in self.idle_marks:
                button = fitted(KButton(text=mark, tid=f"punct-{mark}", kind="secondary"))
                button.bind(on_release=lambda _b, m=mark: self.add_text(m))
                bar.add_widget(button)
            return
        page = ime.candidates(CANDIDATES_PER_PAGE, int(self.candidate_page))
        for i, text in enumerate(page):
            button = fitted(KButton(text=text, tid=f"cand-{i}", kind="secondary"))
            button.bind(on_release=lambda _b, t=text: self.choose(t))
            bar.add_widget(button)
        more = ime.candidates(CANDIDATES_PER_PAGE, int(self.candidate_page) + 1)
        if more or self.candidate_page:
            button = fitted(KButton(text=self.app.tr("form.more"), tid="cand-more", kind="quiet"))
            button.bind(on_release=lambda _b: self.next_candidates(bool(more)))
            bar.add_widget(button)

    def next_candidates(self, more: bool) -> None:
        self.candidate_page = self.candidate_page + 1 if more else 0
        self.render()

    def on_letter(self, key: str) -> None:
        ime = self._ime()
        self.candidate_page = 0
        if key == "back":
            if not ime.backspace():
                self._set_text(self._text()[:-1])
        elif key == "clear":
            ime.clear()
            self._set_text("")
        elif key == "space":
            first = ime.candidates(1)
            if first:
                self.choose(first[0])
                return
            if self.spaces:
                self._set_text(self._text() + " ")
        else:
            try:
                ime.feed(key)
            except ValueError:
                return  # too many pending letters: the key does nothing
        self._edited()

    def choose(self, text: str) -> None:
        committed = self._ime().choose(text)
        self.candidate_page = 0
        self.add_text(committed)

    def add_text(self, text: str) -> None:
        self._set_text(self._text() + text)
        self._edited()
