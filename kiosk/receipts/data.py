"""What goes on each paper document, as typed records the flows fill in.

Personal fields are kept out of ``repr`` so that a record that ends up in a log line or
a traceback shows no name or ID number; the builders mask them on paper.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from collections.abc import Sequence


@dc.dataclass(frozen=True)
class AcceptanceData:
    """受理回执: the citizen's proof that the application exists.

    Exactly one of ``tracking_number`` (the platform's 办件编号) and
    ``provisional_number`` (临时编号, handed out while offline) is set.
    ``lookup_qr`` is the payload of the progress-lookup QR code, built by the caller.
    ``promised_date`` is the platform's whenever it told one; otherwise the kiosk's own
    count, printed as an estimate (``promised_estimate``), and said to count weekends
    only when it runs past every published holiday schedule (``promised_weekends_only``).
    """

    matter_name: str
    matter_code: str
    applicant_name: str = dc.field(repr=False)
    applicant_id_number: str = dc.field(repr=False)
    station_name: str
    accepted_at: dt.datetime
    lookup_qr: str
    tracking_number: str | None = None
    provisional_number: str | None = None
    promised_date: dt.date | None = None
    next_steps: str | None = None
    promised_estimate: bool = False
    promised_weekends_only: bool = False

    def __post_init__(self) -> None:
        if (self.tracking_number is None) == (self.provisional_number is None):
            raise ValueError("set exactly one of tracking_number and provisional_number")
        if not self.lookup_qr:
            raise ValueError("the receipt needs a progress-lookup QR payload")


@dc.dataclass(frozen=True)
class NoticeMaterial:
    """One material of a matter, and whether this citizen has already provided it."""

    name: str
    required: bool = True
    provided: bool = False
    note: str = ""


@dc.dataclass(frozen=True)
class NoticeData:
    """一次性告知单: every material, which are missing, the legal basis, the deadline."""

    matter_name: str
    matter_code: str
    materials: Sequence[NoticeMaterial]
    legal_basis: Sequence[str]
    station_name: str
    issued_at: dt.datetime
    promised_days: int | None = None  # 承诺办结时限, working days
    supplement_by: dt.date | None = None  # date the missing materials are due
    fee: str | None = None
    applicant_name: str | None = dc.field(default=None, repr=False)
    lookup_qr: str | None = None

    @property
    def missing(self) -> list[NoticeMaterial]:
        """Required materials not yet provided."""
        return [m for m in self.materials if m.required and not m.provided]


@dc.dataclass(frozen=True)
class AppointmentData:
    """预约凭条: when and where to come, with what."""

    appointment_number: str
    matter_name: str
    matter_code: str
    applicant_name: str = dc.field(repr=False)
    station_name: str
    slot_start: dt.datetime
    slot_end: dt.datetime
    issued_at: dt.datetime
    applicant_phone: str | None = dc.field(default=None, repr=False)
    window: str | None = None
    bring: Sequence[str] = ()
    lookup_qr: str | None = None

    def __post_init__(self) -> None:
        if self.slot_end <= self.slot_start:
            raise ValueError("an appointment slot must end after it starts")


def sample_acceptance(provisional: bool = False) -> AcceptanceData:
    """A made-up receipt (``kiosk print receipt --sample``, benchmarks, the demo).

    The person is fictitious; the ID number is a test pattern, not a real one.
    """
    number = "KS-20240506-000123" if provisional else "370102202405060000123"
    return AcceptanceData(
        matter_name="城乡居民基本养老保险参保登记",
        matter_code="370100-000-XK-0012",
        applicant_name="张三丰",
        applicant_id_number="370102199001011234",
        station_name="历城区港沟街道神武村便民服务站",
        accepted_at=dt.datetime(2024, 5, 6, 14, 30),
        lookup_qr=f"https://zwfw.example.gov.cn/progress?no={number}",
        tracking_number=None if provisional else number,
        provisional_number=number if provisional else None,
        promised_date=dt.date(2024, 5, 13),
    )
