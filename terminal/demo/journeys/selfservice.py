"""自助办: 城乡居民养老、医疗保险费缴纳 is paid on the phone: the guidance with the QR code
to the mobile channel and the full 办事指南, printed. ``ok`` when the guide printed with
the mobile channel's QR code on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from terminal.demo.journeys.steps import Trip
from terminal.harness import simulation_of

CODE = "33102300SW-GG-0001"  # 城乡居民养老、医疗保险费缴纳


def run(app: Any, pilot: Any, out: Path) -> dict[str, Any]:

    trip = Trip(app, pilot, out)
    trip.open_matter("bxf", CODE)
    trip.start(CODE, "self_service")
    trip.reach("guide")
    trip.shoot_elderly("guide")
    flow = app.flow
    url = flow.mobile_url
    jobs = trip.jobs()
    pilot.tap("guide-print")
    pilot.wait_until(lambda: flow.printed is not None, "the guide printed", timeout=30)
    trip.shoot("guide-printed")
    paper = trip.paper("guide-paper")
    job = simulation_of(app).last_job()
    assert job is not None, "the guide was not printed"
    qr_ok = trip.jobs() > jobs and url in job.qr_payloads
    pilot.tap("guide-finish")
    trip.finish()
    return {
        "ok": bool(flow.printed and qr_ok),
        "matter_code": CODE,
        "mobile_url": url,
        "guide_printed": flow.printed,
        "paper_png": paper,
        "screens": trip.shots,
    }
