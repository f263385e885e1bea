"""Cases for the services' journeys and tests to find: filed at *another* kiosk (its
own outbox, device key and platform account, into the same platform), so that what
this kiosk shows comes from the platform, as it would in a county of many kiosks."""

from __future__ import annotations

import dataclasses as dc
import tempfile
from pathlib import Path

import cv2
import numpy as np

from kiosk.outbox import Attachment, Outbox, OutboxPump, Submission, load_or_create_key
from kiosk.upstream import Applicant
from kiosk.upstream.client import HttpPlatformClient
from sandbox import SandboxPlatform
from terminal.runtime import Runtime

ALLOWANCE = "33102300MZ-JF-0001"  # 高龄津贴申领: 承诺办, household register among its pages
ANSWERS = {
    "applicant": "self",
    "phone": "13800138000",
    "payment_card_number": "6222020200112233446",
    "bank": "rcb",
}
OTHER_KIOSK = "KIOSK-OTHER-01"


def page_jpeg() -> bytes:
    ok, data = cv2.imencode(".jpg", np.full((1170, 827), 255, np.uint8))
    if not ok:
        raise RuntimeError("could not encode a blank page")
    return bytes(data)


@dc.dataclass
class OtherKiosk:
    """A second kiosk sharing the platform (the embedded sandbox) with this one."""

    runtime: Runtime

    @property
    def sandbox(self) -> SandboxPlatform:
        sandbox = self.runtime.sandbox
        assert sandbox is not None, "the other kiosk shares this kiosk's embedded platform"
        return sandbox

    def file(self, id_number: str, name: str, matter_code: str = ALLOWANCE) -> str:
        """File an application for this person there; its case number."""
        rt = self.runtime
        matter = rt.catalogue.get(matter_code)
        site = rt.settings.site
        pages = [
            Attachment(m.code, f"{m.code}.jpg", "image/jpeg", page_jpeg())
            for m in matter.materials
            if m.required
        ]
        submission = Submission(
            matter_code=matter.code,
            matter_name=matter.name.zh_CN,
            department=matter.department.name.zh_CN,
            applicant=Applicant("resident_id", id_number, name, None),
            answers=dict(ANSWERS),
            attachments=pages,
            channel="kiosk",
            station_id=site.station_id,
            region_code=site.region_code,
            promised_days=matter.promised_days,
        )
        sandbox = self.sandbox
        token = sandbox.register_device(OTHER_KIOSK)
        with tempfile.TemporaryDirectory(prefix="other-kiosk-") as tmp:
            state = Path(tmp)
            outbox = Outbox(state / "outbox.sqlite3", load_or_create_key(state / "outbox.key"))
            client = HttpPlatformClient(sandbox.base_url, OTHER_KIOSK, token)
            try:
                queued = outbox.enqueue(submission)
                OutboxPump(outbox, client).run_once(force=True)
                status = outbox.lookup(queued.provisional_no)
            finally:
                client.close()
                outbox.close()
        if status is None or status.case_no is None:
            raise RuntimeError("the other kiosk could not file its application")
        return str(status.case_no)

    def decide(self, case_no: str, outcome: str, missing: tuple[str, ...] = ()) -> None:
        """The department's decision, in effect at once."""
        sandbox = self.sandbox
        sandbox.set_review_outcome(case_no, outcome, list(missing))
        sandbox.set_review_speed(1e9)

    def normal_speed(self) -> None:
        """Review at its own pace again (the app outlives one test or journey)."""
        self.sandbox.set_review_speed(1.0)
