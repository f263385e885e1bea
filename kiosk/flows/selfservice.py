"""自助办: a matter the kiosk cannot complete is done on the phone or online; the kiosk
shows how, with a QR code to the mobile channel, and prints the full 办事指南 on request.
"""

from __future__ import annotations

from typing import Any

from kiosk.flows.base import Abort, Continue, Intent, Next, Step, Transition
from kiosk.flows.effects import PrintGuide
from kiosk.flows.intents import Printed, PrintRequested
from kiosk.flows.kinds import FlowKind
from kiosk.flows.machine import StepMachine
from kiosk.session import Session


class SelfServiceFlow(StepMachine):
    kind = FlowKind.SELF_SERVICE

    def __init__(self, session: Session, matter: Any, mobile_url: str) -> None:
        super().__init__(session)
        self.matter = matter
        self.mobile_url = mobile_url  # the QR code's payload: this matter on the phone
        self.printed: bool | None = None
        self.print_problem: str | None = None
        session.matter_code = matter.code
        self.step = Step.GUIDE

    def _on_guide(self, intent: Intent) -> Transition:
        if isinstance(intent, PrintRequested):
            return Next(Step.GUIDE, effect=PrintGuide())
        if isinstance(intent, Printed):
            self.printed, self.print_problem = intent.ok, intent.key
            return Next(Step.GUIDE)
        if isinstance(intent, Continue):
            return Next(Step.DONE)
        return self._refuse(intent)

    def _back(self) -> Transition:
        return Abort("flow.cancelled")
