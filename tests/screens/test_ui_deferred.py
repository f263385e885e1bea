"""延时办 through the real screens: a missing phone number is refused with everything
typed kept; with the platform down the request is queued (a provisional number), the
receipt still says who calls back by when, and it reaches the platform later."""

from __future__ import annotations

from typing import Any

from config import I18N_DIR
from kiosk.i18n import load_messages
from terminal.demo.journeys.deferred import ANSWERS, CODE
from terminal.demo.journeys.steps import Trip
from tests.support.ui import platform_down

ZH = load_messages("zh_CN", I18N_DIR)


def applying(app: Any, pilot: Any) -> Trip:
    trip = Trip(app, pilot, None)
    trip.apply("zgrz", CODE, "deferred")
    return trip


def test_a_missing_phone_is_refused_and_nothing_typed_is_lost(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    trip = applying(app, pilot)
    trip.wait("form")
    trip.fill({k: v for k, v in ANSWERS.items() if k != "phone"})
    pilot.tap("form-next")
    pilot.step(3)
    assert pilot.screen == "form"
    screen = app.nav.screen("form")
    assert screen.errors == {"phone": "form.error.required"}, screen.errors
    # regression: the refused field got the focus but its message was not shown
    assert screen.active == "phone" and screen.error_text == ZH["form.error.required"]
    assert app.flow.step.value == "form"  # nothing submitted
    assert any("东湖村三组" in t for t in pilot.texts())  # the address is still there
    trip.fill({"phone": ANSWERS["phone"]})
    pilot.tap("form-next")
    trip.wait("review")
    assert app.session.answers["address"] == "东湖村三组"
    app.finish()
    trip.wait("attract")


def test_with_the_platform_down_the_request_is_queued_and_the_receipt_says_who_calls(
    ui: tuple[Any, Any],
) -> None:
    app, pilot = ui
    runtime = app.core
    trip = applying(app, pilot)
    trip.answer_form(ANSWERS)
    with platform_down(app):
        pilot.tap("review-confirm")
        trip.wait("receipt", timeout=60)
        sub = app.session.submission
        assert sub.provisional and sub.kind == "deferred"
        texts = pilot.texts()
        assert ZH["receipt.provisional"] in texts
        assert any(sub.callback_org in t and sub.callback_by in t for t in texts)
        assert sub.callback_org in trip.printed_text()
    pilot.tap("receipt-continue")
    trip.rate_and_finish()
    assert runtime.wait_for_outbox(timeout=30)
    status = runtime.outbox.lookup(sub.number)
    assert status is not None and status.case_no
    assert runtime.sandbox.application(status.case_no)["form"]["service"] == "home_visit"
