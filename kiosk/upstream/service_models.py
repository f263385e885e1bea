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
class Rating(f.Wire):
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


@dc.dataclass(frozen=True)
class Slot(f.Wire):
    json_path = "slot"

    slot_id: f.Code
    start: f.Text
    end: f.Text
    capacity: f.Count
    remaining: f.Count


@dc.dataclass(frozen=True)
class SlotList(f.Wire):
    slots: Annotated[list[Slot], Meta(max_length=100)]


@dc.dataclass(frozen=True)
class SlotQuery(f.Wire):
    """GET /v1/appointments/slots: the query string."""

    matter_code: f.Code
    station_id: f.Code
    date: (
        Annotated[
            str, Meta(pattern=f.pattern(r"\d{4}-\d{2}-\d{2}", "must be YYYY-MM-DD", optional=True))
        ]
        | None
    ) = None


@dc.dataclass(frozen=True)
class AppointmentRequest(f.Wire):
    slot_id: f.Code
    matter_code: f.Code
    station_id: f.Code
    channel: ChannelName
    applicant: Applicant


@dc.dataclass(frozen=True)
class Appointment(f.Wire):
    appointment_id: f.Code
    slot_id: f.Code
    matter_code: f.Code
    start: f.Text
    end: f.Text
    status: Annotated[str, Meta(pattern=f.one_of(["booked", "cancelled"]))]


@dc.dataclass(frozen=True)
class AppointmentList(f.Wire):
    appointments: Annotated[list[Appointment], Meta(max_length=200)]


COMPLAINT_CATEGORIES = ("service_attitude", "efficiency", "materials", "device", "other")


@dc.dataclass(frozen=True)
class Complaint(f.Wire):
    category: Annotated[str, Meta(pattern=f.one_of(COMPLAINT_CATEGORIES))]
    content: f.Text2000
    channel: ChannelName
    station_id: f.Code
    case_no: f.OptCode = None
    contact_phone: OptPhone = None


@dc.dataclass(frozen=True)
class Filed:
    """The answer to a rating or a complaint: the platform's id for it."""

    rating_id: f.OptCode = None
    complaint_id: f.OptCode = None


# ---- 人证核验 and 资格认证 (养老保险待遇领取资格认证) ------------------------------------

LIVENESS_ACTIONS = ("blink", "turn_left", "turn_right")
CERTIFY_METHODS = ("face_platform", "face_chip", "agent")
FACE_IMAGE_MAX = 192 * 1024  # characters of base64: a face crop is 20–60 KiB of JPEG
_DATE = f.pattern(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "must be YYYY-MM-DD")

Action = Annotated[str, Meta(pattern=f.one_of(LIVENESS_ACTIONS))]
CertifyMethod = Annotated[str, Meta(pattern=f.one_of(CERTIFY_METHODS))]
Distance = Annotated[float, Meta(ge=0.0, le=10.0)]
Date = Annotated[str, Meta(pattern=_DATE)]
FaceImage = Annotated[
    str,
    Meta(max_length=FACE_IMAGE_MAX, pattern=f.pattern(r"[A-Za-z0-9+/=]+", "must be base64")),
]


@dc.dataclass(frozen=True)
class Liveness(f.Wire):
    """How the kiosk saw that a live person was there: the actions asked for (in the
    order asked), all seen, over how many analysed frames and how long."""

    json_path = "liveness"

    actions: Annotated[list[Action], Meta(min_length=1, max_length=5)]
    frames: Annotated[int, Meta(ge=1, le=100_000)]
    duration_ms: Annotated[int, Meta(ge=1, le=3_600_000)]
    method: Annotated[str, Meta(pattern=f.one_of(["action"]))] = "action"


@dc.dataclass(frozen=True)
class FaceVerificationRequest(f.Wire):
    """A live capture to compare with the photo on record of ``applicant``. ``image``:
    the face cropped from one frame, JPEG in base64; it is compared and not kept."""

    applicant: Applicant
    matter_code: f.Code
    station_id: f.Code
    liveness: Liveness
    image: FaceImage = dc.field(repr=False)


@dc.dataclass(frozen=True)
class FaceVerification(f.Wire):
    """The platform's answer: the same person as on record or not, the descriptor
    distance it measured and the threshold it holds it against."""

    verification_id: f.Code
    match: bool
    distance: Distance
    threshold: Distance


@dc.dataclass(frozen=True)
class CertificationRequest(f.Wire):
    """资格认证 of ``applicant`` for ``matter_code``, by one of CERTIFY_METHODS: the
    platform's own face verification (``verification_id``), the kiosk's comparison with
    the ID card chip's photo (``distance``), or an agent who checked the card and the
    person (``staff``)."""

    matter_code: f.Code
    applicant: Applicant
    station_id: f.Code
    channel: ChannelName
    method: CertifyMethod
    verification_id: f.OptCode = None
    distance: Distance | None = None
    staff: Agent | None = None

    def check(self) -> None:
        """The evidence the method needs (run when read off the wire)."""
        needs = {"face_platform": "verification_id", "face_chip": "distance", "agent": "staff"}
        if getattr(self, needs[self.method]) is None:
            raise f.FieldError(needs[self.method], f"required for method {self.method}")


@dc.dataclass(frozen=True)
class Certification(f.Wire):
    """The certification on record: when, by which method, valid until when."""

    certification_id: f.Code
    method: CertifyMethod
    certified_on: Date
    valid_until: Date
