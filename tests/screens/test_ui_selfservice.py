"""自助办 through the real screens: the mobile channel's QR code and the full guide; a
printer out of paper is said plainly and the QR code stays; elderly mode still fits."""

from __future__ import annotations

from typing import Any

from config import I18N_DIR
from kiosk.i18n import load_messages
from terminal.demo.journeys.selfservice import CODE
from terminal.demo.journeys.steps import Trip
from tests.support.ui import paper_out

ZH = load_messages("zh_CN", I18N_DIR)


def to_guide(app: Any, pilot: Any) -> Trip:
    trip = Trip(app, pilot, None)
    trip.open_matter("bxf", CODE)
    trip.start(CODE, "self_service")
    trip.wait("guide")
    return trip


def test_a_printer_out_of_paper_is_said_and_the_qr_code_stays(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    trip = to_guide(app, pilot)
    flow = app.flow
    screen = app.nav.screen("guide")
    assert screen.ids.qr.texture is not None
    assert "办理部门" in pilot.texts()  # the full guide, not a summary
    with paper_out(app):
        pilot.tap("guide-print")
        pilot.wait_until(lambda: flow.printed is False, "the print refused", timeout=30)
        pilot.step(2)
        assert ZH["error.printer.paper_out"] in pilot.texts()
        assert screen.ids.qr.texture is not None
    pilot.tap("guide-print")
    pilot.wait_until(lambda: flow.printed is True, "printed at last", timeout=30)
    pilot.tap("guide-finish")
    trip.finish()


def test_elderly_mode_keeps_the_guide_screen_inside_the_window(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    trip = to_guide(app, pilot)
    pilot.tap("elderly")
    pilot.step(3)
    try:
        for tid in ("guide-print", "guide-finish"):
            button = pilot.find(tid)
            x, y = button.to_window(*button.pos)
            assert y >= 0 and x + button.width <= app.root_window.width
            assert button.height >= 60  # the elderly touch target
    finally:
        pilot.tap("elderly")
    app.finish()
    trip.wait("attract")
