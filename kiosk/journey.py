"""The journey's effects: capture a page, submit (save → print → send), print a notice,
reprint a receipt.

Flows stay pure; the app runs these in a worker thread and reports the outcome back to
the flow as an intent. Order on submit is the never-lose-data promise: the application
is committed to the outbox first, the receipt printed second (and kept until it has
printed: kiosk/printing.py), the upload third.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from kiosk.errors import KioskError
from kiosk.outbox.models import Applicant, Attachment
from kiosk.outbox.models import Submission as OutboxSubmission
from kiosk.printing import CHINA, Printing, lookup_qr
from kiosk.receipts import (
    AcceptanceData,
    NoticeData,
    NoticeMaterial,
    acceptance_receipt,
    notice_sheet,
)
from kiosk.session import CapturedPage, Session, Submission
from kiosk.settings import Settings
from kiosk.workdays import add_working_days

log = logging.getLogger(__name__)
__all__ = ["ID_TYPES", "DeviceMissing", "Journey", "lookup_qr"]


ID_TYPES = {  # the kiosk's card types → the platform API's id_type
    "resident": "resident_id",
    "foreign_permanent": "foreign_permanent_id",
    "hmt_permit": "hmt_residence_permit",
}


class DeviceMissing(KioskError):
    key = "error.device.missing"


class Journey:
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
    ) -> None:
        self.settings = settings
        self.hardware = hardware
        self.outbox = outbox
        self.client = client
        self.catalogue = catalogue
        self.kick = kick
        self.now = now
        self.reserve_timeout = reserve_timeout
        self.printing = Printing(settings, hardware, outbox, qr=lookup_qr)

    # ---- the document camera ----

    def preview(self) -> Any:
        camera = self.hardware.docscan
        return None if camera is None else camera.preview()

    def capture(self, session: Session, material_code: str) -> CapturedPage:
        from devices.docscan import encode_jpeg, process_page

        camera = self.hardware.docscan
        if camera is None:
            raise DeviceMissing("no document camera")
        page = process_page(camera.capture())
        height, width = page.image.shape[:2]
        return CapturedPage(
            material_code,
            encode_jpeg(page),
            width,
            height,
            tuple(str(p) for p in page.problems),
        )

    # ---- submitting ----

    def outbox_submission(self, session: Session) -> OutboxSubmission:
        """What goes into the outbox for this session's application."""
        matter = self.catalogue.get(session.matter_code)
        identity = session.identity
        if identity is None:
            raise KioskError("no identity in the session")
        site = self.settings.site
        attachments = [
            Attachment(code, f"{code}-{i + 1}.jpg", "image/jpeg", page.jpeg)
            for code, pages in session.pages.items()
            for i, page in enumerate(pages)
        ]
        return OutboxSubmission(
            matter_code=matter.code,
            matter_name=matter.name.get("zh_CN"),
            department=matter.department.name.get("zh_CN"),
            applicant=Applicant(
                id_type=ID_TYPES.get(identity.id_type, identity.id_type),
                id_number=identity.id_number,
                name=identity.name,
                phone=session.answers.get("phone") or None,
            ),
            answers=dict(session.answers),
            attachments=attachments,
            channel="kiosk",
            station_id=site.station_id,
            region_code=site.region_code,
            promised_days=matter.promised_days,
        )

    def submit(self, session: Session) -> Submission:
        """Save, print the receipt (kept until printed), kick the sender."""
        queued = self.outbox.enqueue(self.outbox_submission(session))
        matter = self.catalogue.get(session.matter_code)
        identity = session.identity
        assert identity is not None  # outbox_submission refused a session without one
        site = self.settings.site
        case_no = self.outbox.try_reserve_case_number(queued, self.client, self.reserve_timeout)
        number = case_no or queued.provisional_no
        accepted = self.now()
        promised = add_working_days(accepted.date(), matter.promised_days)
        qr = lookup_qr(number)
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
                promised_date=promised,
            )
        )
        printed, problem = self.printing.print_receipt(queued.provisional_no, number, doc)
        # The number is now on paper or, if the paper failed, on the screen that shows
        # this result: either way the citizen has it (see Outbox.unconfirmed).
        self.outbox.confirm_receipt(number)
        self.kick()
        return Submission(
            number=number,
            provisional=case_no is None,
            printed=printed,
            print_problem=problem,
            promised_date=promised.isoformat(),
            qr_payload=qr,
        )

    def reprint(self, number: str) -> bool:
        """Print the receipt of ``number`` again (blocking: call it off the UI thread).
        True once the printer confirms it; the job stays kept otherwise."""
        return self.printing.reprint(number)

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
