"""意见投诉 filed: the reference number, on screen and on paper (or, with the printer
down, on screen with what to do). The platform's own number follows when it answers."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.flows.base import Continue
from kiosk.flows.complaint import ComplaintFlow
from screens.base import KioskScreen


class ComplaintTicketScreen(KioskScreen):
    reference = StringProperty("")
    print_status = StringProperty("")
    print_ok = BooleanProperty(True)

    def render(self) -> None:
        app = self.app
        flow = self.running(ComplaintFlow)
        if flow is None or not flow.reference:
            return
        self.reference = flow.reference
        self.print_ok = bool(flow.printed)
        self.print_status = (
            app.tr("complaint.printed")
            if flow.printed
            else app.tr(flow.print_problem or "error.printer.generic")
            + "\n"
            + app.tr("complaint.not_printed_advice")
        )

    def spoken(self) -> list[str]:
        """Filed; whether the slip with its number printed (and what to do if not)."""
        return [*super().spoken(), self.print_status]

    def proceed(self) -> None:
        self.app.runner.send(Continue())

    def on_back(self) -> bool:
        return True

    def reset(self) -> None:
        self.reference = ""
        self.print_status = ""
        self.print_ok = True
