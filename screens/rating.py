"""好差评: five levels, presented alike, nothing preselected (no hinting at a rating).

A 不满意/非常不满意 rating asks what went wrong: choices, and the citizen's own words
(the compose screen); one of them is needed (the platform refuses a bad rating without).
"""

from __future__ import annotations

from kivy.properties import ListProperty, NumericProperty, StringProperty

from kiosk.flows.base import Rated
from kiosk.flows.intents import WriteComment
from screens.base import ErrorLineScreen

LEVELS = (5, 4, 3, 2, 1)
REASONS = ("too_slow", "unclear_guide", "device_problem", "staff_attitude", "other")


class RatingScreen(ErrorLineScreen):
    level = NumericProperty(0)
    reasons = ListProperty([])
    comment = StringProperty("")

    def on_kv_post(self, base_widget: object) -> None:
        # strong references: ids are weak, and the pane out of the tree would be collected
        self._panes = (self.ids.levels.__self__, self.ids.reasons.__self__)
        for pane in self._panes:
            pane.parent.remove_widget(pane)
        self.on_level(self, 0)

    def on_level(self, _screen: object, level: float) -> None:
        """The five levels, or (for a bad one) what went wrong: one pane in the tree at a
        time, since a hidden widget still eats taps."""
        choices = self.ids.choices
        choices.clear_widgets()
        levels, reasons = self._panes
        choices.add_widget(reasons if level and level < 3 else levels)

    def render(self) -> None:
        """Back from writing a comment, the bad level chosen stays; else nothing is."""
        flow = self.app.flow
        self.level = int(getattr(flow, "rating_level", 0) or 0)
        self.comment = str(getattr(flow, "comment", "") or "")
        if not self.level:
            self.reasons = []
        self.error_text = ""

    def choose(self, level: int) -> None:
        self.level = level
        self.error_text = ""
        if level >= 3:
            self.app.runner.send(Rated(level))

    def toggle_reason(self, reason: str) -> None:
        if reason in self.reasons:
            self.reasons.remove(reason)
        else:
            self.reasons.append(reason)
        self.error_text = ""

    def write_comment(self) -> None:
        self.app.runner.send(WriteComment(int(self.level)))

    def send_bad_rating(self) -> None:
        self.app.runner.send(Rated(int(self.level), tuple(self.reasons)))

    def on_back(self) -> bool:
        if self.level:
            self.level = 0
            self.reasons = []
            self.error_text = ""
        return True

    def reset(self) -> None:
        self.level = 0
        self.reasons = []
        self.comment = ""
        self.error_text = ""
