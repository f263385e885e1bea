"""A service could not go on: the platform is not there (try again), or a refusal (the
person is not the case's applicant). Never a dead end: try again or go back."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.flows.base import Back
from kiosk.flows.intents import Retry
from screens.base import KioskScreen

RETRYABLE = {"error.upstream.live", "error.upstream.unavailable", "scan.error.timeout"}


class ServiceProblemScreen(KioskScreen):
    message = StringProperty("")
    can_retry = BooleanProperty(False)

    def render(self) -> None:
        flow = self.app.flow
        key = getattr(flow, "problem", "") if flow is not None else ""
        self.message = self.app.tr(key or "error.upstream.rejected")
        self.can_retry = key in RETRYABLE and hasattr(flow, "_on_problem")

    def retry(self) -> None:
        self.app.send(Retry())

    def back(self) -> None:
        self.app.send(Back())

    def reset(self) -> None:
        self.message = ""
        self.can_retry = False
