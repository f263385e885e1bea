"""The agent's desk (帮办代办): this station's cases from the platform, and the way to
serve a citizen or sign out.

Four lists: overdue (red/yellow against the promised date), returned for 补正, pending,
ready for collection. Applicants show masked as the platform sends them. Loading runs
off the UI thread; a platform that cannot be asked says so and the agent can still serve.
"""

from __future__ import annotations

from typing import Any

from kivy.metrics import dp
from kivy.properties import DictProperty, StringProperty

from kiosk.errors import describe
from kiosk.masking import mask_name
from kiosk.staff.cases import LISTS
from screens.base import KioskScreen
from screens.theme import PALETTE
from screens.widgets import KButton

RAG_COLOUR = {"red": "danger", "yellow": "warning_text"}


class StaffDeskScreen(KioskScreen):
    voiced_keys = ("problem",)
    agent = StringProperty("")
    current = StringProperty("overdue")
    counts = DictProperty({})
    problem = StringProperty("")
    state = StringProperty("")  # "" | loading | loaded
    # each tab's text with its count (kv does not rebind on a dict's .get)
    tab_overdue = StringProperty("")
    tab_returned = StringProperty("")
    tab_pending = StringProperty("")
    tab_ready = StringProperty("")
    message = StringProperty("")

    _lists: Any = None

    def render(self) -> None:
        app = self.app
        member = app.core.desk.current
        if member is None:
            self.agent = ""
            return
        self.agent = app.tr("desk.agent", name=mask_name(member.name), number=member.staff_no)
        self.load()

    def load(self) -> None:
        app = self.app
        self.state, self.problem = "loading", ""
        self.ids.cases.clear_widgets()
        self._label()
        app.worker.run(
            app.core.station_desk,
            self._loaded,
            self._failed,
        )

    def _loaded(self, lists: Any) -> None:
        if self.app.core.desk.current is None:
            return  # signed out while the platform answered
        self._lists, self.state = lists, "loaded"
        self.counts = lists.counts()
        self.show(self.current)

    def _failed(self, exc: BaseException) -> None:
        self.state, self.problem = "loaded", describe(exc).key
        self._label()

    def _label(self) -> None:
        """The tabs' texts and the line above the list, from the state."""
        app = self.app
        for name in LISTS:
            setattr(self, f"tab_{name}", app.tr(f"desk.list.{name}", n=self.counts.get(name, 0)))
        if self.state == "loading":
            self.message = app.tr("desk.loading")
        elif self.problem:
            self.message = app.tr(self.problem)
        elif self.state == "loaded" and not self.counts.get(self.current, 0):
            self.message = app.tr("desk.empty")
        else:
            self.message = app.tr("desk.legend")

    def show(self, name: str) -> None:
        self.current = name
        self._label()
        box = self.ids.cases
        box.clear_widgets()
        if self._lists is None:
            return
        for view in self._lists.get(name):
            box.add_widget(self._row(view))

    def _row(self, view: Any) -> KButton:
        app = self.app
        promised = view.promised_date.isoformat() if view.promised_date else "-"
        missing = app.tr("desk.missing", n=len(view.missing)) if view.status == "returned" else ""
        flag = app.tr(f"desk.rag.{view.rag}") if view.rag in RAG_COLOUR else ""
        text = (
            flag
            + app.tr(
                "desk.row",
                number=view.number,
                matter=view.matter_name,
                applicant=view.applicant_masked,
                promised=promised,
            )
            + (f"  {missing}" if missing else "")
        )
        row = KButton(tid=f"case-{view.number}", text=text, kind="quiet", private=True)
        row.halign = "left"
        row.height = dp(app.sz("target")) * 1.5
        if view.rag in RAG_COLOUR:
            row.color = PALETTE.rgba(RAG_COLOUR[view.rag])
        return row

    def serve(self) -> None:
        self.app.runner.start_assist()

    def sign_out(self) -> None:
        self.app.core.desk.sign_out(reason="asked")
        self.app.finish()

    def on_back(self) -> bool:
        self.sign_out()
        return True

    def reset(self) -> None:
        self._lists = None
        self.agent, self.problem, self.state, self.current = "", "", "", "overdue"
        self.counts, self.message = {}, ""
        for name in LISTS:
            setattr(self, f"tab_{name}", "")
        if "cases" in self.ids:
            self.ids.cases.clear_widgets()
