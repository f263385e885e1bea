"""养老保险待遇领取资格认证 through the real screens: the face check succeeds and the slip
prints; a photo held up to the camera fails the liveness check three times and the
other ways are offered; declining the face consent never starts the camera and leads to
a home-visit request; an agent's check certifies in the agent's name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from config import I18N_DIR
from kiosk.i18n import load_messages
from kiosk.settings import with_overrides
from terminal.demo.journeys.assisted import ensure_agent, serve_with_consent, sign_in_by_pin
from terminal.demo.journeys.certification import CODE, photo_on_record
from terminal.demo.journeys.deferred import ANSWERS
from terminal.demo.journeys.steps import Trip
from tests.support import ROOT

ZH = load_messages("zh_CN", I18N_DIR)
SHOTS = ROOT / "test-artifacts" / "certification"


@pytest.fixture
def quick(ui: tuple[Any, Any]) -> Iterator[tuple[Any, Any]]:
    """Each liveness action gets 3 s instead of 12: a photo fails sooner."""
    app, pilot = ui
    effects = app.core.effects
    before = effects.settings
    effects.settings = with_overrides(before, face={"action_s": 3.0})
    yield app, pilot
    effects.settings = before


def to_face_consent(app: Any, pilot: Any) -> Trip:
    trip = Trip(app, pilot, SHOTS)
    trip.apply("zgrz", CODE, "instant")
    photo_on_record(app)
    trip.wait("face_consent")
    return trip


def certified_for(app: Any, id_number: str) -> list[dict[str, Any]]:
    return [c for c in app.core.sandbox.certifications() if c["id_number"] == id_number]


def test_a_live_face_is_certified_and_the_slip_printed(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    trip = to_face_consent(app, pilot)
    camera = app.core.hardware.camera
    assert camera.latest() is None  # nothing filmed before the answer
    app.core.simulation.show_face("elder", live=True)
    flow = app.flow
    pilot.tap("face-agree")
    trip.wait("face_capture")
    pilot.wait_until(
        lambda: (
            pilot.find("face-prompt").text
            in (ZH["face.prompt.blink"], ZH["face.prompt.turn_left"], ZH["face.prompt.turn_right"])
        ),
        "an action asked for",
    )
    trip.shoot("capture")
    trip.wait("certified", timeout=90)
    pilot.wait_until(lambda: flow.printed is True, "the slip printed", timeout=30)
    texts = pilot.texts()
    assert any(ZH["face.certified.title"] in t for t in texts)
    assert any(t.startswith("有效期至") for t in texts)
    trip.shoot("certified")
    assert flow.capture is None and camera.latest() is None  # compared, then gone
    assert certified_for(app, app.session.identity.id_number)[-1]["method"] == "face_platform"
    pilot.tap("certified-continue")
    trip.rate_and_finish()


def test_a_photo_held_up_fails_three_times_and_the_other_ways_are_offered(
    quick: tuple[Any, Any],
) -> None:
    app, pilot = quick
    trip = to_face_consent(app, pilot)
    before = len(certified_for(app, app.session.identity.id_number))
    app.core.simulation.show_face("elder", live=False)  # a printed photo, held still
    flow = app.flow
    pilot.tap("face-agree")
    for attempt in (1, 2):
        pilot.wait_until(
            lambda n=attempt: flow.attempts == n, f"attempt {attempt} failed", timeout=60
        )
        pilot.wait_until(lambda: pilot.find("face-retry") is not None, "the retry button")
        assert ZH["face.failed.liveness"] in pilot.texts()
        if attempt == 1:
            trip.shoot("capture-failed")
        pilot.tap("face-retry")
    trip.wait("face_other", timeout=60)
    assert flow.attempts == 3 and flow.certification is None
    texts = pilot.texts()
    assert ZH["face.failed.liveness"] in texts and ZH["face.other.agent"] in texts
    assert ZH["face.other.home"] in texts
    assert pilot.find("face-again") is None  # no fourth attempt
    trip.shoot("other-ways")
    assert len(certified_for(app, app.session.identity.id_number)) == before


def test_declining_never_starts_the_camera_and_a_home_visit_can_be_asked(
    ui: tuple[Any, Any],
) -> None:
    app, pilot = ui
    trip = to_face_consent(app, pilot)
    camera = app.core.hardware.camera
    frames = camera.frames_captured
    pilot.tap("face-decline")
    trip.wait("face_other")
    assert ZH["face.failed.declined"] in pilot.texts()
    assert pilot.find("face-again") is not None  # the citizen may change their mind
    pilot.tap("face-home")
    trip.wait("form")
    assert app.flow.kind.value == "deferred" and app.session.identity is not None
    trip.answer_form(ANSWERS)
    pilot.tap("review-confirm")
    trip.wait("receipt", timeout=60)
    assert app.session.submission.printed
    assert camera.frames_captured == frames  # not one frame was taken
    pilot.tap("receipt-continue")
    trip.rate_and_finish()


def test_an_agent_checks_the_card_and_the_person_and_it_is_audited(
    ui: tuple[Any, Any],
) -> None:
    app, pilot = ui
    runtime = app.core
    ensure_agent(runtime)
    seq = max((e.seq for e in runtime.audit.query(limit=100_000)), default=0)
    trip = Trip(app, pilot, None)
    try:
        sign_in_by_pin(pilot)
        pilot.wait_screen("staff_desk")
        serve_with_consent(app, pilot, trip.shoot)
        trip.find_matter("zgrz", CODE)
        pilot.tap("apply")
        pilot.wait_screen("face_consent")
        pilot.tap("face-agent-now")
        pilot.wait_screen("agent_check")
        masked = "1101**********0026"
        assert any(masked in t for t in pilot.texts())
        assert not any(app.session.identity.id_number in t for t in pilot.texts())
        pilot.screenshot(SHOTS / "agent-check.png")
        pilot.tap("agent-confirm")
        pilot.wait_screen("certified", timeout=60)
        assert ZH["face.certified.method.agent"] in pilot.texts()
        held = certified_for(app, app.session.identity.id_number)
        assert held[-1]["method"] == "agent" and '"1007"' in held[-1]["body"]
        rows = [e for e in runtime.audit.query(after_seq=seq) if e.action == "agent_identity_check"]
        assert len(rows) == 1 and rows[0].outcome == "ok" and masked in rows[0].subject
        assert app.core.hardware.camera.latest() is None  # the face was never filmed
        pilot.tap("certified-continue")
        trip.rate_and_finish()
    finally:
        runtime.desk.sign_out(reason="test")
