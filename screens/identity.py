"""Identity: place the ID card on the reader. The reader's watcher does the rest."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from screens.base import KioskScreen


class IdentityScreen(KioskScreen):
    simulated = BooleanProperty(False)
    problem = StringProperty("")

    def render(self) -> None:
        self.simulated = self.app.runtime.idcard_simulated
        self.problem = self.app.runtime.idcard_problem_key() or self.problem

    def place_test_card(self) -> None:
        """Only shown with a simulated reader: lay the demo card on it."""
        self.app.runtime.insert_test_card()

    def reset(self) -> None:
        self.problem = ""
