"""Words in the citizen's own hand: a complaint's text, a bad rating's "what went wrong".
Typed in pinyin on our big letter keys, a character picked from the candidates (the
form screen's input). The draft lives in the session, so the wipe takes it."""

from __future__ import annotations

from kivy.properties import NumericProperty, StringProperty

from kiosk.flows.base import Invalid
from kiosk.flows.intents import TextEntered
from kiosk.ime import PinyinIme
from screens.base import KioskScreen
from screens.form import CANDIDATES_PER_PAGE, fitted
from screens.widgets import KButton

DRAFT = "_compose"  # the draft's key in session.answers, removed once sent
PUNCTUATION = ("，", "。", "？", "！")


class ComposeScreen(KioskScreen):
    title = StringProperty("")
    text = StringProperty("")
    preedit = StringProperty("")
    count = StringProperty("")
    error_text = StringProperty("")
    candidate_page = NumericProperty(0)

    def _spec(self) -> tuple[str, str, int, int]:
        flow = self.app.flow
        if flow is None or not hasattr(flow, "compose_spec"):
            return "compose.title", "", 0, 300
        return flow.compose_spec()  # type: ignore[no-any-return]

    def _ime(self) -> PinyinIme:
        session = self.app.session
        if session.ime is None or session.ime.mode != "text":
            session.ime = PinyinIme("text")
        return session.ime  # type: ignore[no-any-return]

    @property
    def draft(self) -> str:
        answers = self.app.session.answers
        if DRAFT not in answers:
            answers[DRAFT] = self._spec()[1]
        return str(answers[DRAFT])

    def _set_draft(self, value: str) -> None:
        self.app.session.answers[DRAFT] = value[: self._spec()[3]]

    def render(self) -> None:
        app = self.app
        title_key, _text, _minimum, maximum = self._spec()
        self.title = app.tr(title_key)
        self.text = self.draft
        ime = self._ime()
        self.preedit = ime.preedit
        self.count = app.tr("compose.count", n=len(self.text), max=maximum)
        self._render_candidates(ime)

    def _render_candidates(self, ime: PinyinIme) -> None:
        bar = self.ids.candidates
        bar.clear_widgets()
        if not ime.letters:
            for mark in PUNCTUATION:
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
        self.error_text = ""
        if key == "back":
            if not ime.backspace():
                self._set_draft(self.draft[:-1])
        elif key == "clear":
            ime.clear()
            self._set_draft("")
        elif key == "space":
            first = ime.candidates(1)
            if first:
                self.choose(first[0])
                return
            self._set_draft(self.draft + " ")
        else:
            try:
                ime.feed(key)
            except ValueError:
                return  # too many pending letters: the key does nothing
        self.render()

    def choose(self, text: str) -> None:
        committed = self._ime().choose(text)
        self.candidate_page = 0
        self.add_text(committed)

    def add_text(self, text: str) -> None:
        self._set_draft(self.draft + text)
        self.error_text = ""
        self.render()

    def done(self) -> None:
        session = self.app.session
        if session.ime is not None:
            session.ime.clear()
        result = self.app.send(TextEntered(self.draft))
        if not isinstance(result, Invalid):
            session.answers.pop(DRAFT, None)

    def show_errors(self, errors: dict[str, str]) -> None:
        _title, _text, minimum, maximum = self._spec()
        limits = {"min": minimum, "max": maximum}
        self.error_text = "\n".join(self.app.tr(k, **limits) for k in errors.values())

    def reset(self) -> None:
        for name in ("title", "text", "preedit", "count", "error_text"):
            setattr(self, name, "")
        self.candidate_page = 0
        self.ids.candidates.clear_widgets()
