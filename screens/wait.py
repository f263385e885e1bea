"""Waiting for the platform or the outbox: searching, checking, filing. Says what."""

from __future__ import annotations

from kivy.properties import StringProperty

from screens.base import KioskScreen

MESSAGES = {
    "tracking": "wait.searching",
    "complaint": "wait.filing",
    "correction": "wait.checking",
}


class WaitScreen(KioskScreen):
    message = StringProperty("")

    def render(self) -> None:
        flow = self.app.flow
        what = getattr(flow, "kind", "") if getattr(flow, "kind", "") == "correction" else ""
        what = what or getattr(flow, "mode", "")
        self.message = self.app.tr(MESSAGES.get(what, "wait.working"))

    def on_back(self) -> bool:
        return True  # the answer is on its way; it is shown where it belongs

    def reset(self) -> None:
        self.message = ""
