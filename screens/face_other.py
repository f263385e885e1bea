"""The other ways to 资格认证, for those the face check failed and those who cannot or
will not use their face: a signed-in agent (帮办) checks the card and the person, or a
home visit (上门认证, a 延时办 request). The reason comes first, in plain words.

Without an agent signed in, the agent's way opens the staff sign-in: the session (and
the card read) stays, and the agent serves the citizen from the desk."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.catalogue import HandlingMode
from kiosk.flows.certification import CertificationFlow
from kiosk.flows.intents import Choose, Retry
from screens.base import KioskScreen


class FaceOtherScreen(KioskScreen):
    voiced_keys = ("reason",)
    reason = StringProperty("")  # message key
    agent_present = BooleanProperty(False)
    can_retry = BooleanProperty(False)
    home_offered = BooleanProperty(False)

    def render(self) -> None:
        flow = self.running(CertificationFlow)
        if flow is None:
            return
        self.reason = flow.notice or "face.other.why"
        self.agent_present = flow.agent_present
        self.can_retry = flow.declined or flow.attempts_left > 0
        self.home_offered = flow.matter.handles(HandlingMode.DEFERRED)

    def agent(self) -> None:
        if self.agent_present:
            self.app.runner.send(Choose("agent"))
        else:
            self.app.nav.go("staff_signin", remember=False)

    def home_visit(self) -> None:
        flow = self.running(CertificationFlow)
        if flow is not None:
            self.app.runner.start_matter(flow.matter.code, HandlingMode.DEFERRED)

    def again(self) -> None:
        self.app.runner.send(Retry())

    def finish(self) -> None:
        self.app.session.flow = None
        self.app.home()

    def reset(self) -> None:
        self.reason = ""
        self.agent_present = self.can_retry = self.home_offered = False
