"""退回补正: a case filed at another kiosk comes back for the household register; here it
is looked up, the applicant's card read, that one material captured and sent to the same
case, then rated. ``ok`` when the platform holds the correction on that case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devices.idcard.fixtures import FIXTURES
from terminal.demo.journeys.cases import OtherKiosk
from terminal.demo.script import shoot
from terminal.harness import runtime_of, sandbox_of, simulation_of

MISSING = ("household_register",)


def run(app: Any, pilot: Any, out: Path) -> dict[str, Any]:

    runtime = runtime_of(app)
    person = FIXTURES["elder"]
    other = OtherKiosk(runtime)
    case_no = other.file(person.id_number, person.name)
    other.decide(case_no, "returned", MISSING)
    shots: list[str] = []
    try:
        pilot.wait_screen("attract")
        pilot.tap("attract-tracking")
        pilot.wait_screen("tracking_lookup")
        pilot.tap("key-clear")
        for char in case_no:
            pilot.tap(f"key-{char}")
        pilot.tap("tracking-search")
        pilot.wait_screen("tracking_case", timeout=30)
        shoot(pilot, out, "tracking_case", shots)
        pilot.tap("case-correct")
        pilot.wait_screen("identity")
        shoot(pilot, out, "identity", shots)
        simulation_of(app).lay_test_card("elder")
        pilot.wait_screen("notice", timeout=30)
        shoot(pilot, out, "notice", shots)
        pilot.tap("notice-accept")
        pilot.wait_screen("capture")
        flow = app.flow
        pilot.tap("capture-shoot")
        pilot.wait_until(lambda: flow.pages_for(MISSING[0]), "the page", timeout=60)
        shoot(pilot, out, "capture", shots)
        pilot.tap("capture-next")
        pilot.wait_screen("review")
        shoot(pilot, out, "review", shots)
        pilot.tap("review-confirm")
        pilot.wait_screen("receipt", timeout=60)
        shoot(pilot, out, "receipt", shots)
        same_case = app.session.submission.number == case_no
        pilot.tap("receipt-continue")
        pilot.wait_screen("rating")
        shoot(pilot, out, "rating", shots)
        pilot.tap("rate-5")
        pilot.wait_screen("done")
        pilot.tap("done-finish")
        pilot.wait_screen("attract")
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
        "screens": shots,
    }
