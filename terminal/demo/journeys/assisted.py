"""帮办代办: an agent signs in by staff number and PIN, sees the station's desk, serves a
citizen (ID card → consent on screen → the separate photo consent) and runs 承诺办 for
them. ``ok`` when the platform holds the application on the assisted channel, the
rating names the agent, the audit log has each step with the citizen masked, and the
session's end signed the agent out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from devices.idcard.fixtures import FIXTURES
from terminal.demo.journeys.steps import Trip
from terminal.demo.script import capture_required, fill_form
from terminal.harness import runtime_of, sandbox_of, simulation_of

STAFF_NO, STAFF_NAME, STAFF_PIN = "1007", "李代办", "208731"
MATTER = "33102300MZ-JF-0001"  # 高龄津贴申领


def ensure_agent(runtime: Any, card_id: str | None = None) -> None:
    """The demo agent of this station (added once per state directory)."""
    if all(m.staff_no != STAFF_NO for m in runtime.staff.members()):
        station = runtime.settings.site.station_id
        runtime.staff.add(STAFF_NO, STAFF_NAME, STAFF_PIN, station, card_id=card_id)


def sign_in_by_pin(pilot: Any, staff_no: str = STAFF_NO, pin: str = STAFF_PIN) -> None:
    pilot.tap("staff")
    pilot.wait_screen("staff_signin")
    pilot.type(staff_no)
    pilot.tap("staff-next")
    pilot.type(pin)
    pilot.tap("staff-next")


def serve_with_consent(app: Any, pilot: Any, shoot: Any) -> None:
    """From the desk: the citizen's ID card, consent on screen, the photo consent."""
    pilot.tap("desk-serve")
    pilot.wait_screen("identity")
    simulation_of(app).lay_test_card("elder")
    pilot.wait_screen("consent")
    shoot("consent")
    pilot.tap("consent-screen")
    pilot.wait_screen("biometric")
    shoot("biometric")
    pilot.tap("bio-agree")
    pilot.wait_until(lambda: pilot.find("bio-done"), "the photo check")
    shoot("photo-check")  # the chip photo, or why there is none
    pilot.tap("bio-done")
    pilot.wait_screen("home")
    shoot("home")


def apply_for(app: Any, pilot: Any, shoot: Any, matter_code: str = MATTER) -> str:
    """The matter's 承诺办 journey from the home screen to the done screen."""

    pilot.tap(f"matter-{matter_code}")
    pilot.wait_screen("matter")
    pilot.tap("apply")
    pilot.wait_screen("notice")
    pilot.tap("notice-accept")
    pilot.wait_screen("form")
    fill_form(app, pilot)
    pilot.tap("form-next")
    pilot.wait_screen("capture")
    capture_required(app, pilot)
    pilot.wait_screen("review")
    shoot("review")
    pilot.tap("review-confirm")
    pilot.wait_screen("receipt", timeout=60)
    shoot("receipt")
    number: str = app.session.submission.number
    pilot.tap("receipt-continue")
    pilot.wait_screen("rating")
    pilot.tap("rate-5")
    pilot.wait_screen("done")
    return number


def run(app: Any, pilot: Any, out: Path) -> dict[str, Any]:

    runtime = runtime_of(app)
    ensure_agent(runtime)
    trip = Trip(app, pilot, out)
    seq = max((e.seq for e in runtime.audit.query(limit=100_000)), default=0)
    pilot.wait_screen("attract")
    sign_in_by_pin(pilot)
    pilot.wait_screen("staff_desk")
    pilot.wait_until(lambda: app.nav.screen("staff_desk").state == "loaded", "the desk's lists")
    trip.shoot("desk")
    serve_with_consent(app, pilot, trip.shoot)
    number = apply_for(app, pilot, trip.shoot)
    trip.shoot("done")
    pilot.tap("done-finish")
    pilot.wait_screen("attract")
    drained = runtime.wait_for_outbox(timeout=30)
    status = runtime.outbox.lookup(number)
    case_no = status.case_no if status is not None else None
    channel = sandbox_of(app).application(case_no)["channel"] if case_no else None
    ratings = [r[0] for r in sandbox_of(app).db.query("SELECT body FROM ratings")]
    rated = any(f'"id": "{STAFF_NO}"' in r and (case_no or "?") in r for r in ratings)
    entries = runtime.audit.query(after_seq=seq)
    actions = [(e.action, e.outcome) for e in entries]
    expected = [
        ("sign_in", "ok"),
        ("consent", "ok"),
        ("biometric_consent", "ok"),
        ("submit", "ok"),
        ("rating", "ok"),
        ("sign_out", "ok"),
    ]
    masked = all(_masked(e.subject) for e in entries)
    signed_out = runtime.desk.current is None
    audited = actions == expected and masked and runtime.audit.verify()
    return {
        "ok": bool(drained and channel == "assisted" and rated and audited and signed_out),
        "tracking_number": case_no or number,
        "channel": channel,
        "rating_names_agent": rated,
        "audit": [e.to_json() for e in entries],
        "agent_signed_out": signed_out,
        "screens": trip.shots,
    }


def _masked(subject: str) -> bool:
    """No full name or ID number of the demo citizen in an audit row."""

    elder = FIXTURES["elder"]
    return elder.name not in subject and elder.id_number not in subject
