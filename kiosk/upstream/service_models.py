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


# ---- 人证核验 and 资格认证 (养老保险待遇领取资格认证) ------------------------------------

LIVENESS_ACTIONS = ("blink", "turn_left", "turn_right")
CERTIFY_METHODS = ("face_platform", "face_chip", "agent")
FACE_IMAGE_MAX = 192 * 1024  # characters of base64: a face crop is 20–60 KiB of JPEG
DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def _number(d: f.JsonObj, key: str, path: str = "", *, lo: float, hi: float) -> float:
    value = d.get(key)
    name = f"{path}.{key}" if path else key
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise f.FieldError(name, "required number" if value is None else "must be a number")
    if not lo <= value <= hi:
        raise f.FieldError(name, f"must be between {lo} and {hi}")
    return float(value)


@dc.dataclass(frozen=True)
class Liveness:
    """How the kiosk saw that a live person was there: the actions asked for (in the
    order asked), all seen, over how many analysed frames and how long."""

    actions: list[str]
    frames: int
    duration_ms: int
    method: str = "action"

    @classmethod
    def from_json(cls, d: f.JsonObj, path: str = "liveness") -> Liveness:
        d = f.obj(d, path)
        actions = f.str_list(d, "actions", path, max_items=5, max_len=20)
        if not actions or any(a not in LIVENESS_ACTIONS for a in actions):
            raise f.FieldError(f"{path}.actions", f"one or more of {', '.join(LIVENESS_ACTIONS)}")
        return cls(
            actions=actions,
            frames=f.req_int(d, "frames", path, lo=1, hi=100_000),
            duration_ms=f.req_int(d, "duration_ms", path, lo=1, hi=3_600_000),
            method=f.req_str(d, "method", path, choices=("action",)),
        )


@dc.dataclass(frozen=True)
class FaceVerificationRequest:
    """A live capture to compare with the photo on record of ``applicant``. ``image``:
    the face cropped from one frame, JPEG in base64; it is compared and not kept."""

    applicant: Applicant
    matter_code: str
    station_id: str
    liveness: Liveness
    image: str = dc.field(repr=False)

    @classmethod
    def from_json(cls, d: f.JsonObj) -> FaceVerificationRequest:
        d = f.obj(d)
        return cls(
            applicant=Applicant.from_json(f.req_obj(d, "applicant")),
            matter_code=f.req_str(d, "matter_code", pattern=CODE),
            station_id=f.req_str(d, "station_id", pattern=CODE),
            liveness=Liveness.from_json(f.req_obj(d, "liveness")),
            image=f.req_str(d, "image", max_len=FACE_IMAGE_MAX, pattern=r"[A-Za-z0-9+/=]+"),
        )


@dc.dataclass(frozen=True)
class FaceVerification:
    """The platform's answer: the same person as on record or not, the descriptor
    distance it measured and the threshold it holds it against."""

    verification_id: str
    match: bool
    distance: float
    threshold: float

    @classmethod
    def from_json(cls, d: f.JsonObj) -> FaceVerification:
        d = f.obj(d)
        return cls(
            verification_id=f.req_str(d, "verification_id", pattern=CODE),
            match=f.req_bool(d, "match"),
            distance=_number(d, "distance", lo=0.0, hi=10.0),
            threshold=_number(d, "threshold", lo=0.0, hi=10.0),
        )


@dc.dataclass(frozen=True)
class CertificationRequest:
    """资格认证 of ``applicant`` for ``matter_code``, by one of CERTIFY_METHODS: the
    platform's own face verification (``verification_id``), the kiosk's comparison with
    the ID card chip's photo (``distance``), or an agent who checked the card and the
    person (``staff``)."""

    matter_code: str
    applicant: Applicant
    station_id: str
    channel: str
    method: str
    verification_id: str | None = None
    distance: float | None = None
    staff: Agent | None = None

    @classmethod
    def from_json(cls, d: f.JsonObj) -> CertificationRequest:
        d = f.obj(d)
        staff = f.opt_obj(d, "staff")
        req = cls(
            matter_code=f.req_str(d, "matter_code", pattern=CODE),
            applicant=Applicant.from_json(f.req_obj(d, "applicant")),
            station_id=f.req_str(d, "station_id", pattern=CODE),
            channel=f.req_str(d, "channel", choices=tuple(Channel)),
            method=f.req_str(d, "method", choices=CERTIFY_METHODS),
            verification_id=f.opt_str(d, "verification_id", pattern=CODE),
            distance=None if d.get("distance") is None else _number(d, "distance", lo=0, hi=10),
            staff=None if staff is None else Agent.from_json(staff, "staff"),
        )
        needs = {"face_platform": "verification_id", "face_chip": "distance", "agent": "staff"}
        if getattr(req, needs[req.method]) is None:
            raise f.FieldError(needs[req.method], f"required for method {req.method}")
        return req


@dc.dataclass(frozen=True)
class Certification:
    """The certification on record: when, by which method, valid until when."""

    certification_id: str
    method: str
    certified_on: str
    valid_until: str

    @classmethod
    def from_json(cls, d: f.JsonObj) -> Certification:
        d = f.obj(d)
        return cls(
            certification_id=f.req_str(d, "certification_id", pattern=CODE),
            method=f.req_str(d, "method", choices=CERTIFY_METHODS),
            certified_on=f.req_str(d, "certified_on", pattern=DATE),
            valid_until=f.req_str(d, "valid_until", pattern=DATE),
        )
