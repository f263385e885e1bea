"""养老保险待遇领取资格认证 by face: ID card → the separate face consent → the simulated
camera replays the demo resident's face (still, a blink, a head turn each way) → the
stand-in platform compares it with the photo it holds → 认证成功, the slip printed →
rating. ``ok`` when the certification is on record by face, the slip printed without
the full ID number, and the capture left the session once compared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.face.capture import Phase
from sandbox.faces import RESIDENTS
from terminal.demo.journeys.steps import Trip
from terminal.harness import sandbox_of, simulation_of

CODE = "33102300RS-GG-0003"  # 养老保险待遇领取资格认证
ON_RECORD = RESIDENTS / "110101194305120026.jpg"  # the demo resident's, as shipped


def photo_on_record(app: Any) -> None:
    """The department holds the photo of the person whose card was read (the demo
    resident's, whoever the card says: tests plant other people on it)."""
    sandbox_of(app).put_photo_on_record(app.session.identity.id_number, ON_RECORD.read_bytes())


def run(app: Any, pilot: Any, out: Path) -> dict[str, Any]:
    trip = Trip(app, pilot, out)
    trip.apply("zgrz", CODE, "instant")
    photo_on_record(app)
    trip.wait("face_consent")
    trip.shoot("face-consent")
    simulation_of(app).show_face("elder", live=True)
    flow = app.flow
    pilot.tap("face-agree")
    trip.wait("face_capture")
    pilot.wait_until(lambda: flow.board.read().phase is Phase.ACTIONS, "the liveness check")
    pilot.wait_until(lambda: app.nav.screen("face_capture").ids.preview.texture, "the preview")
    trip.shoot("face-capture")
    trip.shoot_elderly("face-capture")  # the capture goes on meanwhile
    trip.wait("certified", timeout=90)
    pilot.wait_until(lambda: flow.printed is not None, "the slip printed", timeout=30)
    trip.shoot("certified")
    trip.shoot_elderly("certified")
    paper = trip.paper("certification-slip")
    text = trip.printed_text()
    identity = app.session.identity
    masked_ok = bool(text) and identity.id_number not in text and "认证成功" in text
    cert = flow.certification
    dropped = flow.capture is None
    simulation_of(app).take_code_away()  # the resident steps away from the camera
    pilot.tap("certified-continue")
    trip.rate_and_finish()
    return {
        "ok": bool(cert and cert.method == "face_platform" and flow.printed and masked_ok)
        and dropped,
        "matter_code": CODE,
        "method": cert.method if cert else None,
        "valid_until": cert.valid_until if cert else None,
        "distance": round(flow.distance, 3) if flow.distance is not None else None,
        "attempts_failed": flow.attempts,
        "slip_printed": flow.printed,
        "slip_png": paper,
        "id_number_masked_on_paper": masked_ok,
        "capture_dropped": dropped,
        "screens": trip.shots,
    }
