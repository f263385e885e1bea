"""Waiting for the platform: the certificate being issued (即时办) or the slot being
booked (预约办). No way back: the request is already on its way."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flows.base import Step
from screens.base import KioskScreen

MESSAGES = {Step.FETCH: "wait.certificate", Step.BOOKING: "wait.booking"}


class WaitScreen(KioskScreen):
    message = StringProperty("wait.generic")

    def render(self) -> None:
        flow = self.app.flow
        step = flow.step if flow is not None else None
        self.message = MESSAGES.get(step, "wait.generic")  # type: ignore[arg-type]

    def on_back(self) -> bool:
        return True

    def reset(self) -> None:
        self.message = "wait.generic"
