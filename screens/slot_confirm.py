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
        slot = self._slot()
        if not slot:
            return
        identity = self.app.session.identity
        who = self.app.tr("slot_confirm.who", name=mask_name(identity.name) if identity else "")
        self.summary = "\n".join([*slot, who])

    def _slot(self) -> list[str]:
        """The matter, the day and time, and the place of the chosen slot."""
        app = self.app
        flow = self.running(AppointmentFlow)
        slot = flow.chosen if flow is not None else None
        if flow is None or slot is None:
            return []
        start, end = slot_start(slot), dt.datetime.fromisoformat(slot.end)
        return [
            app.tr("slot_confirm.matter", name=txt(flow.matter.name, app.lang)),
            app.tr(
                "slot_confirm.when",
                day=day_label(start.date(), app.lang),
                start=start.strftime("%H:%M"),
                end=end.strftime("%H:%M"),
            ),
            app.tr("slot_confirm.where", station=app.station_name()),
        ]

    def spoken(self) -> list[str]:
        """The prompt and the slot, but not who booked it: the name, even masked, is not
        said aloud."""
        return [*super().spoken(), *self._slot()]

    def confirm(self) -> None:
        self.app.runner.send(Confirm())

    def reset(self) -> None:
        self.summary = ""
