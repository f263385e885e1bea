"""办件查询 by the receipt's QR code: hold it to the camera, and see it on the screen
(a live preview, so an elderly hand finds the camera's view). A code that is not one of
ours (or not a receipt) is refused here with the reason, and the camera stays on. The
picture goes when the screen does: it may show the citizen's paper."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from kiosk.flows.base import Back
from screens.base import KioskScreen
from screens.images import LivePreview


class TrackingScanScreen(KioskScreen):
    voiced = ("notice",)
    notice = StringProperty("")
    _live: LivePreview | None = None

    def render(self) -> None:
        flow = self.app.flow
        key = getattr(flow, "notice", "") if flow is not None else ""
        self.notice = self.app.tr(key) if key else ""

    def on_enter(self, *_args: Any) -> None:
        if self._live is None:
            self._live = LivePreview(self.ids.preview, self.app.core.camera_preview)
        self._live.start()

    def on_leave(self, *_args: Any) -> None:
        if self._live is not None:
            self._live.stop()

    def type_instead(self) -> None:
        self.app.runner.send(Back())

    def reset(self) -> None:
        self.notice = ""
        if self._live is not None:
            self._live.stop()
