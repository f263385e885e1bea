"""The face check's effects against the embedded stand-in platform over HTTP: the live
capture from the simulated camera, verified against the photo on record and certified;
someone else is no match; an agent's check is certified in the agent's name and
audited; the chip photo (when the licensed decoder is there) is compared here. The face
is compared and kept nowhere: not on the kiosk's disk, not in the platform's database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.flows import effects as fx
from kiosk.flows.base import Next, Step
from kiosk.flows.certification import CertificationFlow, FaceConsent
from kiosk.flows.intents import Choose, Confirm
from kiosk.identity import Identity
from kiosk.settings import with_overrides
from kiosk.staff.accounts import StaffMember
from kiosk.staff.desk import AssistContext, Consent
from terminal.runtime import Runtime
from terminal.wiring import sandbox_db
from tests.kiosk.effects.conftest import printed_text, run
from tests.support.faces import sample

PENSION_CHECK = "33102300RS-GG-0003"
RESIDENT = Identity("idcard", "resident", "110101194305120026", "李测试")  # a photo on record
NOBODY = Identity("idcard", "resident", "522627200309010016", "赵测试")  # none


def start(rt: Runtime, who: Identity = RESIDENT) -> CertificationFlow:
    session = rt.sessions.current
    session.identity = who
    flow = rt.flows.for_matter(session, rt.catalogue.get(PENSION_CHECK))
    assert isinstance(flow, CertificationFlow)
    flow.handle(FaceConsent(True))
    return flow


def captured(rt: Runtime, flow: CertificationFlow, face: str = "elder") -> bytes:
    assert rt.simulation is not None
    rt.simulation.show_face(face)
    assert run(rt, fx.CaptureFace()) == Next(Step.VERIFYING)
    assert flow.capture is not None
    return flow.capture.jpeg


def nowhere(root: Path, data: bytes) -> list[str]:
    probe = data[200:264]  # inside the JPEG's entropy-coded data
    return [str(p) for p in root.rglob("*") if p.is_file() and probe in p.read_bytes()]


def test_a_live_face_matching_the_record_is_certified_and_kept_nowhere(runtime: Runtime) -> None:
    flow = start(runtime)
    face = captured(runtime, flow)
    assert run(runtime, fx.VerifyFace()) == Next(Step.CERTIFIED)
    assert flow.capture is None and flow.distance is not None and flow.distance < 0.5
    cert = flow.certification
    assert cert.method == "face_platform" and cert.valid_until > cert.certified_on
    assert run(runtime, fx.PrintCertification()) == Next(Step.CERTIFIED)
    text = printed_text(runtime)
    assert "认证成功" in text and "1101**********0026" in text
    assert RESIDENT.id_number not in text
    held = runtime.sandbox.certifications()
    assert [(c["id_number"], c["method"]) for c in held] == [(RESIDENT.id_number, "face_platform")]
    assert nowhere(runtime.state_dir, face) == []  # the platform's database included
    assert sandbox_db(runtime.state_dir).exists()


def test_someone_else_is_no_match_and_nothing_is_certified(runtime: Runtime) -> None:
    flow = start(runtime)
    captured(runtime, flow, face="other")
    assert run(runtime, fx.VerifyFace()) == Next(Step.FACE)
    assert flow.notice == "face.failed.no_match" and flow.attempts == 1
    assert flow.distance is not None and flow.distance >= 0.5
    assert runtime.sandbox.certifications() == []


def test_no_photo_on_record_offers_the_other_ways(runtime: Runtime) -> None:
    flow = start(runtime, NOBODY)
    captured(runtime, flow)
    assert run(runtime, fx.VerifyFace()) == Next(Step.FACE_OTHER)
    assert flow.notice == "face.failed.no_reference"


def test_an_agents_check_is_certified_in_the_agents_name_and_audited(runtime: Runtime) -> None:
    flow = start(runtime)
    session = runtime.sessions.current
    session.assist = AssistContext(StaffMember("1007", "李代办", "demo-0001"), Consent("screen", 0))
    before = runtime.audit.query()[-1].seq if runtime.audit.query() else 0
    assert flow.handle(Choose("other")) == Next(Step.FACE_OTHER)
    assert flow.handle(Choose("agent")) == Next(Step.AGENT_CHECK)
    assert flow.handle(Confirm()) == Next(Step.VERIFYING)
    assert run(runtime, fx.CertifyByAgent()) == Next(Step.CERTIFIED)
    held = runtime.sandbox.certifications()
    assert held[-1]["method"] == "agent" and '"id": "1007"' in held[-1]["body"]
    rows = [e for e in runtime.audit.query(after_seq=before) if e.action == "agent_identity_check"]
    assert len(rows) == 1 and rows[0].staff_no == "1007" and rows[0].outcome == "ok"
    assert rows[0].reference == flow.certification.certification_id
    assert RESIDENT.id_number not in rows[0].subject and "1101" in rows[0].subject


def test_the_chip_photo_is_compared_here_when_the_decoder_is_installed(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The licensed WLT decoder ships with a reader, not with us: its output (the card's
    # photo as a BMP) stands in for it here.
    import cv2

    photo = cv2.imencode(".bmp", sample("elder"))[1].tobytes()
    seen: list[Any] = []

    def decoded(identity: Any, decoder: str) -> bytes:
        seen.append(decoder)
        return photo

    monkeypatch.setattr("kiosk.effects.face.chip_photo", decoded)
    runtime.effects.settings = with_overrides(
        runtime.settings,
        face={"reference": "chip"},
        devices={"idcard_photo_decoder": "/opt/vendor/libwlt.so"},
    )
    flow = start(runtime, NOBODY)  # no photo on the platform: the chip's is used
    captured(runtime, flow)
    assert run(runtime, fx.VerifyFace()) == Next(Step.CERTIFIED)
    assert seen == ["/opt/vendor/libwlt.so"]
    assert flow.certification.method == "face_chip"
