"""Out of service: the kiosk cannot serve anyone now, so it says where to go instead.

Shown from the attract screen when the last health check says the kiosk cannot serve
(locked from the fleet, no identity device working, or platform away with a full
outbox: kiosk/maint/health.py). It checks again every few seconds and goes back to the
attract screen by itself once the kiosk can serve. The technician's hidden corner still
works here.
"""

from __future__ import annotations

from typing import Any

from kivy.clock import Clock
from kivy.properties import StringProperty

from kiosk.hardware import CardEvent, CardPayload, CardSource
from screens.base import KioskScreen

CHECK_S = 1.0


class OutOfServiceScreen(KioskScreen):
    voiced = ("reason", "alternative")
    reason = StringProperty("")
    alternative = StringProperty("")

    def render(self) -> None:
        app = self.app
        _serving, reason = app.core.serving()
        snapshot = app.core.health.snapshot()
        message = snapshot.fleet_message if snapshot is not None else ""
        if reason == "fleet_locked" and message:
            self.reason = message
        else:
            self.reason = app.tr(f"outofservice.reason.{reason or 'fleet_locked'}")
        alt = app.core.settings.site.nearest_alternative
        lines = [alt.name, app.tr("outofservice.address", address=alt.address)]
        if alt.hours:
            lines.append(app.tr("outofservice.hours", hours=alt.hours))
        if alt.phone:
            lines.append(app.tr("outofservice.phone", phone=alt.phone))
        self.alternative = "\n".join(lines)

    _check: Any = None

    def on_enter(self, *_args: Any) -> None:
        self._check = Clock.schedule_interval(self._tick, CHECK_S)

    def on_leave(self, *_args: Any) -> None:
        if self._check is not None:
            self._check.cancel()
            self._check = None

    def _tick(self, _dt: float) -> None:
        serving, _reason = self.app.core.serving()
        if serving:
            self.app.nav.go("attract", remember=False)
        else:
            self.render()  # the reason may change (a lock lifted, a device died)

    def on_card(self, event: CardEvent, payload: CardPayload, source: CardSource) -> bool:
        return True  # nothing can be done with a card here
