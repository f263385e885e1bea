"""资格认证's step machine, without Kivy or a camera: the consent comes before the
camera, three attempts each with its reason, then (or on declining, or with no photo on
record) the other ways; an agent's check only with an agent; the capture leaves the
session once compared."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.catalogue import Catalogue, HandlingMode
from kiosk.face.capture import Capture
from kiosk.face.liveness import Action
from kiosk.flows import effects as fx
from kiosk.flows.base import Back, Continue, Identified, Invalid, Next, Step
from kiosk.flows.certification import (
    CertificationFlow,
    Certified,
    FaceCaptured,
    FaceConsent,
    FaceNotCaptured,
    FaceVerified,
)
from kiosk.flows.intents import Choose, Confirm, Failed, Printed, Retry
from kiosk.flows.kinds import FlowKind
from kiosk.flows.start import FlowFactory, offered_modes
from kiosk.session import Session
from kiosk.settings import load_settings
from kiosk.staff.accounts import StaffMember
from kiosk.staff.desk import AssistContext, Consent
from tests.kiosk.flows.conftest import NOW, PENSION_CHECK, person

CERT = type("Cert", (), {"certification_id": "RZ00000001", "valid_until": "2027-01-01"})()


def capture() -> Capture:
    return Capture(b"\xff\xd8jpeg", (Action.BLINK, Action.TURN_LEFT), 30, 4.0)


def flow_for(catalogue: Catalogue, session: Session, identified: bool = True) -> Any:
    if identified:
        session.identity = person()
    factory = FlowFactory(load_settings(), lambda: NOW, lambda: 0.0)
    return factory.for_matter(session, catalogue.get(PENSION_CHECK))


@pytest.fixture
def flow(catalogue: Catalogue, session: Session) -> CertificationFlow:
    """资格认证 for a citizen whose card has been read."""
    return flow_for(catalogue, session)


def test_the_matter_is_certified_here_and_now_by_face(
    catalogue: Catalogue, session: Session
) -> None:
    matter = catalogue.get(PENSION_CHECK)
    assert offered_modes(matter)[0] is HandlingMode.INSTANT and matter.identity.certification
    flow = flow_for(catalogue, session, identified=False)
    assert isinstance(flow, CertificationFlow) and flow.kind is FlowKind.CERTIFICATION
    assert flow.kind.handling_mode is HandlingMode.INSTANT and flow.max_attempts == 3
    assert flow.step is Step.IDENTITY
    assert flow.handle(Identified(person())) == Next(Step.FACE_CONSENT)


def test_other_instant_matters_that_ask_for_a_face_check_stay_instant(
    catalogue: Catalogue, session: Session
) -> None:
    # Regression: routing by identity.face_check sent 个人信用报告 (instant, face_check)
    # into the certification journey; only a matter that is the check itself goes there.
    credit = catalogue.get("33102300ZX-GG-0001")
    assert credit.identity.face_check and not credit.identity.certification
    factory = FlowFactory(load_settings(), lambda: NOW, lambda: 0.0)
    assert factory.for_matter(session, credit).kind is FlowKind.INSTANT


def test_consent_then_capture_then_verification_then_the_slip_and_rating(
    flow: CertificationFlow,
) -> None:
    assert flow.step is Step.FACE_CONSENT  # nothing filmed before the answer
    started = flow.handle(FaceConsent(True))
    assert started == Next(Step.FACE) and isinstance(started.effect, fx.CaptureFace)
    verifying = flow.handle(FaceCaptured(capture()))
    assert verifying == Next(Step.VERIFYING) and isinstance(verifying.effect, fx.VerifyFace)
    assert flow.capture is not None
    done = flow.handle(FaceVerified(True, 0.38, 0.5, CERT))
    assert done == Next(Step.CERTIFIED) and isinstance(done.effect, fx.PrintCertification)
    assert flow.capture is None  # compared: gone from the session
    assert flow.certification is CERT and flow.case_no == "RZ00000001"
    assert flow.handle(Printed(True)) == Next(Step.CERTIFIED) and flow.printed is True
    assert isinstance(flow.handle(Back()), Invalid)  # certified: no way back
    assert flow.handle(Continue()) == Next(Step.RATING)


def test_three_attempts_each_with_its_reason_then_the_other_ways(flow: CertificationFlow) -> None:
    flow.handle(FaceConsent(True))
    assert flow.handle(FaceNotCaptured("liveness")) == Next(Step.FACE)
    assert flow.notice == "face.failed.liveness" and flow.attempts_left == 2
    retried = flow.handle(Retry())
    assert isinstance(retried, Next) and isinstance(retried.effect, fx.CaptureFace)
    assert flow.notice == ""
    flow.handle(FaceCaptured(capture()))
    assert flow.handle(FaceVerified(False, 0.8, 0.5)) == Next(Step.FACE)
    assert flow.notice == "face.failed.no_match" and flow.capture is None
    flow.handle(Retry())
    assert flow.handle(FaceNotCaptured("position")) == Next(Step.FACE_OTHER)
    assert flow.attempts_left == 0
    with pytest.raises(Exception, match="not accepted"):
        flow.handle(Retry())  # no fourth attempt


def test_declining_leads_to_the_other_ways_and_the_mind_may_change(flow: CertificationFlow) -> None:
    assert flow.handle(FaceConsent(False)) == Next(Step.FACE_OTHER)
    assert flow.declined and flow.notice == "face.failed.declined"
    assert flow.handle(Retry()) == Next(Step.FACE_CONSENT)


def test_no_photo_on_record_goes_to_the_other_ways_at_once(flow: CertificationFlow) -> None:
    flow.handle(FaceConsent(True))
    flow.handle(FaceCaptured(capture()))
    moved = flow.handle(Failed("face.failed.no_reference", code="no_reference"))
    assert moved == Next(Step.FACE_OTHER) and flow.capture is None
    assert flow.attempts == 0  # not the citizen's failure


def test_the_platform_not_there_is_a_problem_and_a_retry_sends_the_same_capture(
    flow: CertificationFlow,
) -> None:
    flow.handle(FaceConsent(True))
    flow.handle(FaceCaptured(capture()))
    assert flow.handle(Failed("error.upstream.live", retry=True)) == Next(Step.PROBLEM)
    again = flow.handle(Retry())
    assert again == Next(Step.VERIFYING) and isinstance(again.effect, fx.VerifyFace)


def test_an_agents_check_needs_a_signed_in_agent(flow: CertificationFlow, session: Session) -> None:
    flow.handle(FaceConsent(False))
    assert flow.handle(Choose("agent")) == Invalid({"_": "face.error.no_agent"})
    staff = StaffMember("1007", "李代办", "demo-0001")
    session.assist = AssistContext(staff, Consent("screen", 0.0))
    assert flow.handle(Choose("agent")) == Next(Step.AGENT_CHECK)
    assert flow.handle(Back()) == Next(Step.FACE_OTHER)
    flow.handle(Choose("agent"))
    certifying = flow.handle(Confirm())
    assert certifying == Next(Step.VERIFYING)
    assert isinstance(certifying.effect, fx.CertifyByAgent) and flow.by_agent
    assert flow.handle(Certified(CERT)) == Next(Step.CERTIFIED)


def test_back_from_the_capture_returns_to_the_consent_and_drops_the_capture(
    flow: CertificationFlow,
) -> None:
    flow.handle(FaceConsent(True))
    assert flow.handle(Choose("other")) == Next(Step.FACE_OTHER)
    assert flow.handle(Back()) == Next(Step.FACE_CONSENT)
    assert flow.capture is None
