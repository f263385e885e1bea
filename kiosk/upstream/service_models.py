"""Ratings (好差评), appointments (预约) and complaints (投诉) on the wire.

Rating fields follow what provincial rating systems are fed (research/features.md §2.1):
case number, matter code, department, region, channel and the rated staff member, who is
the 代办员 on an assisted application. Five levels, 5 = 非常满意 … 1 = 非常不满意; a
rating of 2 or 1 must say why (GB/T 39734-2020 annex A, 差评评价内容).
"""

from __future__ import annotations

import dataclasses as dc
from typing import Annotated

from msgspec import Meta

from kiosk.upstream import fields as f
from kiosk.upstream.models import Agent, Applicant, OptPhone, Region

BAD_RATING_MAX = 2
ChannelName = Annotated[str, Meta(pattern=f.one_of(["kiosk", "assisted"]))]


@dc.dataclass(frozen=True)
class Rating:
    case_no: f.Code
    matter_code: f.Code
    department: f.Text
    region_code: Region
    channel: ChannelName
    station_id: f.Code
    level: Annotated[int, Meta(ge=1, le=5)]
    reasons: Annotated[list[f.Text100], Meta(max_length=10)] = dc.field(default_factory=list)
    comment: Annotated[str, Meta(max_length=1000, pattern=f.OPT_TEXT)] = ""
    staff: Agent | None = None

    def check(self) -> None:
        """What the field types cannot say (run when read off the wire)."""
        if self.level <= BAD_RATING_MAX and not self.reasons:
            raise f.FieldError("reasons", "a rating of 1 or 2 needs at least one reason")

    @classmethod
    def from_json(cls, d: f.JsonObj) -> Rating:
        return f.convert(cls, d)


@dc.dataclass(frozen=True)
class Slot:
    slot_id: f.Code
    start: f.Text
    end: f.Text
    capacity: f.Count
    remaining: f.Count

    @classmethod
    def from_json(cls, d: f.JsonObj, path: str = "slot") -> Slot:
        return f.convert(cls, d, path)


@dc.dataclass(frozen=True)
class SlotList:
    slots: Annotated[list[Slot], Meta(max_length=100)]


@dc.dataclass(frozen=True)
class SlotQuery:
    """GET /v1/appointments/slots: the query string."""

    matter_code: f.Code
    station_id: f.Code
    date: Annotated[str, Meta(pattern=f.pattern(r"\d{4}-\d{2}-\d{2}", "must be YYYY-MM-DD",
                                                  optional=True))] | None = None  # fmt: skip

    def __post_init__(self) -> None:
        f.blank_to_default(self)


@dc.dataclass(frozen=True)
class AppointmentRequest:
    slot_id: f.Code
    matter_code: f.Code
    station_id: f.Code
    channel: ChannelName
    applicant: Applicant

    @classmethod
    def from_json(cls, d: f.JsonObj) -> AppointmentRequest:
        return f.convert(cls, d)


@dc.dataclass(frozen=True)
class Appointment:
    appointment_id: f.Code
    slot_id: f.Code
    matter_code: f.Code
    start: f.Text
    end: f.Text
    status: Annotated[str, Meta(pattern=f.one_of(["booked", "cancelled"]))]

    @classmethod
    def from_json(cls, d: f.JsonObj) -> Appointment:
        return f.convert(cls, d)


@dc.dataclass(frozen=True)
class AppointmentList:
    appointments: Annotated[list[Appointment], Meta(max_length=200)]


COMPLAINT_CATEGORIES = ("service_attitude", "efficiency", "materials", "device", "other")


@dc.dataclass(frozen=True)
class Complaint:
    category: Annotated[str, Meta(pattern=f.one_of(COMPLAINT_CATEGORIES))]
    content: f.Text2000
    channel: ChannelName
    station_id: f.Code
    case_no: f.OptCode = None
    contact_phone: OptPhone = None

    def __post_init__(self) -> None:
        f.blank_to_default(self)

    @classmethod
    def from_json(cls, d: f.JsonObj) -> Complaint:
        return f.convert(cls, d)


@dc.dataclass(frozen=True)
class Filed:
    """The answer to a rating or a complaint: the platform's id for it."""

    rating_id: f.OptCode = None
    complaint_id: f.OptCode = None
