"""养老保险待遇领取资格认证: the yearly certification that a pensioner is alive and is who
the card says, by face (人证核验), with ways for those whom the face check fails.

identity (card) → face consent (separate, explicit; nothing is filmed before it) →
live capture (quality gate, a blink and a head turn) → verification against the photo
on record (the platform's by default, the chip's where the licensed decoder is) → on a
match the certification is put on record → result slip (valid until the platform's
date) → 好差评 → done.

Three attempts (``attempts``), each with its own reason shown and spoken. Declining the
consent, running out of attempts, or having no photo on record leads to the other ways:
a signed-in agent (帮办) who checks the card and the person (audited), or a home visit
(上门认证, a 延时办 request the screen starts). Nobody is turned away by the machine.

The capture (a face crop, JPEG bytes) lives on this flow, in the session, until it has
been compared; then it is dropped. The whole flow goes with the session's wipe.
"""

from __future__ import annotations

import dataclasses as dc
import uuid
from typing import Any

from kiosk.face.capture import Board, Capture
from kiosk.flows.base import Abort, Continue, Intent, Invalid, Next, Step, Transition
from kiosk.flows.effects import (
    CaptureFace,
    CertifyByAgent,
    PrintCertification,
    VerifyFace,
)
from kiosk.flows.intents import Choose, Confirm, Failed, Retry
from kiosk.flows.kinds import FlowKind
from kiosk.flows.machine import PrintSteps
from kiosk.flows.rating import RatingSteps
from kiosk.session import Session

# ---- intents ---------------------------------------------------------------------------


@dc.dataclass(frozen=True)
class FaceConsent:
    """The citizen's answer on the separate face consent screen."""

    agreed: bool


@dc.dataclass(frozen=True)
class FaceCaptured:
    capture: Capture


@dc.dataclass(frozen=True)
class FaceNotCaptured:
    """``reason``: position (no good frame in time), liveness (an action not seen),
    camera (no frames)."""

    reason: str


@dc.dataclass(frozen=True)
class FaceVerified:
    """The comparison's outcome; ``certification`` on a match (put on record)."""

    match: bool
    distance: float
    threshold: float
    certification: Any = None  # kiosk.upstream.service_models.Certification


@dc.dataclass(frozen=True)
class Certified:
    certification: Any  # kiosk.upstream.service_models.Certification

    @property
    def reference(self) -> str:  # the audit log's reference
        return str(self.certification.certification_id)


# ---- the machine -----------------------------------------------------------------------


class CertificationFlow(RatingSteps, PrintSteps):
    kind = FlowKind.CERTIFICATION

    def __init__(self, session: Session, matter: Any, *, attempts: int = 3) -> None:
        super().__init__(session)
        self.matter = matter
        self.key = uuid.uuid4().hex  # idempotency: a retry is the same verification
        self.max_attempts = attempts
        self.attempts = 0  # failed tries so far
        self.declined = False
        self.by_agent = False
        self.capture: Capture | None = None
        self.board = Board()  # the live capture's progress, for the screen
        self.certification: Any = None
        self.distance: float | None = None
        session.matter_code = matter.code
        self.step = Step.FACE_CONSENT if session.identity is not None else Step.IDENTITY

    @property
    def attempts_left(self) -> int:
        return max(0, self.max_attempts - self.attempts)

    @property
    def case_no(self) -> str:
        """What a rating is about: the certification's number."""
        return str(self.certification.certification_id) if self.certification else ""

    @property
    def agent_present(self) -> bool:
        return self.session.assist is not None

    def _identified(self) -> Transition:
        return Next(Step.FACE_CONSENT)

    def _on_face_consent(self, intent: Intent) -> Transition:
        if isinstance(intent, FaceConsent):
            if not intent.agreed:
                self.declined, self.notice = True, "face.failed.declined"
                return Next(Step.FACE_OTHER)
            self.declined, self.notice = False, ""
            self.board = Board()
            return Next(Step.FACE, effect=CaptureFace())
        if isinstance(intent, Choose):  # straight to the other ways
            return self._on_face_other(intent)
        return self._refuse(intent)

    def _on_face(self, intent: Intent) -> Transition:
        if isinstance(intent, FaceCaptured):
            self.capture, self.notice = intent.capture, ""
            return Next(Step.VERIFYING, effect=VerifyFace())
        if isinstance(intent, FaceNotCaptured):
            return self._attempt_failed(f"face.failed.{intent.reason}")
        if isinstance(intent, Retry) and self.attempts_left:
            self.notice, self.board = "", Board()
            return Next(Step.FACE, effect=CaptureFace())
        if isinstance(intent, Failed):
            return self._attempt_failed("face.failed.camera")
        if isinstance(intent, Choose) and intent.value == "other":
            return Next(Step.FACE_OTHER)
        return self._refuse(intent)

    def _on_verifying(self, intent: Intent) -> Transition:
        if isinstance(intent, FaceVerified):
            self.capture = None  # compared: the face leaves the session now
            self.distance = intent.distance
            if intent.match and intent.certification is not None:
                return self._certified(intent.certification)
            return self._attempt_failed("face.failed.no_match")
        if isinstance(intent, Certified):
            return self._certified(intent.certification)
        if isinstance(intent, Failed):
            if intent.code in ("no_reference", "no_face", "several_faces", "bad_image"):
                self.capture = None
                if intent.code == "no_reference":
                    self.notice = "face.failed.no_reference"
                    return Next(Step.FACE_OTHER)
                return self._attempt_failed("face.failed.position")
            return self.fail(intent.key)
        return self._refuse(intent)

    def _certified(self, certification: Any) -> Transition:
        self.certification, self.notice = certification, ""
        return Next(Step.CERTIFIED, effect=PrintCertification())

    def _attempt_failed(self, key: str) -> Transition:
        self.attempts += 1
        self.notice = key
        if self.attempts_left:
            return Next(Step.FACE)  # the reason shown; 再试一次 starts the next attempt
        return Next(Step.FACE_OTHER)

    def _on_certified(self, intent: Intent) -> Transition:
        return self._print_or_continue(intent, PrintCertification(), to=Step.RATING)

    def _on_face_other(self, intent: Intent) -> Transition:
        if isinstance(intent, Retry) and (self.declined or self.attempts_left):
            self.notice = ""
            return Next(Step.FACE_CONSENT)
        if isinstance(intent, Choose) and intent.value == "agent":
            if not self.agent_present:
                return Invalid({"_": "face.error.no_agent"})
            return Next(Step.AGENT_CHECK)
        return self._refuse(intent)

    def _on_agent_check(self, intent: Intent) -> Transition:
        if isinstance(intent, Confirm):
            if not self.agent_present:
                return Invalid({"_": "face.error.no_agent"})
            self.by_agent = True
            return Next(Step.VERIFYING, effect=CertifyByAgent())
        return self._refuse(intent)

    def _on_problem(self, intent: Intent) -> Transition:
        if self.by_agent:
            return self._retry(intent, Step.VERIFYING, CertifyByAgent())
        if self.capture is not None:
            return self._retry(intent, Step.VERIFYING, VerifyFace())
        return self._retry(intent, Step.FACE_CONSENT)

    def _back(self) -> Transition:
        if self.step in (Step.FACE, Step.FACE_OTHER):
            self.capture, self.notice = None, ""
            return Next(Step.FACE_CONSENT)
        if self.step is Step.AGENT_CHECK:
            return Next(Step.FACE_OTHER)
        if self.step is Step.COMPOSE:
            return Next(Step.RATING)
        if self.step in (Step.VERIFYING, Step.CERTIFIED, Step.RATING):
            return Invalid({"_": "flow.error.no_back"})
        return Abort("flow.cancelled")


__all__ = [
    "CertificationFlow",
    "Certified",
    "Confirm",
    "Continue",
    "FaceCaptured",
    "FaceConsent",
    "FaceNotCaptured",
    "FaceVerified",
]
