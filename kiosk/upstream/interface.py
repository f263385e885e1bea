"""What the kiosk needs from a provincial platform.

``HttpPlatformClient`` implements it over kiosk/upstream/openapi.yaml; a provincial
adapter that speaks another API implements the same methods and raises the same errors
(kiosk.upstream.errors), so the outbox and the journey never notice the difference.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.upstream.case_models import (
    CaseSummary,
    Certificate,
    Payment,
    PaymentRequest,
    SupervisionPage,
)
from kiosk.upstream.models import (
    Applicant,
    Application,
    CaseStatus,
    IssuedNumber,
    MaterialRef,
    Receipt,
    UploadInfo,
)
from kiosk.upstream.service_models import (
    Appointment,
    AppointmentRequest,
    Certification,
    CertificationRequest,
    Complaint,
    FaceVerification,
    Liveness,
    Rating,
    Slot,
)


class PlatformClient(Protocol):
    def issue_case(
        self,
        idem_key: str,
        matter_code: str,
        *,
        region_code: str | None = None,
        promised_days: int | None = None,
        timeout: float | None = None,
        attempts: int | None = None,
    ) -> IssuedNumber:
        """A case number (办件编号), the same for the same key, with the platform's
        promised date for the case when ``promised_days`` is given and it tells it."""
        ...

    def submit_application(self, app: Application, idem_key: str) -> Receipt:
        """Put the application on record; its attachments follow as uploads."""
        ...

    def create_upload(
        self, case_no: str, ref: MaterialRef, idem_key: str, *, index: int | None = None
    ) -> UploadInfo:
        """Start (or find again) the upload of one manifest entry."""
        ...

    def upload_status(self, case_no: str, upload_id: str) -> UploadInfo:
        """The platform's acknowledged offset: where to resume."""
        ...

    def append_chunk(self, case_no: str, upload_id: str, offset: int, chunk: bytes) -> int:
        """Append at ``offset``; returns the new acknowledged offset."""
        ...

    def get_case(self, case_no: str) -> CaseStatus: ...

    def certificate(self, case_no: str) -> bytes: ...

    def rate(self, rating: Rating, idem_key: str | None = None) -> str: ...

    def appointment_slots(
        self, matter_code: str, station_id: str, date: str | None = None
    ) -> list[Slot]: ...

    def book_appointment(
        self, req: AppointmentRequest, idem_key: str | None = None
    ) -> Appointment: ...

    def cancel_appointment(self, appointment_id: str) -> Appointment: ...

    def complain(self, complaint: Complaint, idem_key: str | None = None) -> str: ...

    def search_cases(
        self, *, applicant: Applicant | None = None, station_id: str | None = None
    ) -> list[CaseSummary]:
        """One applicant's cases, or one station's."""
        ...

    def certificate_content(self, case_no: str) -> Certificate:
        """A completed 即时办 case's certificate as labelled fields."""
        ...

    def create_payment(self, req: PaymentRequest, idem_key: str) -> Payment: ...

    def payment_status(self, payment_id: str) -> Payment: ...

    def get_appointment(self, appointment_id: str) -> Appointment: ...

    def search_appointments(self, applicant: Applicant) -> list[Appointment]: ...

    def verify_face(
        self,
        applicant: Applicant,
        jpeg: bytes,
        liveness: Liveness,
        *,
        matter_code: str,
        station_id: str,
        idem_key: str | None = None,
    ) -> FaceVerification:
        """人证核验: the live capture against the applicant's photo on record."""
        ...

    def certify(self, req: CertificationRequest, idem_key: str | None = None) -> Certification:
        """资格认证 on record, valid until the date the platform gives."""
        ...

    def supervision_cases(
        self,
        *,
        station_id: str | None = None,
        region_code: str | None = None,
        received_from: str | None = None,
        received_to: str | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> SupervisionPage:
        """One page of a station's (or a region's) cases for 电子监察: state, promised
        date, when finished, the latest rating; nothing of the applicant. Follow
        ``next_cursor`` for the next page."""
        ...
