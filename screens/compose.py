"""Words in the citizen's own hand: a complaint's text, a bad rating's "what went wrong".
Typed in pinyin on our big letter keys, a character picked from the candidates
(screens/pinyin.py, as in the form's text fields). The draft lives in the session, so
the wipe takes it."""

from __future__ import annotations

from kivy.properties import NumericProperty, StringProperty

from kiosk.flows.base import Invalid
from kiosk.flows.intents import TextEntered
from kiosk.ime import PinyinIme
from screens.base import ErrorLineScreen
from screens.pinyin import PinyinInput

DRAFT = "_compose"  # the draft's key in session.answers, removed once sent
PUNCTUATION = ("，", "。", "？", "！")


class ComposeScreen(PinyinInput, ErrorLineScreen):
    title = StringProperty("")
    text = StringProperty("")
    preedit = StringProperty("")
    count = StringProperty("")
    candidate_page = NumericProperty(0)
    idle_marks = PUNCTUATION
    spaces = True

    def _spec(self) -> tuple[str, str, int, int]:
        flow = self.app.flow
        if flow is None or not hasattr(flow, "compose_spec"):
            return "compose.title", "", 0, 300
        return flow.compose_spec()  # type: ignore[no-any-return]

    # ---- the pinyin input's hooks: the draft, in the session ----

    def _ime(self) -> PinyinIme:
        return self.ime_in("text")

    def _text(self) -> str:
        answers = self.app.session.answers
        if DRAFT not in answers:
            answers[DRAFT] = self._spec()[1]
        return str(answers[DRAFT])

    def _set_text(self, value: str) -> None:
        self.app.session.answers[DRAFT] = value[: self._spec()[3]]

    def _edited(self) -> None:
        self.error_text = ""
        self.render()

    def render(self) -> None:
        app = self.app
        title_key, _text, _minimum, maximum = self._spec()
        self.title = app.tr(title_key)
        self.text = self._text()
        self.count = app.tr("compose.count", n=len(self.text), max=maximum)
        self.render_candidates(self._ime())

    def done(self) -> None:
        session = self.app.session
        if session.ime is not None:
            session.ime.clear()
        result = self.app.runner.send(TextEntered(self._text()))
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
