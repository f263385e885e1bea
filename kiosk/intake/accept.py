"""Accepting an application: capture a page, submit (save → print → send), print a notice,
reprint a receipt.

Flows stay pure; the app runs these in a worker thread and reports the outcome back to
the flow as an intent. Order on submit is the never-lose-data promise: the application
is committed to the outbox first, the receipt printed second (and kept until it has
printed: kiosk/intake/printing.py), the upload third.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import numpy as np

from devices.docscan import encode_jpeg, page_from_jpeg, process_page
from devices.docscan.watermark import stamp
from kiosk.errors import DeviceMissing, SessionEnded
from kiosk.identity import Identity
from kiosk.intake.printing import CHINA, Printing
from kiosk.intake.submissions import next_steps, submission_kind
from kiosk.outbox.models import Applicant, Attachment
from kiosk.outbox.models import Submission as OutboxSubmission
from kiosk.receipts import (
    AcceptanceData,
    NoticeData,
    NoticeMaterial,
    acceptance_receipt,
    notice_sheet,
)
from kiosk.receipts.qrcodes import QrKeyring, receipt_qr
from kiosk.session import CapturedPage, Session, Submission
from kiosk.settings import Settings
from kiosk.trust import TrustLevel, WatermarkPolicy
from kiosk.upstream.models import IssuedNumber

log = logging.getLogger(__name__)

__all__ = ["CHINA", "ID_TYPES", "DeviceMissing", "Intake"]

PAGE_MAX_BYTES = 250_000  # a grey A4 page at 200 dpi; a 5-page application ~10 s at 1 Mbit/s


ID_TYPES = {  # the kiosk's card types → the platform API's id_type
    "resident": "resident_id",
    "foreign_permanent": "foreign_permanent_id",
    "hmt_permit": "hmt_residence_permit",
}


def applicant_of(identity: Identity, phone: str | None = None) -> Applicant:
    """The person in the session as the platform API names an applicant."""
    id_type = ID_TYPES.get(identity.id_type, identity.id_type)
    return Applicant(id_type, identity.id_number, identity.name, phone or None)


@dc.dataclass(frozen=True)
class Promise:
    """The promised date on a receipt, and whether it is this kiosk's estimate."""

    date: dt.date
    estimate: bool = False
    weekends_only: bool = False


class Intake:
    def __init__(
        self,
        settings: Settings,
        hardware: Any,
        outbox: Any,
        client: Any,
        catalogue: Any,
        *,
        kick: Callable[[], None] = lambda: None,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(CHINA),
        reserve_timeout: float = 3.0,
        qr_keys: QrKeyring | None = None,
        watermarks: WatermarkPolicy | None = None,
    ) -> None:
        self.settings = settings
        self.hardware = hardware
        self.outbox = outbox
        self.client = client
        self.catalogue = catalogue
        self.kick = kick
        self.now = now
        self.reserve_timeout = reserve_timeout
        self._qr_keys = qr_keys
        self.watermarks = watermarks or WatermarkPolicy()
        self.calendar = settings.calendar.calendar()
        self.printing = Printing(
            settings, hardware, outbox, qr=lambda n: receipt_qr(n, self.qr_keys)
        )

    @property
    def qr_keys(self) -> QrKeyring:
        """The keys that sign our receipts' QR codes (made in the state dir on first use)."""
        if self._qr_keys is None:
            self._qr_keys = QrKeyring.load(self.settings.state_dir)
        return self._qr_keys

    # ---- the document camera ----

    def preview(self) -> np.ndarray | None:
        camera = self.hardware.docscan
        return None if camera is None else camera.preview()

    def capture(self, session: Session, material_code: str) -> CapturedPage:

        camera = self.hardware.docscan
        if camera is None:
            raise DeviceMissing("no document camera")
        page = process_page(camera.capture())
        height, width = page.image.shape[:2]
        return CapturedPage(
            material_code,
            encode_jpeg(page, max_bytes=PAGE_MAX_BYTES),
            width,
            height,
            tuple(str(p) for p in page.problems),
            trust=str(TrustLevel.C),  # captured at the kiosk
            dpi=page.dpi,
            mode=page.mode,
        )

    def upload_jpeg(self, page: CapturedPage, matter_name: str) -> bytes:
        """The page as it is sent: stamped with its trust level's watermark, if any."""
        text = self.watermarks.text(
            page.trust,
            matter=matter_name,
            station=self.settings.site.station_name,
            day=self.now().date(),
        )
        if text is None:
            return page.jpeg

        scanned = page_from_jpeg(page.jpeg, dpi=page.dpi, mode=page.mode)
        return encode_jpeg(stamp(scanned, text), max_bytes=PAGE_MAX_BYTES)

    # ---- submitting ----

    def outbox_submission(self, session: Session) -> OutboxSubmission:
        """What goes into the outbox for this session's application."""
        matter = self.catalogue.get(session.matter_code)
        identity = session.identity
        if identity is None:
            raise SessionEnded("no identity in the session")
        site = self.settings.site
        how = submission_kind(session)
        matter_name = matter.name.get("zh_CN")
        attachments = [
            Attachment(
                code, f"{code}-{i + 1}.jpg", "image/jpeg", self.upload_jpeg(page, matter_name)
            )
            for code, pages in session.pages.items()
            for i, page in enumerate(pages)
        ]
        return OutboxSubmission(
            matter_code=matter.code,
            matter_name=matter.name.get("zh_CN"),
            department=matter.department.name.get("zh_CN"),
            applicant=applicant_of(identity, session.answers.get("phone")),
            answers=dict(session.answers),
            attachments=attachments,
            channel=how.channel,
            station_id=site.station_id,
            region_code=site.region_code,
            promised_days=matter.promised_days,
            agent=how.agent,
            mode=how.mode,
            kind=how.kind,
            case_no=how.case_no,
        )

    def submit(self, session: Session) -> Submission:
        """Save, print the receipt (kept until printed), kick the sender. The session's
        flow says what is submitted: a new application (its mode), or a correction
        (退回补正) to a known case; an agent's session (``session.assist``) goes on the
        assisted channel with the agent named."""
        how = submission_kind(session)
        queued = self.outbox.enqueue(self.outbox_submission(session))
        matter = self.catalogue.get(session.matter_code)
        identity = session.identity
        assert identity is not None  # outbox_submission refused a session without one
        site = self.settings.site
        issued = self.outbox.try_reserve_case(
            queued, self.client, self.reserve_timeout, promised_days=matter.promised_days
        )
        case_no = issued.case_no if issued is not None else None
        number = case_no or queued.provisional_no
        accepted = self.now()
        promise = self.promise(accepted.date(), matter.promised_days, issued)
        promised = promise.date
        callback = self.due(accepted.date(), self.settings.services.callback_days, "call-back")
        qr = receipt_qr(number, self.qr_keys)
        doc = acceptance_receipt(
            AcceptanceData(
                matter_name=matter.name.get("zh_CN"),
                matter_code=matter.code,
                applicant_name=identity.name,
                applicant_id_number=identity.id_number,
                station_name=site.station_name,
                accepted_at=accepted.replace(tzinfo=None),
                lookup_qr=qr,
                tracking_number=case_no,
                provisional_number=None if case_no else queued.provisional_no,
                promised_date=None if how.mode == "deferred" else promised,
                next_steps=next_steps(how, session, self.settings, callback),
                promised_estimate=promise.estimate,
                promised_weekends_only=promise.weekends_only,
            )
        )
        printed, problem = self.printing.print_receipt(queued.provisional_no, number, doc)
        # The number is now on paper or, if the paper failed, on the screen that shows
        # this result: either way the citizen has it (see Outbox.unconfirmed).
        self.outbox.confirm_receipt(number)
        self.kick()
        deferred = how.mode == "deferred"
        return Submission(
            number=number,
            provisional=case_no is None,
            printed=printed,
            print_problem=problem,
            promised_date="" if deferred else promised.isoformat(),
            qr_payload=qr,
            kind="deferred" if deferred else how.kind,
            callback_org=self.settings.services.callback_org if deferred else "",
            callback_by=callback.isoformat() if deferred else "",
        )

    def due(self, start: dt.date, days: int, what: str) -> dt.date:
        """``days`` working days after ``start`` by the site's calendar; logged when the
        count runs past every published holiday schedule (weekends only)."""
        due = self.calendar.add_working_days(start, days)
        if due.weekends_only:
            log.info("%s date %s counts weekends only: no holiday schedule known", what, due.date)
        return due.date

    def promise(self, start: dt.date, days: int, issued: IssuedNumber | None) -> Promise:
        """The promised date a receipt prints: the platform's when it told one (it is
        the authority), else this kiosk's estimate, marked as such."""
        told = issued.promised_date if issued is not None else None
        if told:
            return Promise(dt.date.fromisoformat(told))
        due = self.calendar.add_working_days(start, days)
        if due.weekends_only:
            log.info("promised date %s counts weekends only: no holiday schedule known", due.date)
        return Promise(due.date, estimate=True, weekends_only=due.weekends_only)

    def reprint(self, number: str) -> bool:
        """Print the receipt of ``number`` again (blocking: call it off the UI thread).
        True once the printer confirms it; the job stays kept otherwise."""
        return self.printing.reprint(number)

    def print_document(self, doc: list[Any]) -> tuple[bool, str | None]:
        """Print any paper document: (printed, message key when it did not)."""
        return self.printing.print_document(doc)

    # ---- the 一次性告知单 ----

    def print_notice(self, session: Session) -> bool:
        matter = self.catalogue.get(session.matter_code)
        provided = set(session.pages)
        doc = notice_sheet(
            NoticeData(
                matter_name=matter.name.get("zh_CN"),
                matter_code=matter.code,
                materials=[
                    NoticeMaterial(
                        name=m.name.get("zh_CN"),
                        required=m.required,
                        provided=m.code in provided,
                        note=m.note.get("zh_CN") if m.note else "",
                    )
                    for m in matter.materials
                ],
                legal_basis=[matter.legal_basis.get("zh_CN")],
                station_name=self.settings.site.station_name,
                issued_at=self.now().replace(tzinfo=None),
                promised_days=matter.promised_days,
            )
        )
        printed, _problem = self.printing.print_document(doc)
        return printed
