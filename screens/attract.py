"""The attract screen: what the kiosk is, and one big invitation to start."""

from __future__ import annotations

from kivy.properties import StringProperty

from screens.base import KioskScreen


class AttractScreen(KioskScreen):
    out_of_service = StringProperty("")

    def render(self) -> None:
        serving, message = self.app.runtime.service_state()
        self.out_of_service = "" if serving else (message or self.app.tr("attract.locked"))

    def start(self) -> None:
        self.render()
        if not self.out_of_service:
            self.app.home()
