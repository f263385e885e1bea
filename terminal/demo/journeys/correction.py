"""退回补正: a case filed at another kiosk comes back for the household register; here it
is looked up, the applicant's card read, that one material captured and sent to the same
case, then rated. ``ok`` when the platform holds the correction on that case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devices.idcard.fixtures import FIXTURES
from terminal.demo.journeys.cases import OtherKiosk
from terminal.demo.journeys.steps import Trip, look_up_case
from terminal.harness import runtime_of, sandbox_of, simulation_of

MISSING = ("household_register",)


def run(app: Any, pilot: Any, out: Path) -> dict[str, Any]:

    runtime = runtime_of(app)
    person = FIXTURES["elder"]
    other = OtherKiosk(runtime)
    case_no = other.file(person.id_number, person.name)
    other.decide(case_no, "returned", MISSING)
    trip = Trip(app, pilot, out)
    try:
        trip.wait("attract")
        pilot.tap("attract-tracking")
        trip.wait("tracking_lookup")
        look_up_case(pilot, case_no)
        trip.reach("tracking_case", timeout=30)
        pilot.tap("case-correct")
        trip.reach("identity")
        simulation_of(app).lay_test_card("elder")
        trip.reach("notice", timeout=30)
        pilot.tap("notice-accept")
        trip.wait("capture")
        flow = app.flow
        pilot.tap("capture-shoot")
        pilot.wait_until(lambda: flow.pages_for(MISSING[0]), "the page", timeout=60)
        trip.shoot("capture")
        pilot.tap("capture-next")
        trip.reach("review")
        pilot.tap("review-confirm")
        trip.reach("receipt", timeout=60)
        same_case = app.session.submission.number == case_no
        pilot.tap("receipt-continue")
        trip.rate_and_finish()
        drained = runtime.wait_for_outbox(timeout=30)
        corrections = sandbox_of(app).corrections(case_no)
    finally:
        other.normal_speed()
    materials = corrections[0]["materials"] if corrections else []
    complete = bool(corrections) and all(a["complete"] for a in corrections[0]["attachments"])
    return {
        "ok": bool(same_case and drained and materials == list(MISSING) and complete),
        "case_no": case_no,
        "same_case": same_case,
        "materials": materials,
        "screens": trip.shots,
    }
