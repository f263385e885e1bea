"""人证核验's own consent, asked before the camera starts: what is filmed, where it goes,
how long it is kept. Agreeing starts the live capture; declining leads to the other
ways (an agent, a home visit) — never to a dead end."""

from __future__ import annotations

from kivy.properties import BooleanProperty

from kiosk.flows.certification import CertificationFlow, FaceConsent
from kiosk.flows.intents import Choose
from screens.base import KioskScreen


class FaceConsentScreen(KioskScreen):
    agent_present = BooleanProperty(False)

    def render(self) -> None:
        flow = self.running(CertificationFlow)
        self.agent_present = flow is not None and flow.agent_present

    def answer(self, agreed: bool) -> None:
        self.app.runner.send(FaceConsent(agreed))

    def ask_agent(self) -> None:
        self.app.runner.send(Choose("agent"))

    def reset(self) -> None:
        self.agent_present = False
