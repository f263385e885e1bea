"""办件查询 through the real screens: typed on the keypad, scanned from the receipt's QR
code, or by the ID card; the colour against the promised date; bad input (an unknown
number, a code that is not ours) told clearly; the platform down, with a provisional
number still queued here shown from this kiosk's outbox; the printer down changes
nothing (it is all on screen)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from config import I18N_DIR
from devices.idcard.fixtures import FIXTURES
from kiosk.i18n import load_messages
from kiosk.outbox import Submission
from kiosk.receipts.qrcodes import QrKeyring, receipt_qr
from kiosk.upstream import Applicant
from terminal.demo.journeys.cases import ALLOWANCE, ANSWERS, OtherKiosk
from terminal.demo.journeys.steps import look_up_case
from tests.support.ui import paper_out

ZH = load_messages("zh_CN", I18N_DIR)
ELDER_ID, ELDER = FIXTURES["elder"].id_number, FIXTURES["elder"].name
SHOTS = Path(tempfile.gettempdir()) / "kiosk-ui-shots" / "tracking"  # to look at, not kept


def shot(pilot: Any, name: str) -> None:
    pilot.screenshot(SHOTS / f"{name}.png")


def texts(pilot: Any) -> str:
    return "\n".join(pilot.texts())


def open_lookup(pilot: Any) -> None:
    pilot.tap("attract-tracking")
    pilot.wait_screen("tracking_lookup")


def test_a_number_typed_on_the_keypad_shows_the_timeline_and_colour_printer_down(
    ui: tuple[Any, Any], other: OtherKiosk
) -> None:
    app, pilot = ui
    case_no = other.file(ELDER_ID, ELDER)
    with paper_out(app):  # nothing here prints: the answer is on screen
        open_lookup(pilot)
        shot(pilot, "lookup")
        look_up_case(pilot, case_no)
        pilot.wait_screen("tracking_case")
    screen = app.nav.current_screen
    assert screen.rag == "green" and screen.rag_text.startswith(ZH["tracking.rag.green"])
    assert case_no in screen.number and "高龄津贴" in screen.heading
    assert ZH["tracking.timeline"] in texts(pilot) and ZH["tracking.status.received"] in texts(
        pilot
    )
    assert screen.promised.startswith(ZH["tracking.promised"].split("{")[0])
    # Regression (issue 19, item 7b): each state once, not "已收件（已收件，等待材料上传）".
    received = ZH["tracking.status.received"]
    assert f"{received}（{received}" not in texts(pilot)
    assert ELDER not in texts(pilot) and ELDER_ID not in texts(pilot)  # progress, no person
    shot(pilot, "case-green")
    pilot.tap("case-done")
    pilot.wait_screen("done")


def test_an_unknown_or_malformed_number_is_told_at_the_keypad(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    open_lookup(pilot)
    look_up_case(pilot, "12")
    assert pilot.screen == "tracking_lookup"
    assert app.nav.current_screen.notice == ZH["tracking.error.number_format"]
    look_up_case(pilot, "33011020990101000010")
    pilot.wait_until(
        lambda: pilot.screen == "tracking_lookup" and app.nav.current_screen.notice, "the notice"
    )
    assert app.nav.current_screen.notice == ZH["tracking.error.unknown"]
    assert app.nav.current_screen.number == "33011020990101000010"  # kept, to be corrected
    shot(pilot, "unknown-number")


def test_our_receipt_code_is_read_and_a_lookalike_refused(
    ui: tuple[Any, Any], other: OtherKiosk
) -> None:
    app, pilot = ui
    case_no = other.file(ELDER_ID, ELDER)
    camera = app.core.simulators.camera
    forged = receipt_qr(case_no, QrKeyring(b"not-this-kiosks-key-at-all-32byt"))
    camera.show(forged)
    try:
        open_lookup(pilot)
        pilot.tap("tracking-scan")
        pilot.wait_screen("tracking_scan")
        pilot.wait_until(lambda: app.nav.current_screen.notice, "the refusal", timeout=30)
        assert app.nav.current_screen.notice == ZH["tracking.error.not_ours"]
        assert pilot.screen == "tracking_scan"  # the camera stays on for the right code
        scan = app.nav.current_screen
        pilot.wait_until(lambda: scan.ids.preview.texture is not None, "the live preview")
        shot(pilot, "scan-refused")
        camera.show(receipt_qr(case_no, app.core.intake.qr_keys))
        pilot.wait_screen("tracking_case", timeout=30)
    finally:
        camera.hide()
    assert case_no in app.nav.current_screen.number
    assert scan.ids.preview.texture is None  # the picture of the paper went with the screen
    assert app.core.hardware.camera.latest() is None  # and the camera keeps no frame


def test_the_id_card_lists_every_case_of_the_person(ui: tuple[Any, Any], other: OtherKiosk) -> None:
    app, pilot = ui
    first = other.file(ELDER_ID, ELDER)
    returned = other.file(ELDER_ID, ELDER)
    other.decide(returned, "returned", ("household_register",))
    open_lookup(pilot)
    pilot.tap("tracking-card")
    pilot.wait_screen("identity")
    app.core.simulation.lay_test_card("elder")
    pilot.wait_screen("tracking_cases", timeout=30)
    flow = app.flow
    numbers = {view.number: view for view in flow.cases}
    assert {first, returned} <= set(numbers)
    assert numbers[returned].rag == "action"
    shot(pilot, "cases")
    pilot.tap(f"case-{returned}")
    pilot.wait_screen("tracking_case")
    screen = app.nav.current_screen
    assert screen.rag == "action" and screen.can_correct
    assert "户口簿" in texts(pilot)
    shot(pilot, "case-returned")


def test_with_the_platform_down_a_queued_number_is_shown_from_the_outbox(
    ui: tuple[Any, Any],
) -> None:
    app, pilot = ui
    runtime = app.core
    runtime.pump.stop()
    runtime.sandbox.stop()
    down = True
    try:
        matter = runtime.catalogue.get(ALLOWANCE)
        queued = runtime.outbox.enqueue(
            Submission(
                matter_code=ALLOWANCE,
                matter_name=matter.name.zh_CN,
                department=matter.department.name.zh_CN,
                applicant=Applicant("resident_id", ELDER_ID, ELDER, None),
                answers=dict(ANSWERS),
                attachments=[],
                channel="kiosk",
                station_id=runtime.settings.site.station_id,
                region_code=runtime.settings.site.region_code,
            )
        )
        runtime.confirm(queued.provisional_no)
        open_lookup(pilot)
        look_up_case(pilot, queued.provisional_no)
        pilot.wait_screen("tracking_case", timeout=30)
        assert ZH["tracking.local.queued"] in texts(pilot)
        shot(pilot, "case-queued-offline")
        pilot.tap("back")
        pilot.wait_screen("tracking_lookup")
        look_up_case(pilot, "33011020990101000010")
        pilot.wait_screen("problem", timeout=30)
        assert app.nav.current_screen.message == ZH["error.upstream.live"]
        assert app.nav.current_screen.can_retry
        shot(pilot, "platform-down")
        runtime.sandbox.start()
        down = False
        pilot.tap("problem-retry")
        pilot.wait_until(
            lambda: pilot.screen == "tracking_lookup" and app.nav.current_screen.notice, "lookup"
        )
        assert app.nav.current_screen.notice == ZH["tracking.error.unknown"]
    finally:
        if down:
            runtime.sandbox.start()
        runtime.pump.start()
