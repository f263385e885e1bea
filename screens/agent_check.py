"""The agent's check for 资格认证 (帮办): the signed-in agent compares the ID card with
the person in front of them and confirms; the certification is put on record in the
agent's name, and the audit log says who certified whom (masked), when."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flows.certification import CertificationFlow
from kiosk.flows.intents import Confirm
from kiosk.masking import mask_id_number, mask_name
from screens.base import KioskScreen


class AgentCheckScreen(KioskScreen):
    voiced_keys = ("problem",)  # never the agent or the citizen: their names show here
    agent = StringProperty("")
    subject = StringProperty("")
    problem = StringProperty("")

    def render(self) -> None:
        flow = self.running(CertificationFlow)
        session = self.app.session
        if flow is None or session.assist is None or session.identity is None:
            return
        staff = session.assist.staff
        self.agent = self.app.tr("desk.agent", name=mask_name(staff.name), number=staff.staff_no)
        identity = session.identity
        self.subject = f"{mask_name(identity.name)}  {mask_id_number(identity.id_number)}"
        self.problem = ""

    def confirm(self) -> None:
        self.app.runner.send(Confirm())

    def show_errors(self, errors: dict[str, str]) -> None:
        self.problem = next(iter(errors.values()), "")

    def reset(self) -> None:
        self.agent = self.subject = self.problem = ""
