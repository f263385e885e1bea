"""办件查询 by the receipt's QR code: hold it to the camera. A code that is not one of
ours (or not a receipt) is refused here with the reason, and the camera stays on."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flows.base import Back
from screens.base import KioskScreen


class TrackingScanScreen(KioskScreen):
    notice = StringProperty("")

    def render(self) -> None:
        flow = self.app.flow
        key = getattr(flow, "notice", "") if flow is not None else ""
        self.notice = self.app.tr(key) if key else ""

    def type_instead(self) -> None:
        self.app.send(Back())

    def reset(self) -> None:
        self.notice = ""
