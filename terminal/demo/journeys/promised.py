"""承诺办, the foundation's journey: ID card → matter → notice → form → pages → review →
submit → receipt → rating. ``ok`` when the platform holds every page and the receipt
printed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from terminal.demo.script import run_journey
from terminal.harness import runtime_of, sandbox_of, simulation_of


def run(app: Any, pilot: Any, out: Path) -> dict[str, Any]:

    result = run_journey(app, pilot, out)
    runtime = runtime_of(app)
    drained = runtime.wait_for_outbox(timeout=30)
    number = result["number"]
    status = runtime.outbox.lookup(number)
    case_no = status.case_no if status is not None else None
    stored: dict[str, Any] = {}
    if case_no and runtime.sandbox is not None:
        application = sandbox_of(app).application(case_no)
        stored = {
            "status": application.get("status"),
            "attachments": len(application["attachments"]),
            "attachment_bytes": sum(a["length"] for a in application["attachments"]),
            "complete": all(a["complete"] for a in application["attachments"]),
            "form_keys": sorted(application["form"]),
        }
    receipt = out / "receipt.png"
    receipt_png = receipt if simulation_of(app).render_last_job(receipt) else None
    return {
        "ok": bool(drained and stored and stored["complete"] and result["printed"]),
        "matter_code": result["matter_code"],
        "tracking_number": case_no or number,
        "number_on_receipt": number,
        "provisional_on_receipt": result["provisional"],
        "receipt_printed": result["printed"],
        "receipt_png": receipt_png.name if receipt_png else None,
        "platform": stored,
        "outbox_drained": drained,
        "screens": result["screens"],
    }
