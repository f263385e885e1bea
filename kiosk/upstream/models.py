"""Requests and answers of the platform API (kiosk/upstream/openapi.yaml), as dataclasses.

``to_json`` gives the wire object; ``from_json`` reads one strictly (fields.FieldError on
anything the OpenAPI file does not allow). The client and the sandbox share them, so the
two ends cannot drift apart.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import enum
import re
from typing import Any

from kiosk.upstream import fields as f

#: Platform timestamps and calendar dates are China Standard Time.
CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")

CODE = r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}"
SHA256_HEX = r"[0-9a-f]{64}"
ID_TYPE = r"[a-z][a-z0-9_]{0,31}"
#: A 6-digit county or 12-digit village administrative division code (GB/T 2260 and up).
REGION = r"[0-9]{6}([0-9]{6})?"


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
class Applicant:
    id_type: str  # resident_id, e_id, social_security_card, passport ...
    id_number: str
    name: str
    phone: str | None = None

    def to_json(self) -> f.JsonObj:
        return dc.asdict(self)

    @classmethod
    def from_json(cls, d: f.JsonObj, path: str = "applicant") -> Applicant:
        return cls(
            id_type=f.req_str(d, "id_type", path, pattern=ID_TYPE),
            id_number=f.req_str(d, "id_number", path, max_len=40, pattern=r"[0-9A-Za-z]+"),
            name=f.req_str(d, "name", path, max_len=100),
            phone=f.opt_str(d, "phone", path, max_len=20, pattern=r"\+?[0-9 -]{3,20}"),
        )


@dc.dataclass(frozen=True)
class Agent:
    """A member of staff: the 帮办员/代办员 on an assisted application, or rated staff."""

    id: str
    name: str

    def to_json(self) -> f.JsonObj:
        return dc.asdict(self)

    @classmethod
    def from_json(cls, d: f.JsonObj, path: str = "agent") -> Agent:
        return cls(f.req_str(d, "id", path, max_len=64), f.req_str(d, "name", path, max_len=100))


@dc.dataclass(frozen=True)
class MaterialRef:
    """One entry of an application's materials manifest: what will be uploaded."""

    material_code: str
    filename: str
    content_type: str
    size: int
    sha256: str

    def to_json(self) -> f.JsonObj:
        return dc.asdict(self)

    @classmethod
    def from_json(cls, d: f.JsonObj, path: str) -> MaterialRef:
        return cls(
            material_code=f.req_str(d, "material_code", path, pattern=CODE),
            filename=f.req_str(d, "filename", path, max_len=255),
            content_type=f.req_str(d, "content_type", path, max_len=100),
            size=f.req_int(d, "size", path, lo=0, hi=MAX_ATTACHMENT_BYTES),
            sha256=f.req_str(d, "sha256", path, pattern=SHA256_HEX),
        )


MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024
HANDLING_MODES = ("instant", "promised", "appointment", "deferred", "self_service")
#: ``application``: a new case; ``correction``: the materials a returned case (退回补正)
#: asked for, sent to that same case, from any kiosk.
APPLICATION_KINDS = ("application", "correction")


@dc.dataclass(frozen=True)
class Application:
    """An application (办件申请) as the kiosk sends it."""

    matter_code: str
    matter_name: str
    department: str
    applicant: Applicant
    answers: dict[str, str]
    channel: str
    station_id: str
    region_code: str
    materials: list[MaterialRef]
    case_no: str | None = None
    agent: Agent | None = None
    mode: str = "promised"
    client_ref: str | None = None  # the kiosk's provisional number, for reconciliation
    promised_days: int | None = None
    kind: str = "application"
    payment_id: str | None = None  # a paid platform payment, for a fee-bearing matter

    def to_json(self) -> f.JsonObj:
        d = dc.asdict(self)
        if d["kind"] == "application":  # the default stays off the wire: older bodies
            del d["kind"]  # (and their idempotency fingerprints) are unchanged
        return {k: v for k, v in d.items() if v is not None}

    @classmethod
    def from_json(cls, d: f.JsonObj) -> Application:
        d = f.obj(d)
        agent = f.opt_obj(d, "agent")
        app = cls(
            matter_code=f.req_str(d, "matter_code", pattern=CODE),
            matter_name=f.req_str(d, "matter_name"),
            department=f.req_str(d, "department"),
            applicant=Applicant.from_json(f.req_obj(d, "applicant")),
            answers=f.str_map(d, "answers"),
            channel=f.req_str(d, "channel", choices=tuple(Channel)),
            station_id=f.req_str(d, "station_id", pattern=CODE),
            region_code=f.req_str(d, "region_code", pattern=REGION),
            materials=[
                MaterialRef.from_json(m, f"materials[{i}]")
                for i, m in enumerate(f.obj_list(d, "materials", max_items=50))
            ],
            case_no=f.opt_str(d, "case_no", pattern=CODE),
            agent=None if agent is None else Agent.from_json(agent),
            mode=f.opt_str(d, "mode", choices=HANDLING_MODES) or "promised",
            client_ref=f.opt_str(d, "client_ref", max_len=64),
            promised_days=f.opt_int(d, "promised_days", lo=0, hi=365),
            kind=f.opt_str(d, "kind", choices=APPLICATION_KINDS) or "application",
            payment_id=f.opt_str(d, "payment_id", pattern=CODE),
        )
        if app.kind == "correction" and app.case_no is None:
            raise f.FieldError("case_no", "a correction names the case it corrects")
        return app


@dc.dataclass(frozen=True)
class IssuedNumber:
    """A case number (办件编号) the platform issued for a receipt, and the promised date
    (ISO) the case will show when the request named the matter's promised days."""

    case_no: str
    promised_date: str | None = None

    @classmethod
    def from_json(cls, d: f.JsonObj) -> IssuedNumber:
        d = f.obj(d)
        promised = f.opt_str(d, "promised_date", pattern=r"\d{4}-\d{2}-\d{2}")
        return cls(f.req_str(d, "case_no", pattern=r"[A-Za-z0-9._:-]{1,64}"), promised)


@dc.dataclass(frozen=True)
class Receipt:
    """The platform's answer to an application: the case is on record."""

    case_no: str
    status: str
    received_at: str
    awaiting_uploads: int

    @classmethod
    def from_json(cls, d: f.JsonObj) -> Receipt:
        d = f.obj(d)
        return cls(
            case_no=f.req_str(d, "case_no", pattern=CODE),
            status=f.req_str(d, "status", choices=tuple(CaseState)),
            received_at=f.req_str(d, "received_at"),
            awaiting_uploads=f.req_int(d, "awaiting_uploads"),
        )


@dc.dataclass(frozen=True)
class UploadInfo:
    """Where a resumable attachment upload stands."""

    upload_id: str
    offset: int
    length: int
    complete: bool

    @classmethod
    def from_json(cls, d: f.JsonObj) -> UploadInfo:
        d = f.obj(d)
        return cls(
            upload_id=f.req_str(d, "upload_id", pattern=CODE),
            offset=f.req_int(d, "offset"),
            length=f.req_int(d, "length"),
            complete=f.req_bool(d, "complete"),
        )


@dc.dataclass(frozen=True)
class TimelineEvent:
    at: str
    state: str
    note: str = ""

    @classmethod
    def from_json(cls, d: f.JsonObj, path: str) -> TimelineEvent:
        return cls(
            at=f.req_str(d, "at", path),
            state=f.req_str(d, "state", path, choices=tuple(CaseState)),
            note=f.opt_str(d, "note", path, max_len=500) or "",
        )


@dc.dataclass(frozen=True)
class CaseStatus:
    """Status and timeline of a case (办件进度)."""

    case_no: str
    matter_code: str
    status: str
    timeline: list[TimelineEvent]
    promised_date: str | None
    missing_materials: list[str]
    awaiting_uploads: int

    @classmethod
    def from_json(cls, d: f.JsonObj) -> CaseStatus:
        d = f.obj(d)
        return cls(
            case_no=f.req_str(d, "case_no", pattern=CODE),
            matter_code=f.req_str(d, "matter_code", pattern=CODE),
            status=f.req_str(d, "status", choices=tuple(CaseState)),
            timeline=[
                TimelineEvent.from_json(e, f"timeline[{i}]")
                for i, e in enumerate(f.obj_list(d, "timeline"))
            ],
            promised_date=f.opt_str(d, "promised_date"),
            missing_materials=f.str_list(d, "missing_materials"),
            awaiting_uploads=f.req_int(d, "awaiting_uploads"),
        )


def to_json(value: Any) -> f.JsonObj:
    """Any of these dataclasses as a wire object, ``None`` fields left out."""
    return {k: v for k, v in dc.asdict(value).items() if v is not None}
