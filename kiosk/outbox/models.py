"""What goes into the outbox and what comes out of a lookup."""

from __future__ import annotations

import dataclasses as dc
import enum

from kiosk.upstream.models import Agent, Applicant


@dc.dataclass(frozen=True)
class Attachment:
    """One captured material (a scanned page, a photo)."""

    material_code: str
    filename: str
    content_type: str
    data: bytes = dc.field(repr=False)


@dc.dataclass(frozen=True)
class Submission:
    """A citizen's application as the journey hands it to the outbox."""

    matter_code: str
    matter_name: str
    department: str
    applicant: Applicant
    answers: dict[str, str]
    attachments: list[Attachment]
    channel: str  # "kiosk" | "assisted"
    station_id: str
    region_code: str
    agent: Agent | None = None
    mode: str = "promised"  # instant | promised | appointment | deferred | self_service
    promised_days: int | None = None
    kind: str = "application"  # application | correction (退回补正 to ``case_no``)
    case_no: str | None = None  # known already for a correction: no number is issued


@dc.dataclass(frozen=True)
class QueuedSubmission:
    """The outbox's answer to ``enqueue``: the submission is durable."""

    provisional_no: str  # LS-<station>-<yyyymmdd>-<seq>, printed when no case number yet
    idem_key: str
    created_at: float
    case_no: str | None = None

    @property
    def number(self) -> str:
        """The number to print: the platform's case number when known."""
        return self.case_no or self.provisional_no


class ItemState(enum.StrEnum):
    PENDING = "pending"  # not yet fully acknowledged by the platform
    SENT = "sent"  # acknowledged; personal data purged
    REJECTED = "rejected"  # the platform refused it; kept (encrypted) for staff


class Stage(enum.StrEnum):
    CASE_NUMBER = "case_number"
    APPLICATION = "application"
    ATTACHMENTS = "attachments"
    DONE = "done"


@dc.dataclass(frozen=True)
class ItemStatus:
    """Where one queued submission stands. Holds no personal data."""

    provisional_no: str
    case_no: str | None
    state: ItemState
    stage: Stage
    matter_code: str
    station_id: str
    created_at: float
    acked_at: float | None
    attachments_total: int
    attachments_done: int
    bytes_total: int
    bytes_acked: int
    attempts: int
    last_error: str | None
    receipt_confirmed: bool

    @property
    def number(self) -> str:
        return self.case_no or self.provisional_no
