"""预约办: ID card → 宅基地和建房申请, booked → the open slots from the platform → one
chosen and confirmed → the slip printed with its QR code. ``ok`` when the platform holds
the booking and the slip carries its QR code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from terminal.demo.journeys.steps import Trip
from terminal.harness import runtime_of, simulation_of

CODE = "33102300XZ-XK-0001"  # 农村村民宅基地和建房（规划许可）申请


def run(app: Any, pilot: Any, out: Path) -> dict[str, Any]:

    trip = Trip(app, pilot, out)
    runtime = runtime_of(app)
    trip.apply("zjd", CODE, "appointment")
    trip.wait("slots")
    flow = app.flow
    pilot.wait_until(lambda: flow.slots, "the open slots", timeout=30)
    pilot.step(3)
    trip.shoot("slots")
    trip.shoot_elderly("slots")
    slot = flow.slots_on(flow.days()[0])[0]
    pilot.tap(f"slot-{slot.slot_id}")
    trip.reach("slot_confirm")
    pilot.tap("slot-confirm")
    trip.reach("booked", timeout=30)
    trip.shoot_elderly("booked")
    appt = flow.appointment
    paper = trip.paper("slip-paper")
    job = simulation_of(app).last_job()
    assert job is not None, "the slip was not printed"
    on_slip = appt.appointment_id in "\n".join(job.lines) and bool(job.qr_payloads)
    stored = runtime.client.get_appointment(appt.appointment_id)
    pilot.tap("booked-continue")
    trip.finish()
    return {
        "ok": bool(stored.status == "booked" and flow.printed and on_slip),
        "matter_code": CODE,
        "appointment": appt.appointment_id,
        "slot": slot.slot_id,
        "slip_printed": flow.printed,
        "paper_png": paper,
        "screens": trip.shots,
    }
