"""好差评: five levels, presented alike, nothing preselected (no hinting at a rating).

A 不满意/非常不满意 rating asks what went wrong, with choices; answering is optional.
"""

from __future__ import annotations

from kivy.properties import ListProperty, NumericProperty

from kiosk.flows.base import Rated
from screens.base import KioskScreen

LEVELS = (5, 4, 3, 2, 1)
REASONS = ("too_slow", "unclear_guide", "device_problem", "staff_attitude", "other")


class RatingScreen(KioskScreen):
    level = NumericProperty(0)
    reasons = ListProperty([])

    def choose(self, level: int) -> None:
        self.level = level
        if level >= 3:
            self.app.send(Rated(level))

    def toggle_reason(self, reason: str) -> None:
        if reason in self.reasons:
            self.reasons.remove(reason)
        else:
            self.reasons.append(reason)

    def send_bad_rating(self) -> None:
        self.app.send(Rated(int(self.level), tuple(self.reasons)))

    def on_back(self) -> bool:
        if self.level:
            self.level = 0
            self.reasons = []
        return True

    def reset(self) -> None:
        self.level = 0
        self.reasons = []
