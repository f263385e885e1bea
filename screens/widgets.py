"""Widgets shared by the screens: buttons, tiles, the on-screen keypads, the header.

Every interactive widget carries a ``tid`` (test id) that the pilot taps by. The
operating system's keyboard is never used: text comes from our own keypads.
"""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from screens.labels import BreakingLabel

SPECIAL_KEYS = {"back", "clear", "space"}


def shown(widget: Widget, top: Widget) -> bool:
    """Visible and enabled, up to ``top``."""
    w: Widget | None = widget
    while w is not None and w is not top:
        if getattr(w, "opacity", 1) == 0 or getattr(w, "disabled", False):
            return False
        w = w.parent
    return True


def keyed(value: str, key: str, limit: int | None = None) -> str:
    """``value`` after a keypad's ``key``: back takes the last character off, clear
    empties it, any other key is added while fewer than ``limit`` are typed."""
    if key == "back":
        return value[:-1]
    if key == "clear":
        return ""
    return value + key if limit is None or len(value) < limit else value


class KButton(ButtonBehavior, BreakingLabel):
    """A big button: ``kind`` is primary, secondary, quiet or danger."""

    tid = StringProperty("")
    kind = StringProperty("secondary")
    selected = BooleanProperty(False)
    fit = BooleanProperty(False)  # size to the text instead of wrapping in the width
    private = BooleanProperty(False)  # its text is the citizen's own: never read aloud


class Tile(ButtonBehavior, BoxLayout):
    """A matter tile on the home and search screens."""

    tid = StringProperty("")
    title = StringProperty("")
    subtitle = StringProperty("")
    private = BooleanProperty(False)


class Header(BoxLayout):
    title = StringProperty("")
    show_back = BooleanProperty(True)
    show_finish = BooleanProperty(True)


class Keypad(GridLayout):
    """Digits (and X for ID numbers), backspace and clear. Emits ``on_key``."""

    keys = ListProperty(["1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", "back"])
    __events__ = ("on_key",)

    def on_kv_post(self, base_widget: object) -> None:
        self.rebuild()

    def on_keys(self, *_: object) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        self.clear_widgets()
        app = App.get_running_app()
        for key in self.keys:
            label = app.tr(f"key.{key}") if key in SPECIAL_KEYS else key
            button = KButton(text=label, tid=f"key-{key}", kind="secondary")
            button.bind(on_release=lambda _b, k=key: self.dispatch("on_key", k))
            self.add_widget(button)

    def on_key(self, key: str) -> None:
        pass


LETTER_ROWS = ("QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")


class LetterKeyboard(BoxLayout):
    key_height = NumericProperty(60)

    """Latin letters for pinyin (typing ``gljt`` finds 高龄津贴申领), then a row of
    wide keys: backspace, space, clear. Emits ``on_key`` like :class:`Keypad`."""

    __events__ = ("on_key",)

    def on_kv_post(self, base_widget: object) -> None:
        app = App.get_running_app()
        self.clear_widgets()
        for row in LETTER_ROWS:
            line = BoxLayout(size_hint_y=None, height=self.key_height, spacing=self.spacing)
            for key in row:
                line.add_widget(self._button(key, key))
            self.add_widget(line)
        specials = BoxLayout(size_hint_y=None, height=self.key_height, spacing=self.spacing)
        for key in ("back", "space", "clear"):
            specials.add_widget(self._button(key, app.tr(f"key.{key}")))
        self.add_widget(specials)

    def _button(self, key: str, label: str) -> KButton:
        button = KButton(text=label, tid=f"key-{key}", kind="secondary")
        button.bind(on_release=lambda _b: self.dispatch("on_key", key))
        return button

    def on_key(self, key: str) -> None:
        pass
