"""The face check's effects (人证核验 for 资格认证): the live capture from the camera,
the verification against the photo on record, the certification, and its slip.

Where the photo on record is, is the ``face.reference`` setting: ``platform`` (the
default: the face crop and its liveness evidence go to the platform in one request over
the authenticated channel, and the platform answers) or ``chip`` (the ID card chip's
photo, decoded by the licensed WLT library, compared here with the same model). Either
way the capture is compared once and dropped; no image or descriptor is written or
logged.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from devices.face.model import decode, distance, shared_model
from kiosk.face.capture import Capture, CaptureFailed, FaceCapture
from kiosk.flows.certification import (
    CertificationFlow,
    Certified,
    FaceCaptured,
    FaceNotCaptured,
    FaceVerified,
)
from kiosk.flows.intents import Failed, Printed
from kiosk.intake.accept import applicant_of
from kiosk.intake.submissions import submission_kind
from kiosk.receipts.certification import certification_slip
from kiosk.staff.desk import chip_photo
from kiosk.upstream.models import Agent
from kiosk.upstream.service_models import CertificationRequest, Liveness

if TYPE_CHECKING:
    from kiosk.effects import Effects
    from kiosk.session import Session

log = logging.getLogger(__name__)


class FaceEffects:
    def __init__(
        self,
        ctx: Effects,
        *,
        model: Callable[[], Any] = shared_model,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ctx = ctx
        self.model, self.rng, self.clock = model, rng or random.Random(), clock

    def capture(self, session: Session, wanted: Callable[[], bool]) -> Any:
        flow = session.flow_as(CertificationFlow)
        camera = self.ctx.hardware.camera
        if camera is None:
            return FaceNotCaptured("camera")
        capture = FaceCapture(
            camera,
            self.model(),
            action_s=self.ctx.settings.face.action_s,
            rng=self.rng,
            clock=self.clock,
        )
        try:
            result = capture.run(flow.board, wanted)
        except CaptureFailed as exc:
            log.info("face capture did not succeed: %s", exc.reason)
            return FaceNotCaptured(exc.reason)
        return None if result is None else FaceCaptured(result)

    def verify(self, session: Session) -> FaceVerified | Failed:
        flow = session.flow_as(CertificationFlow)
        capture = flow.capture
        if capture is None:
            return FaceVerified(False, 0.0, 0.0)
        if self.ctx.settings.face.reference == "chip":
            return self._against_chip(session, flow, capture)
        identity = session.person()
        site = self.ctx.settings.site
        verdict = self.ctx.client.verify_face(
            applicant_of(identity),
            capture.jpeg,
            Liveness(
                actions=[str(a) for a in capture.actions],
                frames=max(1, capture.frames),
                duration_ms=max(1, int(capture.duration_s * 1000)),
            ),
            matter_code=flow.matter.code,
            station_id=site.station_id,
            idem_key=f"{flow.key}.fv{flow.attempts}",
        )
        log.info("face verification: match=%s", verdict.match)
        if not verdict.match:
            return FaceVerified(False, verdict.distance, verdict.threshold)
        cert = self._certify(
            session, flow, "face_platform", verification_id=verdict.verification_id
        )
        return FaceVerified(True, verdict.distance, verdict.threshold, cert)

    def _against_chip(self, session: Session, flow: CertificationFlow, capture: Capture) -> Any:
        bmp = chip_photo(session.identity, self.ctx.settings.devices.idcard_photo_decoder)
        if bmp is None:
            return Failed("face.failed.no_reference", code="no_reference")
        model = self.model()
        d = distance(model.describe(decode(bmp)), model.describe(decode(capture.jpeg)))
        threshold = self.ctx.settings.face.threshold
        log.info("face verification against the chip photo: match=%s", d < threshold)
        if d >= threshold:
            return FaceVerified(False, d, threshold)
        cert = self._certify(session, flow, "face_chip", distance=round(d, 4))
        return FaceVerified(True, d, threshold, cert)

    def certify_by_agent(self, session: Session) -> Certified:
        flow = session.flow_as(CertificationFlow)
        assist = session.assist
        if assist is None:
            raise PermissionError("no agent is serving this citizen")
        staff = Agent(assist.staff.staff_no, assist.staff.name)
        return Certified(self._certify(session, flow, "agent", staff=staff))

    def _certify(self, session: Session, flow: CertificationFlow, method: str, **how: Any) -> Any:
        site = self.ctx.settings.site
        req = CertificationRequest(
            matter_code=flow.matter.code,
            applicant=applicant_of(session.person()),
            station_id=site.station_id,
            channel=submission_kind(session).channel,
            method=method,
            **how,
        )
        return self.ctx.client.certify(req, idem_key=f"{flow.key}.cert.{method}")

    def print_slip(self, session: Session) -> Printed:
        flow = session.flow_as(CertificationFlow)
        doc = certification_slip(
            flow.certification,
            matter_name=flow.matter.name.zh_CN,
            identity=session.person(),
            station_name=self.ctx.settings.site.station_name,
            printed_at=self.ctx.intake.now().replace(tzinfo=None),
        )
        ok, key = self.ctx.intake.print_document(doc)
        return Printed(ok, key)
