"""自助办: a matter the kiosk cannot complete is done on the phone or online; the kiosk
shows how, with a QR code to the mobile channel, and prints the full 办事指南 on request.
"""

from __future__ import annotations

from typing import Any

from kiosk.flows.base import Abort, Intent, Step, Transition
from kiosk.flows.effects import PrintGuide
from kiosk.flows.kinds import FlowKind
from kiosk.flows.machine import PrintSteps
from kiosk.session import Session


class SelfServiceFlow(PrintSteps):
    kind = FlowKind.SELF_SERVICE

    def __init__(self, session: Session, matter: Any, mobile_url: str) -> None:
        super().__init__(session)
        self.matter = matter
        self.mobile_url = mobile_url  # the QR code's payload: this matter on the phone
        session.matter_code = matter.code
        self.step = Step.GUIDE

    def _on_guide(self, intent: Intent) -> Transition:
        return self._print_or_continue(intent, PrintGuide(), to=Step.DONE)

    def _back(self) -> Transition:
        return Abort("flow.cancelled")
