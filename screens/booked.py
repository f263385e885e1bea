"""预约办's result: the appointment number, its time, the QR code on the printed slip
(scanned at the station, or in 办件查询 to cancel), and whether the slip printed."""

from __future__ import annotations

import datetime as dt

from kivy.properties import StringProperty

from kiosk.flows.appointment import AppointmentFlow
from kiosk.receipts.qrcodes import appointment_qr
from screens.images import texture_from_bgr
from screens.outcome import OutcomeScreen, print_outcome
from screens.receipt import qr_array
from screens.slots import day_label


class BookedScreen(OutcomeScreen):
    number = StringProperty("")
    when = StringProperty("")

    def render(self) -> None:
        app = self.app
        flow = self.running(AppointmentFlow)
        appt = flow.appointment if flow is not None else None
        if flow is None or appt is None:
            return
        start, end = dt.datetime.fromisoformat(appt.start), dt.datetime.fromisoformat(appt.end)
        self.number = appt.appointment_id
        self.when = app.tr(
            "booked.when",
            day=day_label(start.date(), app.lang),
            start=start.strftime("%H:%M"),
            end=end.strftime("%H:%M"),
        )
        self.print_ok = bool(flow.printed)
        self.print_status = print_outcome(
            app.tr, bool(flow.printed), flow.print_problem, "booked.printed"
        )
        payload = appointment_qr(appt.appointment_id, app.core.intake.qr_keys)
        self.ids.qr.texture = texture_from_bgr(qr_array(payload))
        self.ids.qr.texture.mag_filter = "nearest"

    def spoken(self) -> list[str]:
        """Booked; when to come; whether the slip printed; what to bring."""
        return [*super().spoken(), self.when, self.print_status, self.app.tr("booked.bring")]

    def reset(self) -> None:
        self.ids.qr.texture = None
        self.number = self.when = self.print_status = ""
        self.print_ok = True
