"""即时办 with a fee: ID card → 个人信用报告 → form → review → the fee and the platform's
payment QR code, paid (the sandbox's "phone") → the certificate on screen, masked, and
on paper → rating. ``ok`` when the platform took the payment and the paper printed
without the full ID number on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from terminal.demo.journeys.steps import Trip
from terminal.harness import runtime_of, sandbox_of

CODE = "33102300ZX-GG-0001"  # 个人信用报告查询打印: 10 yuan


def run(app: Any, pilot: Any, out: Path) -> dict[str, Any]:
    trip = Trip(app, pilot, out)
    runtime = runtime_of(app)
    trip.apply("xybg", CODE, "instant")
    trip.answer_form({"purpose": "loan"})
    jobs = trip.jobs()
    pilot.tap("review-confirm")
    trip.wait("payment")
    flow = app.flow
    pilot.wait_until(lambda: flow.payment is not None, "the payment order")
    pilot.wait_until(lambda: app.nav.screen("payment").ids.qr.texture is not None, "the QR code")
    trip.shoot("payment")
    trip.shoot_elderly("payment")
    payment = flow.payment
    sandbox_of(app).pay(payment.payment_id)  # the citizen's phone pays
    trip.wait("certificate", timeout=30)
    pilot.wait_until(lambda: flow.printed is not None, "the certificate printed", timeout=30)
    trip.shoot("certificate")
    trip.shoot_elderly("certificate")
    paper = trip.paper("certificate-paper")
    text = trip.printed_text() if trip.jobs() > jobs else ""
    identity = app.session.identity
    masked_ok = bool(text) and identity.id_number not in text
    case_no = flow.case_no
    paid = runtime.client.payment_status(payment.payment_id).paid
    pilot.tap("certificate-continue")
    trip.rate_and_finish()
    return {
        "ok": bool(paid and flow.printed and masked_ok and case_no),
        "matter_code": CODE,
        "fee_fen": payment.amount_fen,
        "paid": paid,
        "case_no": case_no,
        "certificate_printed": flow.printed,
        "paper_png": paper,
        "id_number_masked_on_paper": masked_ok,
        "screens": trip.shots,
    }
