"""延时办: ID card → 养老保险待遇领取资格认证 as a home visit → who, where, when, why and
a number to call back (typed on the on-screen pads) → review → receipt saying who calls
back by when → rating. ``ok`` when the platform holds the request and the paper says
who calls back, with the phone masked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.masking import mask_phone
from terminal.demo.journeys.steps import Trip
from terminal.harness import runtime_of, sandbox_of

CODE = "33102300RS-GG-0003"  # 养老保险待遇领取资格认证
ANSWERS: dict[str, Any] = {
    "service": "home_visit",
    "for_whom": "self",
    "reason": "bedridden",
    "when": "weekday_evening",
    "address": [("dong", "东"), ("hu", "湖"), ("cun", "村"), ("san", "三"), ("zu", "组")],
    "phone": "#13912345678",
}


def run(app: Any, pilot: Any, out: Path) -> dict[str, Any]:
    trip = Trip(app, pilot, out)
    runtime = runtime_of(app)
    trip.apply("zgrz", CODE, "deferred")
    trip.answer_form(ANSWERS)
    pilot.tap("review-confirm")
    trip.reach("receipt", timeout=60)
    trip.shoot_elderly("receipt")
    sub = app.session.submission
    paper = trip.paper("receipt-paper")
    text = trip.printed_text()
    masked = mask_phone("13912345678")
    says_who = sub.callback_org in text and masked in text and "13912345678" not in text
    pilot.tap("receipt-continue")
    trip.rate_and_finish()
    drained = runtime.wait_for_outbox(timeout=30)
    status = runtime.outbox.lookup(sub.number)
    case_no = status.case_no if status is not None else None
    stored = sandbox_of(app).application(case_no) if case_no else {}
    form = stored.get("form", {})
    return {
        "ok": bool(drained and form.get("service") == "home_visit" and says_who and sub.printed),
        "matter_code": CODE,
        "number_on_receipt": sub.number,
        "case_no": case_no,
        "callback_org": sub.callback_org,
        "callback_by": sub.callback_by,
        "receipt_printed": sub.printed,
        "paper_png": paper,
        "screens": trip.shots,
    }
