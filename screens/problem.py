"""A mode that needs the platform live (a certificate, the slots) and cannot reach it,
or a platform refusal: said plainly, with trying again and leaving as the two ways on.
Nothing is half done: a retry is the same application (its keys were fixed)."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flows.intents import Retry
from screens.base import KioskScreen


class ProblemScreen(KioskScreen):
    problem = StringProperty("")

    def render(self) -> None:
        flow = self.app.flow
        self.problem = getattr(flow, "problem", "") or "error.upstream.live"

    def retry(self) -> None:
        self.app.send(Retry())

    def leave(self) -> None:
        self.app.send_back()

    def reset(self) -> None:
        self.problem = ""
