"""The effects flows ask for (kiosk/flows/effects.py), run against the real kiosk.

``Effects.run(effect, session)`` blocks (the app calls it off the UI thread) and
returns the intent to hand back to the flow, or None for work nobody waits on (a
rating queued). Every failure becomes a :class:`kiosk.flows.intents.Failed` with a
message key, at one place. In an agent's session every outcome is also written to the
audit log: who, for whom (masked), which matter, what, how it went.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.catalogue import Catalogue
from kiosk.effects import applications, bookings, feedback, selfservice
from kiosk.effects.errors import failed
from kiosk.effects.face import FaceEffects
from kiosk.effects.instant import InstantEffects
from kiosk.effects.lookup import LookupEffects
from kiosk.flows import effects as fx
from kiosk.flows.base import Intent
from kiosk.flows.intents import Failed
from kiosk.hardware import Hardware
from kiosk.intake import Intake
from kiosk.outbox import Outbox
from kiosk.session import Session
from kiosk.settings import Settings
from kiosk.staff import AuditLog
from kiosk.staff.desk import masked_subject
from kiosk.upstream import PlatformClient

log = logging.getLogger(__name__)

# what each effect is called in the audit log
AUDIT_ACTIONS = {
    fx.SubmitApplication: "submit",
    fx.FetchCertificate: "certificate",
    fx.PrintCertificate: "print_certificate",
    fx.CreatePayment: "payment",
    fx.BookSlot: "book",
    fx.FindAppointments: "lookup",
    fx.CancelAppointment: "cancel_appointment",
    fx.FindByNumber: "lookup",
    fx.FindByIdentity: "lookup",
    fx.FileComplaint: "complaint",
    fx.SendRating: "rating",
    fx.RecordConsent: "consent",
    fx.VerifyFace: "face_check",
    fx.CertifyByAgent: "agent_identity_check",
}


class Effects:
    def __init__(
        self,
        settings: Settings,
        hardware: Hardware,
        outbox: Outbox,
        client: PlatformClient,
        catalogue: Catalogue,
        intake: Intake,
        *,
        audit: AuditLog | None = None,
    ) -> None:
        self.settings, self.hardware, self.outbox = settings, hardware, outbox
        self.client, self.catalogue, self.intake = client, catalogue, intake
        self.audit = audit
        self.instant = InstantEffects(self)
        self.lookup = LookupEffects(self)
        self.face = FaceEffects(self)

    def run(
        self, effect: fx.Effect, session: Session, wanted: Callable[[], bool] = lambda: True
    ) -> Intent | None:
        """The outcome of ``effect`` as an intent for the session's flow."""
        try:
            outcome = self._dispatch(effect, session, wanted)
        except Exception as exc:  # every failure is told to the flow, never lost
            outcome = failed(exc)
            log.warning("effect %s failed: %s", type(effect).__name__, outcome.code or outcome.key)
        self._audit(effect, session, outcome)
        return outcome

    def _dispatch(
        self, effect: fx.Effect, session: Session, wanted: Callable[[], bool]
    ) -> Intent | None:
        match effect:
            case fx.SubmitApplication():
                return applications.submit(self, session)
            case fx.CheckOwner(case_no=case_no):
                return applications.check_owner(self, session, case_no)
            case fx.CreatePayment():
                return self.instant.create_payment(session)
            case fx.CheckPayment(payment_id=payment_id):
                return self.instant.check_payment(session, payment_id)
            case fx.FetchCertificate():
                return self.instant.fetch_certificate(session)
            case fx.PrintCertificate():
                return self.instant.print_certificate(session)
            case fx.LoadSlots():
                return bookings.load_slots(self, session)
            case fx.BookSlot(slot_id=slot_id):
                return bookings.book_slot(self, session, slot_id)
            case fx.FindAppointments():
                return bookings.find_appointments(self, session)
            case fx.ScanQr(ignore=ignore):
                return self.lookup.scan_qr(ignore, wanted)
            case fx.FindByNumber(number=number):
                return self.lookup.find_by_number(number)
            case fx.FindByIdentity():
                return self.lookup.find_by_identity(session)
            case fx.LoadCase(case_no=case_no):
                return self.lookup.load_case(case_no)
            case fx.LoadAppointment(appointment_id=appointment_id):
                return self.lookup.load_appointment(appointment_id)
            case fx.CancelAppointment(appointment_id=appointment_id):
                return self.lookup.cancel_appointment(appointment_id)
            case fx.FileComplaint():
                return feedback.file_complaint(self, session)
            case fx.SendRating(level=level, reasons=reasons, comment=comment):
                feedback.send_rating(self, session, level, reasons, comment)
                return None
            case fx.PrintGuide():
                return selfservice.print_guide(self, session)
            case fx.RecordConsent():
                return None  # the audit line below is the record
            case fx.CaptureFace():
                return self.face.capture(session, wanted)
            case fx.VerifyFace():
                return self.face.verify(session)
            case fx.CertifyByAgent():
                return self.face.certify_by_agent(session)
            case fx.PrintCertification():
                return self.face.print_slip(session)
        raise TypeError(f"unknown effect {type(effect).__name__}")

    def _audit(self, effect: fx.Effect, session: Session, outcome: Intent | None) -> None:
        assist = session.assist
        action = AUDIT_ACTIONS.get(type(effect))
        if self.audit is None or assist is None or action is None:
            return
        reference, detail = _reference(effect, session, outcome), ""
        if isinstance(outcome, Failed):
            status, detail = "failed", outcome.code or outcome.key
        elif action == "consent":
            status, detail = "ok", assist.consent.method
        else:
            status = "ok"
        try:
            self.audit.record(
                assist.staff.staff_no,
                action,
                subject=masked_subject(session.identity, assist.consent.relationship),
                matter_code=session.matter_code or "",
                reference=reference,
                outcome=status,
                detail=detail,
            )
        except Exception:  # the audit must not break the citizen's journey; say so loudly
            log.exception("audit record failed for %s", action)


def _reference(effect: fx.Effect, session: Session, outcome: Intent | None) -> str:
    for attr in ("submission", "case_no", "reference"):
        value = getattr(outcome, attr, None)
        if value is not None and attr == "submission":
            return str(value.number)
        if isinstance(value, str) and value:
            return value
    appointment = getattr(outcome, "appointment", None)
    if appointment is not None:
        return str(appointment.appointment_id)
    return str(getattr(effect, "slot_id", "") or getattr(effect, "number", "") or "")
