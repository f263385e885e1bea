"""The end: thanks, take your ID card and receipt; the session then wipes itself."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import NumericProperty

from screens.base import KioskScreen

AUTO_FINISH_S = 15


class DoneScreen(KioskScreen):
    remaining = NumericProperty(AUTO_FINISH_S)

    def on_enter(self, *args: object) -> None:
        self.remaining = AUTO_FINISH_S
        Clock.schedule_interval(self._tick, 1.0)

    def on_leave(self, *args: object) -> None:
        Clock.unschedule(self._tick)

    def _tick(self, _dt: float) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            Clock.unschedule(self._tick)
            self.app.finish()

    def on_back(self) -> bool:
        return True

    def reset(self) -> None:
        self.remaining = AUTO_FINISH_S
