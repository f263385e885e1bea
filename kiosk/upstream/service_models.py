"""Ratings (好差评), appointments (预约) and complaints (投诉) on the wire.

Rating fields follow what provincial rating systems are fed (research/features.md §2.1):
case number, matter code, department, region, channel and the rated staff member, who is
the 代办员 on an assisted application. Five levels, 5 = 非常满意 … 1 = 非常不满意; a
rating of 2 or 1 must say why (GB/T 39734-2020 annex A, 差评评价内容).
"""

from __future__ import annotations

import dataclasses as dc

from kiosk.upstream import fields as f
from kiosk.upstream.models import CODE, REGION, Agent, Applicant, Channel

BAD_RATING_MAX = 2


@dc.dataclass(frozen=True)
class Rating:
    case_no: str
    matter_code: str
    department: str
    region_code: str
    channel: str
    station_id: str
    level: int
    reasons: list[str] = dc.field(default_factory=list)
    comment: str = ""
    staff: Agent | None = None

    @classmethod
    def from_json(cls, d: f.JsonObj) -> Rating:
        d = f.obj(d)
        staff = f.opt_obj(d, "staff")
        rating = cls(
            case_no=f.req_str(d, "case_no", pattern=CODE),
            matter_code=f.req_str(d, "matter_code", pattern=CODE),
            department=f.req_str(d, "department"),
            region_code=f.req_str(d, "region_code", pattern=REGION),
            channel=f.req_str(d, "channel", choices=tuple(Channel)),
            station_id=f.req_str(d, "station_id", pattern=CODE),
            level=f.req_int(d, "level", lo=1, hi=5),
            reasons=f.str_list(d, "reasons", max_items=10, max_len=100),
            comment=f.opt_str(d, "comment", max_len=1000) or "",
            staff=None if staff is None else Agent.from_json(staff, "staff"),
        )
        if rating.level <= BAD_RATING_MAX and not rating.reasons:
            raise f.FieldError("reasons", "a rating of 1 or 2 needs at least one reason")
        return rating


@dc.dataclass(frozen=True)
class Slot:
    slot_id: str
    start: str
    end: str
    capacity: int
    remaining: int

    @classmethod
    def from_json(cls, d: f.JsonObj, path: str = "slot") -> Slot:
        return cls(
            slot_id=f.req_str(d, "slot_id", path, pattern=CODE),
            start=f.req_str(d, "start", path),
            end=f.req_str(d, "end", path),
            capacity=f.req_int(d, "capacity", path),
            remaining=f.req_int(d, "remaining", path),
        )


@dc.dataclass(frozen=True)
class AppointmentRequest:
    slot_id: str
    matter_code: str
    station_id: str
    channel: str
    applicant: Applicant

    @classmethod
    def from_json(cls, d: f.JsonObj) -> AppointmentRequest:
        d = f.obj(d)
        return cls(
            slot_id=f.req_str(d, "slot_id", pattern=CODE),
            matter_code=f.req_str(d, "matter_code", pattern=CODE),
            station_id=f.req_str(d, "station_id", pattern=CODE),
            channel=f.req_str(d, "channel", choices=tuple(Channel)),
            applicant=Applicant.from_json(f.req_obj(d, "applicant")),
        )


@dc.dataclass(frozen=True)
class Appointment:
    appointment_id: str
    slot_id: str
    matter_code: str
    start: str
    end: str
    status: str  # booked | cancelled

    @classmethod
    def from_json(cls, d: f.JsonObj) -> Appointment:
        d = f.obj(d)
        return cls(
            appointment_id=f.req_str(d, "appointment_id", pattern=CODE),
            slot_id=f.req_str(d, "slot_id", pattern=CODE),
            matter_code=f.req_str(d, "matter_code", pattern=CODE),
            start=f.req_str(d, "start"),
            end=f.req_str(d, "end"),
            status=f.req_str(d, "status", choices=("booked", "cancelled")),
        )


COMPLAINT_CATEGORIES = ("service_attitude", "efficiency", "materials", "device", "other")


@dc.dataclass(frozen=True)
class Complaint:
    category: str
    content: str
    channel: str
    station_id: str
    case_no: str | None = None
    contact_phone: str | None = None

    @classmethod
    def from_json(cls, d: f.JsonObj) -> Complaint:
        d = f.obj(d)
        return cls(
            category=f.req_str(d, "category", choices=COMPLAINT_CATEGORIES),
            content=f.req_str(d, "content", max_len=2000),
            channel=f.req_str(d, "channel", choices=tuple(Channel)),
            station_id=f.req_str(d, "station_id", pattern=CODE),
            case_no=f.opt_str(d, "case_no", pattern=CODE),
            contact_phone=f.opt_str(d, "contact_phone", max_len=20, pattern=r"\+?[0-9 -]{3,20}"),
        )
