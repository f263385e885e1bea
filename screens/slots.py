"""预约办: the open slots from the platform, by day, within the site's rules. A slot
someone else took meanwhile brings the citizen back here with a message and the fresh
list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.flows.appointment import AppointmentFlow, slot_start
from kiosk.flows.intents import CancelRequested, Choose
from screens.base import KioskScreen
from screens.widgets import KButton

WEEKDAYS = "一二三四五六日"


def day_label(day: dt.date, lang: str) -> str:
    if lang == "en":
        return day.strftime("%a %d %b %Y")
    return f"{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}"


def slot_label(slot: Any, tr: Any) -> str:
    start, end = slot_start(slot), dt.datetime.fromisoformat(slot.end)
    return tr(
        "slots.slot", start=start.strftime("%H:%M"), end=end.strftime("%H:%M"), left=slot.remaining
    )


class SlotsScreen(KioskScreen):
    voiced_keys = ("notice",)
    notice = StringProperty("")  # message key: slot taken, none open
    loading = StringProperty("slots.loading")

    def render(self) -> None:
        flow = self.running(AppointmentFlow)
        if flow is None:
            return
        app = self.app
        self.notice = flow.notice
        self.loading = "" if flow.slots or flow.notice else "slots.loading"
        body = self.ids.body
        body.clear_widgets()
        for day in flow.days():
            body.add_widget(Factory.SlotDay(text=day_label(day, app.lang)))
            grid = Factory.SlotGrid()
            for slot in flow.slots_on(day):
                button = KButton(
                    text=slot_label(slot, app.tr), tid=f"slot-{slot.slot_id}", kind="quiet"
                )
                button.bind(on_release=lambda _b, s=slot.slot_id: self.choose(s))
                grid.add_widget(button)
            body.add_widget(grid)
        self.ids.scroll.scroll_y = 1

    def choose(self, slot_id: str) -> None:
        self.app.runner.send(Choose(slot_id))

    def my_bookings(self) -> None:
        self.app.runner.send(CancelRequested())

    def show_errors(self, errors: dict[str, str]) -> None:
        self.notice = errors.get("_", "")

    def reset(self) -> None:
        self.ids.body.clear_widgets()
        self.notice, self.loading = "", "slots.loading"
