"""办件查询 by the ID card: every case of the person, each with its colour; one tap
opens its timeline."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.flows.intents import Choose
from kiosk.flows.tracking import TrackingFlow
from screens.base import KioskScreen
from screens.tracking_case import chip_colours, shade, status_text


class CaseRow(ButtonBehavior, BoxLayout):
    """One case: what, its number and state, and its colour in words."""

    tid = StringProperty("")
    title = StringProperty("")
    subtitle = StringProperty("")
    rag_text = StringProperty("")
    bg = StringProperty("success")
    fg = StringProperty("on_primary")


class TrackingCasesScreen(KioskScreen):
    voiced = ("summary", "notice")
    summary = StringProperty("")
    notice = StringProperty("")
    errors_shown_in = "notice"

    def render(self) -> None:
        app = self.app
        flow = self.running(TrackingFlow)
        box = self.ids.rows
        box.clear_widgets()
        self.notice = ""
        if flow is None:
            return
        app.nav.screen("tracking_case")  # its .kv holds the colour chip the rows use
        self.summary = app.tr("tracking.cases_found", n=len(flow.cases))
        for view in flow.cases:
            box.add_widget(self._row(view))

    def _row(self, view: Any) -> CaseRow:
        app = self.app
        bg, fg = chip_colours(shade(view))
        row = CaseRow(
            tid=f"case-{view.number}",
            title=view.matter_name,
            subtitle=f"{view.number}  ·  {status_text(app, view.status)}",
            rag_text=app.tr(f"tracking.rag.{shade(view)}"),
            bg=bg,
            fg=fg,
        )
        row.bind(on_release=lambda _r, n=view.number: self.app.runner.send(Choose(n)))
        return row

    def reset(self) -> None:
        self.ids.rows.clear_widgets()
        self.summary = ""
        self.notice = ""
