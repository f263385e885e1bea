"""Identity: place the ID card on the reader. The reader's watcher does the rest."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.errors import describe
from kiosk.hardware import CardEvent, CardPayload, CardSource
from screens.base import KioskScreen


class IdentityScreen(KioskScreen):
    voiced_keys = ("problem",)
    simulated = BooleanProperty(False)
    problem = StringProperty("")

    def render(self) -> None:
        simulation = self.app.core.simulation
        self.simulated = simulation is not None and simulation.idcard
        self.problem = self.app.core.idcard_problem_key() or self.problem

    def place_test_card(self) -> None:
        """Only shown with a simulated reader: lay the demo card on it."""
        if self.app.core.simulation is not None:
            self.app.core.simulation.lay_test_card()

    def on_card(self, event: CardEvent, payload: CardPayload, source: CardSource) -> bool:
        if event is CardEvent.ERROR and isinstance(payload, Exception):
            self.problem = describe(payload).key  # a read that failed: say why
            return True
        return False

    def card_refused(self, key: str) -> None:
        self.problem = key

    def reset(self) -> None:
        self.problem = ""
