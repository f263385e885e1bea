"""预约办: the citizen's bookings still ahead, found by the ID card, each with a cancel
button. A refusal (too close to the start) is said and the list stays."""

from __future__ import annotations

import datetime as dt

from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.flows.appointment import AppointmentFlow
from kiosk.flows.intents import Choose
from screens.base import KioskScreen
from screens.slots import day_label
from screens.text import txt
from screens.widgets import KButton


class MineScreen(KioskScreen):
    voiced_keys = ("notice",)
    notice = StringProperty("")  # message key
    loading = StringProperty("mine.loading")

    def render(self) -> None:
        app = self.app
        flow = self.running(AppointmentFlow)
        if flow is None:
            return
        self.notice = flow.notice
        self.loading = "mine.loading" if flow.mine is None else ""
        body = self.ids.body
        body.clear_widgets()
        catalogue = app.core.catalogue
        for appt in flow.mine or ():
            start, end = dt.datetime.fromisoformat(appt.start), dt.datetime.fromisoformat(appt.end)
            name = appt.matter_code
            if appt.matter_code in catalogue:
                name = txt(catalogue.get(appt.matter_code).name, app.lang)
            when = f"{day_label(start.date(), app.lang)} {start:%H:%M}–{end:%H:%M}"
            row = Factory.MineRow()
            row.ids.label.text = (
                f"{when}\n{name}\n{app.tr('mine.number', number=appt.appointment_id)}"
            )
            cancelled = appt.status == "cancelled"
            button = KButton(
                tid=f"cancel-{appt.appointment_id}",
                kind="secondary" if cancelled else "danger",
                text=app.tr("mine.cancelled" if cancelled else "mine.cancel"),
                disabled=cancelled,
                size_hint_x=0.3,
            )
            button.bind(on_release=lambda _b, a=appt.appointment_id: self.cancel(a))
            row.add_widget(button)
            body.add_widget(row)

    def cancel(self, appointment_id: str) -> None:
        self.notice = ""
        self.app.runner.send(Choose(appointment_id))

    def show_errors(self, errors: dict[str, str]) -> None:
        self.notice = errors.get("_", "")

    def reset(self) -> None:
        self.ids.body.clear_widgets()
        self.notice, self.loading = "", "mine.loading"
