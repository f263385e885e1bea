"""Maintenance mode: each device's state with a test, the outbox, the network paths, the
versions and the recent (redacted) log. Reached only through the technician sign-in.

Every test runs off the UI thread; a card test waits for the next card and shows only
its masked view (kiosk/identity/cardview.py). Leaving, or the idle timeout, ends maintenance like
a session and returns to the attract screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.errors import describe
from kiosk.hardware import CardEvent, CardPayload, CardSource
from kiosk.identity.cardview import idcard_view, smartcard_view
from screens.base import KioskScreen
from screens.images import LivePreview, texture_from_bgr
from screens.widgets import KButton

if TYPE_CHECKING:
    from screens.app import KioskApp

DEVICE_TESTS = {
    "idcard": "read",
    "smartcard": "read",
    "printer": "print",
    "docscan": "shoot",
    "camera": "preview",
}
PREVIEW_S = 0.25


class MaintScreen(KioskScreen):
    result = StringProperty("")
    waiting_for = StringProperty("")  # the card device whose test waits for a card

    def render(self) -> None:
        snapshot = self.app.core.health.snapshot() or self.app.core.health.refresh()
        self._fill(snapshot)

    def refresh(self) -> None:
        self.app.worker.run(self.app.core.health.refresh, self._fill)

    # ---- what is shown ----

    def _fill(self, snapshot: Any) -> None:
        tr, rt = self.app.tr, self.app.core
        devices = self.ids.devices
        rows = {row.kind: row for row in devices.children}
        if list(snapshot.devices) != [row.kind for row in reversed(devices.children)]:
            devices.clear_widgets()  # the set of devices changed: lay the rows out anew
            rows = {}
            for kind in snapshot.devices:
                rows[kind] = self._device_row(kind)
                devices.add_widget(rows[kind])
        for kind, status in snapshot.devices.items():  # in place: a tap in flight lands
            self._show_state(rows[kind], status)
        self.ids.outbox.text = tr(
            "maint.outbox_figures",
            depth=snapshot.outbox_depth,
            age=_age(snapshot.oldest_pending_s, tr),
        )
        self.ids.network.text = "\n".join(
            f"{tr(f'maint.link.{name}')}：{_link(link, tr)}"
            for name, link in (("platform", snapshot.platform), ("fleet", snapshot.fleet))
        )
        self.ids.versions.text = tr("maint.versions_line", **rt.versions())
        lines = rt.recent_log(30)
        self.ids.log.text = "\n".join(line[:140] for line in lines) or tr("maint.log_empty")

    def _device_row(self, kind: str) -> Any:
        row = Factory.MaintDeviceRow()
        row.kind = kind
        row.button = KButton(tid=f"maint-test-{kind}", size_hint_x=0.36)
        row.button.bind(on_release=lambda _b, k=kind: self.test(k))
        row.add_widget(row.button)
        return row

    def _show_state(self, row: Any, status: Any) -> None:
        tr, kind = self.app.tr, row.kind
        row.name = tr(f"maint.device.{kind}")  # again: the language may have changed
        row.button.text = tr(f"maint.test.{DEVICE_TESTS[kind]}")
        state = str(status.device)
        row.state = tr(f"maint.state.{state}")
        row.good = state in ("online", "busy", "starting")
        paper = status.supplies.get("paper")
        if paper is not None:
            row.state += " · " + tr("maint.paper", level=tr(f"maint.supply.{paper}"))

    # ---- device tests ----

    def test(self, kind: str) -> None:
        self._stop_preview()
        self.ids.preview.texture = None
        tr, tests = self.app.tr, self.app.core.device_tests
        if kind in ("idcard", "smartcard"):
            self.waiting_for = kind
            self.result = tr(f"maint.result.wait_{kind}")
        elif kind == "printer":
            self.result = tr("maint.result.printing")
            self.app.worker.run(tests.print_test_page, self._printed, self._failed)
        elif kind == "docscan":
            self.result = tr("maint.result.shooting")
            self.app.worker.run(tests.docscan_frame, self._show_frame, self._failed)
        elif kind == "camera":
            self.result = tr("maint.result.starting")
            self.app.worker.run(tests.start_camera, self._camera_started, self._failed)

    def check_paper(self) -> None:
        def done(report: dict[str, Any]) -> None:
            tr = self.app.tr
            paper = report.get("supplies", {}).get("paper", "unknown")
            ready = tr("maint.ready" if report["ready"] else "maint.not_ready")
            self.result = tr("maint.result.paper", level=tr(f"maint.supply.{paper}"), ready=ready)

        self.app.worker.run(self.app.core.device_tests.printer_report, done, self._failed)

    def on_card(self, event: CardEvent, payload: CardPayload, source: CardSource) -> bool:
        """Cards during maintenance are tests, never a citizen's session."""
        if source != self.waiting_for:
            return True
        if (
            event is CardEvent.INSERTED
            and payload is not None
            and not isinstance(payload, Exception)
        ):
            view = idcard_view(payload) if source is CardSource.IDCARD else smartcard_view(payload)
            self.waiting_for = ""
            self.result = self.app.tr("maint.result.card_read") + "\n" + _card_lines(view)
        elif event is CardEvent.ERROR and isinstance(payload, Exception):
            self.result = self.app.tr("maint.result.card_error", code=_failure(self.app, payload))
        return True

    def _printed(self, outcome: str) -> None:
        key = "maint.result.printed" if outcome == "printed" else "maint.result.not_printed"
        self.result = self.app.tr(key, reason=outcome)
        self.refresh()

    def _show_frame(self, frame: np.ndarray) -> None:
        self.ids.preview.texture = texture_from_bgr(frame)
        self.result = self.app.tr("maint.result.frame", w=frame.shape[1], h=frame.shape[0])

    def _camera_started(self, frame: np.ndarray) -> None:
        self._show_frame(frame)
        if self._live is None:
            self._live = LivePreview(self.ids.preview, self.app.core.camera_preview, PREVIEW_S)
        self._live.start()
        self._previewing = True

    _live: LivePreview | None = None
    _previewing = False  # the camera test started the camera: stop it when done

    def _stop_preview(self) -> None:
        if self._previewing and self._live is not None:
            self._previewing = False
            self._live.stop()
            self.app.worker.run(self.app.core.device_tests.stop_camera, lambda _v: None)

    def _failed(self, exc: BaseException) -> None:
        self.result = self.app.tr("maint.result.failed", code=_failure(self.app, exc))

    # ---- outbox ----

    def flush(self) -> None:
        self.result = self.app.tr("maint.result.flushing")

        def done(report: Any) -> None:
            self.result = self.app.tr(
                "maint.result.flushed", sent=report.sent, remaining=report.remaining
            )
            self.refresh()

        self.app.worker.run(self.app.core.flush_outbox, done, self._failed)

    # ---- leaving ----

    def on_leave(self, *_args: Any) -> None:
        self._stop_preview()

    def reset(self) -> None:
        self._stop_preview()
        self.result = self.waiting_for = ""
        if self.app is not None and self.app.core.technicians is not None:
            self.app.core.technicians.leave("ended")
        if "preview" in self.ids:
            self.ids.preview.texture = None


def _failure(app: KioskApp, exc: BaseException) -> str:
    """What a technician reads of a failed test: the message, and the device's code."""
    code = getattr(exc, "code", "") or type(exc).__name__
    return f"{app.tr(describe(exc).key)} ({str(code)[:40]})"


def _age(seconds: float | None, tr: Any) -> str:
    if seconds is None:
        return tr("maint.none_pending")
    if seconds < 3600:
        return tr("maint.minutes", n=int(seconds // 60))
    return tr("maint.hours", n=round(seconds / 3600, 1))


def _link(link: Any, tr: Any) -> str:
    if link.reachable is None:
        return tr("maint.link.not_configured")
    if not link.reachable:
        return tr("maint.link.unreachable")
    return tr("maint.link.ok", ms=link.latency_ms)


CARD_FIELDS = ("card_type", "card", "name", "id_number", "card_number", "pan", "birth_year")


def _card_lines(view: dict[str, Any]) -> str:
    """The masked view's telling fields, one per line (a person's part nested)."""
    flat = {**view, **(view.get("personal") or {})}
    return "\n".join(f"{k}: {flat[k]}" for k in CARD_FIELDS if flat.get(k) not in (None, ""))
