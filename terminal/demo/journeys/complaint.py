"""意见投诉: category, words typed in pinyin, a phone, the reference on paper (rendered to
PNG). ``ok`` when the slip printed with the reference and the platform has it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from terminal.demo.journeys.steps import Trip, pick_candidate
from terminal.harness import runtime_of

WORDS = [("ban", "办"), ("shi", "事"), ("tai", "太"), ("man", "慢"), ("le", "了")]


def run(app: Any, pilot: Any, out: Path) -> dict[str, Any]:
    runtime = runtime_of(app)
    trip = Trip(app, pilot, out)
    trip.wait("attract")
    pilot.tap("start")
    trip.reach("home")
    pilot.tap("home-complaint")
    trip.reach("complaint_category")
    pilot.tap("category-efficiency")
    trip.wait("compose")
    for letters, char in WORDS:
        pilot.type(letters)
        pick_candidate(pilot, char)
    trip.shoot("compose")
    pilot.tap("compose-done")
    trip.wait("complaint_contact")
    pilot.type("13800138000")
    trip.shoot("complaint_contact")
    pilot.tap("contact-next")
    trip.reach("complaint_ticket", timeout=30)
    flow = app.flow
    reference, printed = flow.reference, bool(flow.printed)
    slip_png = trip.paper("complaint-slip")
    pilot.tap("ticket-continue")
    trip.finish()
    drained = runtime.wait_for_outbox(timeout=30)
    status = runtime.outbox.messages.status(reference)
    return {
        "ok": bool(printed and slip_png and drained and status and status.remote_id),
        "reference": reference,
        "platform_id": status.remote_id if status else None,
        "slip_printed": printed,
        "slip_png": slip_png,
        "screens": trip.shots,
    }
