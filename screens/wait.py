"""Waiting for the platform or the outbox: the certificate being issued (即时办), the slot
being booked (预约办), a search, a check, a complaint being filed. Says what. No way back:
the request is already on its way and its answer is shown where it belongs."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flows.base import Step
from kiosk.flows.instant import InstantFlow
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
    outcome = StringProperty("")  # a translation key: how the step before went

    def render(self) -> None:
        flow = self.app.flow
        key = "wait.generic"
        if flow is not None:
            key = STEP_MESSAGES.get(flow.step) or SERVICE_MESSAGES.get(flow.kind, key)
        self.message = key
        self.outcome = "payment.paid" if self._just_paid() else ""

    def _just_paid(self) -> bool:
        """即时办 fetching its certificate after the citizen paid for it."""
        flow = self.running(InstantFlow)
        return (
            flow is not None
            and flow.step is Step.FETCH
            and bool(flow.payment and flow.payment.paid)
        )

    def spoken(self) -> list[str]:
        """How the step before went (缴费成功), then what is being done."""
        tr = self.app.tr
        return [tr(self.outcome) if self.outcome else "", tr(self.message)]

    def on_back(self) -> bool:
        return True

    def reset(self) -> None:
        self.message = "wait.generic"
        self.outcome = ""
