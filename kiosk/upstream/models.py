"""Requests and answers of the platform API (kiosk/upstream/openapi.yaml), as dataclasses.

Each field's type says what the OpenAPI file allows (kiosk/upstream/fields.py: constrained
types that msgspec enforces). ``to_json`` gives the wire object; ``from_json`` reads one
strictly (fields.FieldError naming the field). The client and the sandbox share them, so
the two ends cannot drift apart.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import enum
import re
from typing import Annotated, Any

from msgspec import Meta

from kiosk.upstream import fields as f

#: Platform timestamps and calendar dates are China Standard Time.
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")

CODE = r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}"
SHA256_HEX = r"[0-9a-f]{64}"
ID_TYPE = r"[a-z][a-z0-9_]{0,31}"
#: A 6-digit county or 12-digit village administrative division code (GB/T 2260 and up).
REGION = r"[0-9]{6}([0-9]{6})?"
PHONE = r"\+?[0-9 -]{3,20}"

_REGION_WORDS = "must be a 6- or 12-digit division code"
_REGION = f.pattern(REGION, _REGION_WORDS)
_OPT_REGION = f.pattern(REGION, _REGION_WORDS, optional=True)
_OPT_PHONE = f.pattern(PHONE, "must be a phone number", optional=True)
_ID_NUMBER = f.pattern(r"[0-9A-Za-z]+", "has the wrong format")

Region = Annotated[str, Meta(pattern=_REGION)]
OptRegion = Annotated[str, Meta(pattern=_OPT_REGION)] | None
OptDate = Annotated[str, Meta(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None
PromisedDays = Annotated[int, Meta(ge=0, le=365)]
IdType = Annotated[str, Meta(pattern=f.pattern(ID_TYPE, "has the wrong format"))]
IdNumber = Annotated[str, Meta(max_length=40, pattern=_ID_NUMBER)]
OptPhone = Annotated[str, Meta(max_length=20, pattern=_OPT_PHONE)] | None
Sha256 = Annotated[str, Meta(pattern=f.pattern(SHA256_HEX, "must be 64 lower-case hex digits"))]
#: Form answers: at most 200, keys up to 100 characters, values up to 2,000 (may be "").
Answers = Annotated[
    dict[Annotated[str, Meta(max_length=100)], Annotated[str, Meta(max_length=2000)]],
    Meta(max_length=200),
]


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def unsafe_filename(name: str) -> bool:
    """True for a file name that could walk out of a directory or confuse a file
    system: separators, ``..``, a leading dot, control and reserved characters."""
    return bool(_UNSAFE_NAME.search(name)) or name.startswith(".") or ".." in name


def iso(ts: float) -> str:
    """An epoch timestamp as ISO 8601 in China Standard Time, to the second."""
    return dt.datetime.fromtimestamp(ts, CHINA_TZ).isoformat(timespec="seconds")


class Channel(enum.StrEnum):
    KIOSK = "kiosk"  # 自助: the citizen alone
    ASSISTED = "assisted"  # 帮办/代办: staff or a village agent on the citizen's behalf


class CaseState(enum.StrEnum):
    RECEIVED = "received"  # 已收件: application in, attachments still arriving
    ACCEPTED = "accepted"  # 受理
    IN_REVIEW = "in_review"  # 审核中
    COMPLETED = "completed"  # 办结
    RETURNED = "returned"  # 退回补正: materials missing or wrong


@dc.dataclass(frozen=True)
class Applicant(f.Wire):
    json_path = "applicant"

    id_type: IdType  # resident_id, e_id, social_security_card, passport ...
    id_number: IdNumber
    name: f.Text100
    phone: OptPhone = None

    def to_json(self) -> f.JsonObj:
        return dc.asdict(self)


@dc.dataclass(frozen=True)
class Agent(f.Wire):
    """A member of staff: the 帮办员/代办员 on an assisted application, or rated staff."""

    json_path = "agent"

    id: f.Text64
    name: f.Text100

    def to_json(self) -> f.JsonObj:
        return dc.asdict(self)


MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024
HANDLING_MODES = ("instant", "promised", "appointment", "deferred", "self_service")
#: ``application``: a new case; ``correction``: the materials a returned case (退回补正)
#: asked for, sent to that same case, from any kiosk.
APPLICATION_KINDS = ("application", "correction")


@dc.dataclass(frozen=True)
class MaterialRef(f.Wire):
    """One entry of an application's materials manifest: what will be uploaded."""

    material_code: f.Code
    filename: f.Text255
    content_type: f.Text100
    size: Annotated[int, Meta(ge=0, le=MAX_ATTACHMENT_BYTES)]
    sha256: Sha256

    def to_json(self) -> f.JsonObj:
        return dc.asdict(self)


@dc.dataclass(frozen=True, kw_only=True)
class Application(f.Wire):
    """An application (办件申请) as the kiosk sends it (built by keyword only)."""

    matter_code: f.Code
    matter_name: f.Text
    department: f.Text
    applicant: Applicant
    answers: Answers = dc.field(default_factory=dict)
    channel: Annotated[str, Meta(pattern=f.one_of(["kiosk", "assisted"]))]
    station_id: f.Code
    region_code: Region
    materials: Annotated[list[MaterialRef], Meta(max_length=50)] = dc.field(default_factory=list)
    case_no: f.OptCode = None
    agent: Agent | None = None
    mode: Annotated[str, Meta(pattern=f.one_of(HANDLING_MODES, optional=True))] = "promised"
    client_ref: f.OptText64 = None  # the kiosk's provisional number, for reconciliation
    promised_days: Annotated[int, Meta(ge=0, le=365)] | None = None
    kind: Annotated[str, Meta(pattern=f.one_of(APPLICATION_KINDS, optional=True))] = "application"
    payment_id: f.OptCode = None  # a paid platform payment, for a fee-bearing matter

    def check(self) -> None:
        """What the field types cannot say (run when read off the wire)."""
        if self.kind == "correction" and self.case_no is None:
            raise f.FieldError("case_no", "a correction names the case it corrects")

    def to_json(self) -> f.JsonObj:
        d = dc.asdict(self)
        if d["kind"] == "application":  # the default stays off the wire: older bodies
            del d["kind"]  # (and their idempotency fingerprints) are unchanged
        return {k: v for k, v in d.items() if v is not None}


@dc.dataclass(frozen=True)
class Receipt(f.Wire):
    """The platform's answer to an application: the case is on record."""

    case_no: f.Code
    status: Annotated[
        str, Meta(pattern=f.one_of(["received", "accepted", "in_review", "completed", "returned"]))
    ]
    received_at: f.Text
    awaiting_uploads: f.Count


@dc.dataclass(frozen=True)
class UploadInfo(f.Wire):
    """Where a resumable attachment upload stands."""

    upload_id: f.Code
    offset: f.Count
    length: f.Count
    complete: bool


CaseStateName = Annotated[
    str, Meta(pattern=f.one_of(["received", "accepted", "in_review", "completed", "returned"]))
]


@dc.dataclass(frozen=True)
class TimelineEvent(f.Wire):
    at: f.Text
    state: CaseStateName
    note: Annotated[str, Meta(max_length=500, pattern=f.OPT_TEXT)] = ""


@dc.dataclass(frozen=True)
class CaseStatus(f.Wire):
    """Status and timeline of a case (办件进度)."""

    case_no: f.Code
    matter_code: f.Code
    status: CaseStateName
    timeline: Annotated[list[TimelineEvent], Meta(max_length=100)]
    missing_materials: f.TextList
    awaiting_uploads: f.Count
    promised_date: f.OptText = None


@dc.dataclass(frozen=True)
class IssuedNumber(f.Wire):
    """The answer to POST /v1/case-numbers: a case number (办件编号) the platform issued
    for a receipt, and the promised date (ISO) the case will show when the request named
    the matter's promised days."""

    case_no: f.Code
    promised_date: OptDate = None


@dc.dataclass(frozen=True)
class CaseNumberRequest(f.Wire):
    """POST /v1/case-numbers: the matter, the county, and the matter's promised working
    days when the receipt is to show the promised date."""

    matter_code: f.Code
    region_code: OptRegion = None
    promised_days: PromisedDays | None = None


@dc.dataclass(frozen=True)
class UploadRequest(MaterialRef):
    """POST …/attachments: one manifest entry, and optionally which one (0-49)."""

    manifest_index: Annotated[int, Meta(ge=0, le=49)] | None = None


def to_json(value: Any) -> f.JsonObj:
    """Any of these dataclasses as a wire object, ``None`` fields left out."""
    return {k: v for k, v in dc.asdict(value).items() if v is not None}
