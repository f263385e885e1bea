"""意见投诉 filed: the reference number, on screen and on paper (or, with the printer
down, on screen with what to do). The platform's own number follows when it answers."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flows.complaint import ComplaintFlow
from screens.outcome import OutcomeScreen, print_outcome


class ComplaintTicketScreen(OutcomeScreen):
    reference = StringProperty("")

    def render(self) -> None:
        app = self.app
        flow = self.running(ComplaintFlow)
        if flow is None or not flow.reference:
            return
        self.reference = flow.reference
        self.print_ok = bool(flow.printed)
        self.print_status = print_outcome(
            app.tr,
            bool(flow.printed),
            flow.print_problem,
            "complaint.printed",
            "complaint.not_printed_advice",
        )

    def spoken(self) -> list[str]:
        """Filed; whether the slip with its number printed (and what to do if not)."""
        return [*super().spoken(), self.print_status]

    def reset(self) -> None:
        self.reference = ""
        self.print_status = ""
        self.print_ok = True
