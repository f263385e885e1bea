"""Which screen shows: the screen manager, screens built on first use, and the history
the header's back button returns through."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.screenmanager import NoTransition, ScreenManager

from screens.base import KioskScreen
from screens.registry import SCREENS

HERE = Path(__file__).resolve().parent


class Navigator:
    def __init__(self) -> None:
        self.sm = ScreenManager(transition=NoTransition())
        self._history: list[str] = []

    def screen(self, name: str) -> KioskScreen:
        """The screen called ``name``, loading its .kv and building it the first time."""
        if not self.sm.has_screen(name):
            cls, kv = SCREENS[name]
            Builder.load_file(str(HERE / kv))
            self.sm.add_widget(cls(name=name))
        screen: KioskScreen = self.sm.get_screen(name)
        return screen

    @property
    def current(self) -> str:
        return str(self.sm.current)

    @property
    def current_screen(self) -> KioskScreen:
        screen: KioskScreen = self.sm.current_screen
        return screen

    def go(self, name: str, *, remember: bool = True) -> None:
        self.screen(name)
        if remember and self.sm.current != name:
            self._history.append(self.sm.current)
        self.sm.current = name

    def show(self, name: str) -> KioskScreen:
        """Go to ``name`` (not remembered) and draw it afresh."""
        self.go(name, remember=False)
        screen = self.current_screen
        screen.render()
        return screen

    def previous(self) -> bool:
        """Back to the screen before; False when there is none."""
        if not self._history:
            return False
        self.sm.current = self._history.pop()
        return True

    def forget(self) -> None:
        self._history.clear()

    @property
    def screens(self) -> list[KioskScreen]:
        return list(self.sm.screens)
