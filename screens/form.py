"""The application form, filled with our own keypads (never the OS keyboard).

Drafts live in the session, not in the screen, so the wipe takes them with it.
"""

from __future__ import annotations

from typing import Any

from kivy.properties import DictProperty, NumericProperty, StringProperty

from kiosk.flows.base import FormSubmitted
from kiosk.ime import PinyinIme
from screens.base import KioskScreen
from screens.pinyin import PinyinInput
from screens.text import txt
from screens.widgets import KButton, Keypad, LetterKeyboard, keyed

TEXT_KINDS = {"text", "address"}
NAME_KEYS = ("name",)  # fields whose key mentions a name use the IME's name mode


class FormScreen(PinyinInput, KioskScreen):
    voiced = ("help_text", "error_text")
    active = StringProperty("")
    errors = DictProperty({})
    help_text = StringProperty("")
    error_text = StringProperty("")
    preedit = StringProperty("")
    candidate_page = NumericProperty(0)
    _input_layout: Any = None

    @property
    def fields(self) -> list[Any]:
        flow = self.app.flow
        return list(flow.fields) if flow is not None else []

    def render(self) -> None:
        fields = self.fields
        if not fields:
            return
        if self.active not in {f.key for f in fields}:
            self.active = fields[0].key
        self._render_fields()
        layout = (self.active, self.app.lang, self.app.elderly, id(self.app.flow))
        if layout != self._input_layout:  # keypads are rebuilt only for another field
            self._input_layout = layout
            self._render_input()
        else:
            self._refresh_input()

    def _field(self, key: str) -> Any:
        return next(f for f in self.fields if f.key == key)

    def _render_fields(self) -> None:
        """One button per field; built once per form, their texts updated on each key."""
        app = self.app
        box = self.ids.fields
        keys = [f"field-{f.key}" for f in self.fields]
        buttons = {child.tid: child for child in box.children}
        if sorted(buttons) != sorted(keys):
            box.clear_widgets()
            buttons = {}
        answers = app.session.answers
        for field in self.fields:
            value = answers.get(field.key, "")
            label = txt(field.label, app.lang)
            if field.kind == "choice" and value:
                value = self._choice_label(field, value)
            mark = "⚠ " if field.key in self.errors else ""
            star = "" if field.required else app.tr("form.optional_suffix")
            text = f"{mark}{label}{star}：{value}"
            button = buttons.get(f"field-{field.key}")
            if button is not None:
                button.text, button.selected = text, field.key == self.active
                continue
            button = KButton(
                tid=f"field-{field.key}",
                text=text,
                selected=field.key == self.active,
                halign="left",
                private=True,  # it shows the answer: never read aloud
            )
            button.bind(on_release=lambda _b, k=field.key: self.select(k))
            box.add_widget(button)

    def _choice_label(self, field: Any, value: str) -> str:
        for choice in field.choices:
            if getattr(choice, "value", choice) == value:
                return txt(getattr(choice, "label", choice), self.app.lang)
        return value

    def _refresh_input(self) -> None:
        """What changes on a key press: help and error text, the chosen choice, candidates."""
        app = self.app
        field = self._field(self.active)
        self.help_text = txt(getattr(field, "help", None), app.lang) or txt(field.label, app.lang)
        key = self.errors.get(field.key)
        limits = {"min": field.min_length or 0, "max": field.max_length or 0}
        self.error_text = app.tr(key, **limits) if key else ""
        chosen = app.session.answers.get(field.key)
        for child in self.ids.input_area.children:
            if getattr(child, "tid", "").startswith("choice-"):
                child.selected = child.tid == f"choice-{chosen}"
        self._render_candidates(field)

    def _render_input(self) -> None:
        """The input widgets for the active field: choices, letters or a keypad."""
        app = self.app
        field = self._field(self.active)
        area = self.ids.input_area
        area.clear_widgets()
        if field.kind == "choice":
            for choice in field.choices:
                value = getattr(choice, "value", choice)
                button = KButton(
                    tid=f"choice-{value}",
                    text=txt(getattr(choice, "label", choice), app.lang),
                    selected=app.session.answers.get(field.key) == value,
                )
                button.bind(on_release=lambda _b, v=value: self.set_value(v))
                area.add_widget(button)
        elif field.kind in TEXT_KINDS:
            keyboard = LetterKeyboard()
            keyboard.bind(on_key=lambda _k, k: self.on_letter(k))
            area.add_widget(keyboard)
        else:
            pad = Keypad()
            if field.kind == "date":
                pad.keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "-", "0", "back"]
            elif field.kind != "id_number":
                pad.keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
            pad.bind(on_key=lambda _p, k: self.on_key(k))
            area.add_widget(pad)

        self._refresh_input()  # help and error text of this field, and its candidates

    # ---- pinyin input for text fields (screens/pinyin.py): the active field ----

    def _ime(self) -> PinyinIme:
        return self.ime_in("name" if any(n in self.active for n in NAME_KEYS) else "text")

    def _text(self) -> str:
        return str(self.app.session.answers.get(self.active, ""))

    def _set_text(self, value: str) -> None:
        self.app.session.answers[self.active] = value

    def _edited(self) -> None:
        self.errors.pop(self.active, None)
        self.render()

    def _render_candidates(self, field: Any) -> None:
        if field.kind in TEXT_KINDS:
            self.render_candidates(self._ime())
        else:
            self.ids.candidates.clear_widgets()
            self.preedit = ""

    def select(self, key: str) -> None:
        if key != self.active and self.app.session.ime is not None:
            self.app.session.ime.clear()
        self.active = key
        self.candidate_page = 0
        self.render()

    def on_key(self, key: str) -> None:
        self.set_value(keyed(self.app.session.answers.get(self.active, ""), key))

    def set_value(self, value: str) -> None:
        self.app.session.answers[self.active] = value
        self.errors.pop(self.active, None)
        self.render()

    def submit(self) -> None:
        self.app.runner.send(FormSubmitted(dict(self.app.session.answers)))

    def show_errors(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        first = next((f.key for f in self.fields if f.key in errors), self.active)
        self.active = first
        self.render()

    def reset(self) -> None:
        self.active = ""
        self.errors = {}
        self.help_text = ""
        self.error_text = ""
        self.preedit = ""
        self.candidate_page = 0
        self._input_layout = None
        self.ids.candidates.clear_widgets()
        self.ids.fields.clear_widgets()
        self.ids.input_area.clear_widgets()
