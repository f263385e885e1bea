"""办件查询's answer: one case's timeline and its colour against the promised date
(green on time, yellow near, red late), said in words too. A case returned for
materials offers 补正 here. An appointment found by its slip shows here as well.

Everything is on screen, so a printer that is down changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, ListProperty, StringProperty

from kiosk.flows.base import Continue, Step
from kiosk.flows.intents import CancelRequested
from kiosk.flows.tracking import TrackingFlow
from kiosk.tracking import progress_text
from screens.base import KioskScreen

# colour of the chip (background, text) per case colour, from the palette
CHIP = {
    "green": ("success", "on_primary"),
    "yellow": ("warning_bg", "warning_text"),
    "red": ("danger", "on_primary"),
    "done": ("primary", "on_primary"),
    "action": ("warning_bg", "danger"),
    "local": ("muted", "on_primary"),  # only this kiosk knows it: no colour to give
}


def status_text(app: Any, status: str) -> str:
    return str(app.tr(f"tracking.status.{status}"))


def shade(view: Any) -> str:
    """The chip a case gets: its colour, or "local" when the platform was not asked."""
    return "local" if view.local_only else str(view.rag)


def chip_colours(rag: str) -> tuple[str, str]:
    return CHIP.get(rag, CHIP["green"])


class TrackingCaseScreen(KioskScreen):
    heading = StringProperty("")
    number = StringProperty("")
    rag = StringProperty("")
    rag_text = StringProperty("")
    promised = StringProperty("")
    can_correct = BooleanProperty(False)
    can_cancel = BooleanProperty(False)
    is_appointment = BooleanProperty(False)
    notice = StringProperty("")
    errors_shown_in = "notice"
    chip = ListProperty(["success", "on_primary"])

    def render(self) -> None:
        flow = self.running(TrackingFlow)
        self.ids.body.clear_widgets()
        self.notice = ""
        if flow is None:
            return
        if flow.step is Step.APPOINTMENT:
            self._render_appointment(flow.appointment)
        elif flow.case is not None:
            self._render_case(flow.case)

    def _render_case(self, view: Any) -> None:
        app = self.app
        self.is_appointment = False
        self.heading = view.matter_name
        self.number = app.tr("tracking.number_is", number=view.number)
        self.rag = shade(view)
        self.chip = list(chip_colours(self.rag))
        self.rag_text = app.tr(f"tracking.rag.{self.rag}") + "  ·  " + status_text(app, view.status)
        date = view.promised_date.isoformat() if view.promised_date else ""
        self.promised = app.tr("tracking.promised", date=date) if date else ""
        self.can_correct = view.status == "returned" and bool(view.missing) and bool(view.case_no)
        self.can_cancel = False
        add = self.ids.body.add_widget
        if view.local_only:
            add(Factory.KLabel(text=app.tr(f"tracking.local.{view.status}"), bold=True))
        if view.missing:
            add(Factory.KLabel(text=app.tr("tracking.missing"), bold=True))
            for code in view.missing:
                add(Factory.KLabel(text=f"• {self._material_name(view.matter_code, code)}"))
        if view.timeline:
            add(Factory.KLabel(text=app.tr("tracking.timeline"), bold=True))
        for entry in reversed(view.timeline):
            when = entry.at[:16].replace("T", " ")
            line = progress_text(status_text(app, entry.state), entry.note)
            add(Factory.KLabel(text=f"{when}  {line}"))

    def _material_name(self, matter_code: str, code: str) -> str:
        catalogue = self.app.core.catalogue
        if matter_code in catalogue:
            for material in catalogue.get(matter_code).materials:
                if material.code == code:
                    return str(material.name.get(self.app.lang))
        return code

    def _render_appointment(self, appt: Any) -> None:
        app = self.app
        self.is_appointment = True
        catalogue = app.core.catalogue
        matter = catalogue.get(appt.matter_code) if appt.matter_code in catalogue else None
        self.heading = str(matter.name.get(app.lang)) if matter else appt.matter_code
        self.number = app.tr("tracking.appointment_is", number=appt.appointment_id)
        self.rag, self.chip = "", ["primary", "on_primary"]
        self.rag_text = app.tr(f"tracking.appointment.{appt.status}")
        start = dt.datetime.fromisoformat(appt.start)
        end = dt.datetime.fromisoformat(appt.end)
        self.promised = app.tr(
            "tracking.appointment.when", date=f"{start:%Y-%m-%d %H:%M}", end=f"{end:%H:%M}"
        )
        self.can_correct = False
        self.can_cancel = appt.status == "booked"

    def spoken(self) -> list[str]:
        """The case's state (or the appointment's), the materials missing for a 补正, and
        any error. Not the matter's name or the number: said aloud in a service hall,
        they would tell bystanders what this citizen applied for."""
        app = self.app
        said = [*super().spoken(), re.sub(r"^\W+", "", self.rag_text).replace("  ·  ", "，")]
        flow = self.running(TrackingFlow)
        view = flow.case if flow is not None and flow.step is not Step.APPOINTMENT else None
        if view is not None and view.local_only:
            said.append(app.tr(f"tracking.local.{view.status}"))
        if view is not None and view.missing:
            said.append(app.tr("tracking.missing"))
            said += [self._material_name(view.matter_code, code) for code in view.missing]
        return [*said, self.notice]

    def correct(self) -> None:
        flow = self.running(TrackingFlow)
        if flow is not None and flow.case is not None and self.can_correct:
            self.app.runner.start_correction(flow.case, by_identity=flow.by_identity)

    def complain(self) -> None:
        flow = self.running(TrackingFlow)
        case_no = flow.case.case_no if flow is not None and flow.case is not None else None
        self.app.runner.start_complaint(case_no)

    def cancel_appointment(self) -> None:
        self.app.runner.send(CancelRequested())

    def finish(self) -> None:
        self.app.runner.send(Continue())

    def reset(self) -> None:
        self.ids.body.clear_widgets()
        for name in ("heading", "number", "rag", "rag_text", "promised", "notice"):
            setattr(self, name, "")
        self.can_correct = self.can_cancel = self.is_appointment = False
