"""Waiting for the platform or the outbox: the certificate being issued (即时办), the slot
being booked (预约办), a search, a check, a complaint being filed. Says what. No way back:
the request is already on its way and its answer is shown where it belongs."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flows.base import Step
from kiosk.flows.kinds import FlowKind
from screens.base import KioskScreen

STEP_MESSAGES = {
    Step.FETCH: "wait.certificate",
    Step.BOOKING: "wait.booking",
    Step.VERIFYING: "wait.verifying",
}
SERVICE_MESSAGES = {
    FlowKind.TRACKING: "wait.searching",
    FlowKind.COMPLAINT: "wait.filing",
    FlowKind.CORRECTION: "wait.checking",
}


class WaitScreen(KioskScreen):
    message = StringProperty("wait.generic")  # a translation key

    def render(self) -> None:
        flow = self.app.flow
        key = "wait.generic"
        if flow is not None:
            key = STEP_MESSAGES.get(flow.step) or SERVICE_MESSAGES.get(flow.kind, key)
        self.message = key

    def on_back(self) -> bool:
        return True

    def reset(self) -> None:
        self.message = "wait.generic"
