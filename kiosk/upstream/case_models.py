"""Case look-ups, certificates and payments on the wire (kiosk/upstream/openapi.yaml).

``CaseSummary`` is what a list of cases shows (办件查询 by ID card, a station's cases):
no more personal data than a list needs, the applicant masked by the platform.
``Certificate`` is a completed 即时办 case's certificate as labelled fields, for the
screen and the receipt printer (the PDF stays for A4 printing); each field says what
kind of value it holds, so the kiosk masks names and numbers before showing them.
``Payment`` is a platform-issued payment order (缴费) with the QR code a phone pays.
"""

from __future__ import annotations

import dataclasses as dc

from kiosk.upstream import fields as f
from kiosk.upstream.models import CODE, CaseState

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
