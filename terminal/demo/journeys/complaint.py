"""意见投诉: category, words typed in pinyin, a phone, the reference on paper (rendered to
PNG). ``ok`` when the slip printed with the reference and the platform has it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from terminal.demo.script import pick_candidate, shoot
from terminal.harness import runtime_of, simulation_of

WORDS = [("ban", "办"), ("shi", "事"), ("tai", "太"), ("man", "慢"), ("le", "了")]


def run(app: Any, pilot: Any, out: Path) -> dict[str, Any]:
    runtime = runtime_of(app)
    shots: list[str] = []
    pilot.wait_screen("attract")
    pilot.tap("start")
    pilot.wait_screen("home")
    shoot(pilot, out, "home", shots)
    pilot.tap("home-complaint")
    pilot.wait_screen("complaint_category")
    shoot(pilot, out, "complaint_category", shots)
    pilot.tap("category-efficiency")
    pilot.wait_screen("compose")
    for letters, char in WORDS:
        pilot.type(letters)
        pick_candidate(pilot, char)
    shoot(pilot, out, "compose", shots)
    pilot.tap("compose-done")
    pilot.wait_screen("complaint_contact")
    pilot.type("13800138000")
    shoot(pilot, out, "complaint_contact", shots)
    pilot.tap("contact-next")
    pilot.wait_screen("complaint_ticket", timeout=30)
    shoot(pilot, out, "complaint_ticket", shots)
    flow = app.flow
    reference, printed = flow.reference, bool(flow.printed)
    slip = out / "complaint-slip.png"
    slip_png = slip if simulation_of(app).render_last_job(slip) else None
    pilot.tap("ticket-continue")
    pilot.wait_screen("done")
    shoot(pilot, out, "done", shots)
    pilot.tap("done-finish")
    pilot.wait_screen("attract")
    drained = runtime.wait_for_outbox(timeout=30)
    status = runtime.outbox.messages.status(reference)
    return {
        "ok": bool(printed and slip_png and drained and status and status.remote_id),
        "reference": reference,
        "platform_id": status.remote_id if status else None,
        "slip_printed": printed,
        "slip_png": slip_png.name if slip_png else None,
        "screens": shots,
    }
