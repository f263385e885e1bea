"""Case look-ups, certificates and payments on the wire (kiosk/upstream/openapi.yaml).

``CaseSummary`` is what a list of cases shows (办件查询 by ID card, a station's cases):
no more personal data than a list needs, the applicant masked by the platform.
``Certificate`` is a completed 即时办 case's certificate as labelled fields, for the
screen and the receipt printer (the PDF stays for A4 printing); each field says what
kind of value it holds, so the kiosk masks names and numbers before showing them.
``Payment`` is a platform-issued payment order (缴费) with the QR code a phone pays.
``SupervisionPage`` is a page of a station's or a region's cases for electronic
supervision (电子监察): state, promised date, when completed, the latest rating (without
its comment), and nothing of the applicant.
"""

from __future__ import annotations

import dataclasses as dc

from kiosk.upstream import fields as f
from kiosk.upstream.models import CODE, HANDLING_MODES, REGION, CaseState, Channel

FIELD_KINDS = ("text", "name", "id_number", "phone", "date", "money")
PAYMENT_STATES = ("pending", "paid", "expired")


@dc.dataclass(frozen=True)
class CaseSummary:
    case_no: str
    matter_code: str
    matter_name: str
    status: str
    received_at: str
    promised_date: str | None
    missing_materials: list[str]
    applicant_masked: str

    @classmethod
    def from_json(cls, d: f.JsonObj, path: str = "case") -> CaseSummary:
        d = f.obj(d, path)
        return cls(
            case_no=f.req_str(d, "case_no", path, pattern=CODE),
            matter_code=f.req_str(d, "matter_code", path, pattern=CODE),
            matter_name=f.req_str(d, "matter_name", path),
            status=f.req_str(d, "status", path, choices=tuple(CaseState)),
            received_at=f.req_str(d, "received_at", path),
            promised_date=f.opt_str(d, "promised_date", path),
            missing_materials=f.str_list(d, "missing_materials", path),
            applicant_masked=f.req_str(d, "applicant_masked", path, max_len=64),
        )


@dc.dataclass(frozen=True)
class CertificateField:
    label: str
    value: str = dc.field(repr=False)
    kind: str = "text"  # text | name | id_number | phone | date | money


@dc.dataclass(frozen=True)
class Certificate:
    """A certificate's content. ``verify_code`` lets anyone check it on the portal."""

    case_no: str
    title: str
    issuer: str
    issued_at: str
    verify_code: str
    fields: list[CertificateField]

    @classmethod
    def from_json(cls, d: f.JsonObj) -> Certificate:
        d = f.obj(d)
        items = f.obj_list(d, "fields", max_items=40)
        return cls(
            case_no=f.req_str(d, "case_no", pattern=CODE),
            title=f.req_str(d, "title"),
            issuer=f.req_str(d, "issuer"),
            issued_at=f.req_str(d, "issued_at"),
            verify_code=f.req_str(d, "verify_code", pattern=CODE),
            fields=[
                CertificateField(
                    label=f.req_str(x, "label", f"fields[{i}]", max_len=100),
                    value=f.req_str(x, "value", f"fields[{i}]", max_len=500),
                    kind=f.opt_str(x, "kind", f"fields[{i}]", choices=FIELD_KINDS) or "text",
                )
                for i, x in enumerate(items)
            ],
        )


@dc.dataclass(frozen=True)
class PaymentRequest:
    matter_code: str
    amount_fen: int
    station_id: str
    case_ref: str | None = None  # the kiosk's reference for this payment, when it has one

    @classmethod
    def from_json(cls, d: f.JsonObj) -> PaymentRequest:
        d = f.obj(d)
        return cls(
            matter_code=f.req_str(d, "matter_code", pattern=CODE),
            amount_fen=f.req_int(d, "amount_fen", lo=1, hi=100_000_000),
            station_id=f.req_str(d, "station_id", pattern=CODE),
            case_ref=f.opt_str(d, "case_ref", max_len=64),
        )


@dc.dataclass(frozen=True)
class Payment:
    """A payment order: show ``qr`` for a phone to pay; poll until ``status`` is paid."""

    payment_id: str
    amount_fen: int
    status: str
    qr: str
    expires_at: str

    @property
    def paid(self) -> bool:
        return self.status == "paid"

    @classmethod
    def from_json(cls, d: f.JsonObj) -> Payment:
        d = f.obj(d)
        return cls(
            payment_id=f.req_str(d, "payment_id", pattern=CODE),
            amount_fen=f.req_int(d, "amount_fen", lo=1, hi=100_000_000),
            status=f.req_str(d, "status", choices=PAYMENT_STATES),
            qr=f.req_str(d, "qr", max_len=500),
            expires_at=f.req_str(d, "expires_at"),
        )


REGION_PREFIX = r"[0-9]{2}([0-9]{2}){0,2}|[0-9]{6}([0-9]{6})?"  # province … village
CURSOR = r"[A-Za-z0-9_-]{1,64}"
PAGE_MAX = 200


@dc.dataclass(frozen=True)
class CaseRating:
    """The latest rating of a case; its comment stays on the platform."""

    rating_id: str
    level: int
    rated_at: str
    reasons: list[str]

    @classmethod
    def from_json(cls, d: f.JsonObj, path: str = "rating") -> CaseRating:
        d = f.obj(d, path)
        return cls(
            rating_id=f.req_str(d, "rating_id", path, pattern=CODE),
            level=f.req_int(d, "level", path, lo=1, hi=5),
            rated_at=f.req_str(d, "rated_at", path),
            reasons=f.str_list(d, "reasons", path, max_items=10, max_len=100),
        )


@dc.dataclass(frozen=True)
class SupervisedCase:
    case_no: str
    matter_code: str
    matter_name: str
    department: str
    station_id: str
    region_code: str
    channel: str
    mode: str
    status: str
    received_at: str
    promised_date: str | None
    completed_at: str | None
    rating: CaseRating | None

    @classmethod
    def from_json(cls, d: f.JsonObj, path: str = "case") -> SupervisedCase:
        d = f.obj(d, path)
        rating = d.get("rating")
        return cls(
            case_no=f.req_str(d, "case_no", path, pattern=CODE),
            matter_code=f.req_str(d, "matter_code", path, pattern=CODE),
            matter_name=f.req_str(d, "matter_name", path),
            department=f.req_str(d, "department", path),
            station_id=f.req_str(d, "station_id", path, pattern=CODE),
            region_code=f.req_str(d, "region_code", path, pattern=REGION),
            channel=f.req_str(d, "channel", path, choices=tuple(Channel)),
            mode=f.req_str(d, "mode", path, choices=HANDLING_MODES),
            status=f.req_str(d, "status", path, choices=tuple(CaseState)),
            received_at=f.req_str(d, "received_at", path),
            promised_date=f.opt_str(d, "promised_date", path, pattern=r"\d{4}-\d{2}-\d{2}"),
            completed_at=f.opt_str(d, "completed_at", path),
            rating=None if rating is None else CaseRating.from_json(rating, f"{path}.rating"),
        )


@dc.dataclass(frozen=True)
class SupervisionPage:
    """One page; ``next_cursor`` asks for the next one (None: this was the last)."""

    cases: list[SupervisedCase]
    next_cursor: str | None

    @classmethod
    def from_json(cls, d: f.JsonObj) -> SupervisionPage:
        d = f.obj(d)
        items = f.obj_list(d, "cases", max_items=PAGE_MAX)
        return cls(
            cases=[SupervisedCase.from_json(c, f"cases[{i}]") for i, c in enumerate(items)],
            next_cursor=f.opt_str(d, "next_cursor", pattern=CURSOR),
        )
