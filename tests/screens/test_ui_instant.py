"""即时办 through the real screens: a platform that is down is said plainly and a retry
finishes the same application; a printer out of paper is said plainly and the
certificate stays on screen, masked, until it prints."""

from __future__ import annotations

from typing import Any

from config import I18N_DIR
from kiosk.i18n import load_messages
from terminal.demo.journeys.steps import Trip
from tests.support.ui import paper_out, platform_down

ZH = load_messages("zh_CN", I18N_DIR)
FUND = "33102300GJ-GG-0001"  # 住房公积金缴存证明: free, instant


def to_review(app: Any, pilot: Any) -> Trip:
    trip = Trip(app, pilot, None)
    trip.apply("gjj", FUND, "instant")
    trip.answer_form({"purpose": "record"})
    return trip


def fund_cases(runtime: Any) -> int:
    return sum(1 for a in runtime.sandbox.applications() if a["matter_code"] == FUND)


def test_a_platform_that_is_down_is_said_plainly_and_a_retry_is_the_same_case(
    ui: tuple[Any, Any],
) -> None:
    app, pilot = ui
    runtime = app.core
    trip = to_review(app, pilot)
    before = fund_cases(runtime)
    with platform_down(app):
        pilot.tap("review-confirm")
        trip.wait("problem", timeout=30)
        assert ZH["error.upstream.live"] in pilot.texts()
        assert app.flow.certificate is None and app.session.identity is not None
    pilot.tap("problem-retry")
    trip.wait("certificate", timeout=30)
    flow = app.flow
    pilot.wait_until(lambda: flow.printed is not None, "the certificate printed", timeout=30)
    assert flow.printed is True and ZH["certificate.printed"] in pilot.texts()
    assert fund_cases(runtime) == before + 1  # the retry did not apply twice
    pilot.tap("certificate-continue")
    trip.rate_and_finish()


def test_a_printer_out_of_paper_is_said_and_the_certificate_stays_on_screen_masked(
    ui: tuple[Any, Any],
) -> None:
    app, pilot = ui
    trip = to_review(app, pilot)
    identity = app.session.identity
    with paper_out(app):
        pilot.tap("review-confirm")
        trip.wait("certificate", timeout=30)
        flow = app.flow
        pilot.wait_until(lambda: flow.printed is False, "the print refused", timeout=30)
        texts = pilot.texts()
        assert ZH["error.printer.paper_out"] in texts
        assert flow.certificate.title in texts  # still shown
        assert any("1101**********" in t for t in texts)
        assert not any(identity.id_number in t for t in texts)
    pilot.tap("certificate-print")
    pilot.wait_until(lambda: app.flow.printed is True, "printed at last", timeout=30)
    assert ZH["certificate.printed"] in pilot.texts()
    pilot.tap("certificate-continue")
    trip.rate_and_finish()
