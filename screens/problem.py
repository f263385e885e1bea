"""Something a flow needs could not be done: a mode that needs the platform live (a
certificate, the slots), a service that cannot reach it (办件查询), or a refusal (the
person is not the case's applicant). Said plainly, never a dead end: going back, and
trying again wherever trying again can help.

Nothing is half done: a retry of a mode is the same application (its keys were fixed).
The modes and the services word it a little differently (a mode can promise no double
charge; a service points to another way in); the screen is the same.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.flows.base import Back
from kiosk.flows.intents import Retry
from screens.base import KioskScreen

# problems a service can usefully retry; a refusal stays a refusal
SERVICE_RETRYABLE = {"error.upstream.live", "error.upstream.unavailable", "scan.error.timeout"}


class ProblemScreen(KioskScreen):
    problem = StringProperty("")  # the message key
    texts = StringProperty("problem")  # the key prefix: "problem" (modes) or "service_problem"
    can_retry = BooleanProperty(True)

    @property
    def message(self) -> str:
        return self.app.tr(self.problem) if self.problem else ""

    def render(self) -> None:
        flow = self.app.flow
        key = flow.problem if flow is not None else ""
        if flow is not None and flow.kind.is_service:
            self.texts = "service_problem"
            self.problem = key or "error.upstream.rejected"
            self.can_retry = key in SERVICE_RETRYABLE and hasattr(flow, "_on_problem")
        else:
            self.texts = "problem"
            self.problem = key or "error.upstream.live"
            self.can_retry = True

    def spoken(self) -> list[str]:
        """What went wrong and what to do next, as the screen says it."""
        tr = self.app.tr
        advice = ".advice" if self.can_retry else ".advice_refused"
        return [tr(self.texts + ".title"), self.message, tr(self.texts + advice)]

    def retry(self) -> None:
        self.app.runner.send(Retry())

    def leave(self) -> None:
        self.app.runner.send(Back())

    def reset(self) -> None:
        self.problem = ""
        self.texts = "problem"
        self.can_retry = True
