"""办件查询: a case filed at another kiosk, found here three ways — its number typed on
the keypad, its receipt's QR code (after a look-alike is refused), the ID card.
``ok`` when each way reaches the case and the look-alike is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devices.idcard.fixtures import FIXTURES
from kiosk.receipts.qrcodes import QrKeyring, receipt_qr
from terminal.demo.journeys.cases import OtherKiosk
from terminal.demo.journeys.steps import Trip, look_up_case
from terminal.harness import runtime_of, simulation_of


def run(app: Any, pilot: Any, out: Path) -> dict[str, Any]:

    person = FIXTURES["elder"]
    other = OtherKiosk(runtime_of(app))
    case_no = other.file(person.id_number, person.name)
    trip = Trip(app, pilot, out)
    trip.reach("attract")
    pilot.tap("attract-tracking")
    trip.reach("tracking_lookup")
    look_up_case(pilot, case_no)
    trip.wait("tracking_case", timeout=30)
    typed = app.nav.current_screen.rag
    trip.shoot("tracking_case")
    pilot.tap("back")
    trip.wait("tracking_lookup")
    simulation = simulation_of(app)
    simulation.hold_up_code(receipt_qr(case_no, QrKeyring(b"a-look-alike-from-elsewhere-0001")))
    try:
        pilot.tap("tracking-scan")
        trip.wait("tracking_scan")
        pilot.wait_until(lambda: app.nav.current_screen.notice, "the refusal", timeout=30)
        refused = pilot.screen == "tracking_scan"
        trip.shoot("tracking_scan")
        simulation.hold_up_code(receipt_qr(case_no, app.core.intake.qr_keys))
        trip.wait("tracking_case", timeout=30)
        scanned = case_no in app.nav.current_screen.number
    finally:
        simulation.take_code_away()
    pilot.tap("back")
    trip.wait("tracking_lookup")
    pilot.tap("tracking-card")
    trip.wait("identity")
    simulation.lay_test_card("elder")
    pilot.wait_until(lambda: pilot.screen in ("tracking_cases", "tracking_case"), "cases", 30)
    pilot.step(3)
    by_card = any(v.number == case_no for v in app.flow.cases) or (
        app.flow.case is not None and app.flow.case.number == case_no
    )
    trip.shoot(pilot.screen)
    app.finish()
    trip.wait("attract")
    return {
        "ok": bool(typed and refused and scanned and by_card),
        "case_no": case_no,
        "colour": typed,
        "lookalike_refused": refused,
        "scanned": scanned,
        "by_card": by_card,
        "screens": trip.shots,
    }
