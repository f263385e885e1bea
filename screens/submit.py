"""Submitting: saved first, then the receipt prints, then it is sent."""

from __future__ import annotations

from screens.base import KioskScreen


class SubmitScreen(KioskScreen):
    def on_back(self) -> bool:
        return True  # no way back while the application is being saved
