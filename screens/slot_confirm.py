"""预约办: the chosen slot, to confirm before it is booked."""

from __future__ import annotations

import datetime as dt

from kivy.properties import StringProperty

from kiosk.flows.appointment import AppointmentFlow, slot_start
from kiosk.flows.intents import Confirm
from kiosk.masking import mask_name
from screens.base import KioskScreen
from screens.slots import day_label
from screens.text import txt


class SlotConfirmScreen(KioskScreen):
    summary = StringProperty("")

    def render(self) -> None:
        app = self.app
        flow = self.running(AppointmentFlow)
        slot = flow.chosen if flow is not None else None
        if flow is None or slot is None:
            return
        start, end = slot_start(slot), dt.datetime.fromisoformat(slot.end)
        identity = app.session.identity
        self.summary = "\n".join(
            [
                app.tr("slot_confirm.matter", name=txt(flow.matter.name, app.lang)),
                app.tr(
                    "slot_confirm.when",
                    day=day_label(start.date(), app.lang),
                    start=start.strftime("%H:%M"),
                    end=end.strftime("%H:%M"),
                ),
                app.tr("slot_confirm.where", station=app.station_name()),
                app.tr("slot_confirm.who", name=mask_name(identity.name) if identity else ""),
            ]
        )

    def confirm(self) -> None:
        self.app.runner.send(Confirm())

    def reset(self) -> None:
        self.summary = ""
