"""The attract screen: what the kiosk is, and one big invitation to start."""

from __future__ import annotations

from screens.base import KioskScreen


class AttractScreen(KioskScreen):
    def start(self) -> None:
        self.app.home()
