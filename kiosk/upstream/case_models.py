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
from typing import Annotated

from msgspec import Meta

from kiosk.upstream import fields as f
from kiosk.upstream.models import HANDLING_MODES, CaseStateName, IdNumber, IdType, OptDate, Region

FIELD_KINDS = ("text", "name", "id_number", "phone", "date", "money")
PAYMENT_STATES = ("pending", "paid", "expired")
Fen = Annotated[int, Meta(ge=1, le=100_000_000)]


@dc.dataclass(frozen=True)
class CaseSummary(f.Wire):
    json_path = "case"

    case_no: f.Code
    matter_code: f.Code
    matter_name: f.Text
    status: CaseStateName
    received_at: f.Text
    promised_date: f.OptText
    missing_materials: f.TextList
    applicant_masked: f.Text64


@dc.dataclass(frozen=True)
class CertificateField(f.Wire):
    label: f.Text100
    value: f.Text500 = dc.field(repr=False)
    kind: Annotated[str, Meta(pattern=f.one_of(FIELD_KINDS, optional=True))] = "text"


@dc.dataclass(frozen=True)
class Certificate(f.Wire):
    """A certificate's content. ``verify_code`` lets anyone check it on the portal."""

    case_no: f.Code
    title: f.Text
    issuer: f.Text
    issued_at: f.Text
    verify_code: f.Code
    fields: Annotated[list[CertificateField], Meta(max_length=40)]


@dc.dataclass(frozen=True)
class PaymentRequest(f.Wire):
    matter_code: f.Code
    amount_fen: Fen
    station_id: f.Code
    case_ref: f.OptText64 = None  # the kiosk's reference for this payment, when it has one


@dc.dataclass(frozen=True)
class Payment(f.Wire):
    """A payment order: show ``qr`` for a phone to pay; poll until ``status`` is paid."""

    payment_id: f.Code
    amount_fen: Fen
    status: Annotated[str, Meta(pattern=f.one_of(PAYMENT_STATES))]
    qr: f.Text500
    expires_at: f.Text

    @property
    def paid(self) -> bool:
        return self.status == "paid"


@dc.dataclass(frozen=True)
class CaseSearch(f.Wire):
    """POST /v1/cases/search: one applicant's cases, or one station's (exactly one)."""

    applicant: ApplicantKey | None = None
    station_id: f.OptCode = None

    def check(self) -> None:
        """What the field types cannot say (run when read off the wire)."""
        if (self.applicant is None) == (self.station_id is None):
            raise f.FieldError("body", "give exactly one of applicant and station_id")


@dc.dataclass(frozen=True)
class ApplicantKey(f.Wire):
    """An applicant as a search names them: the kind and number of their ID."""

    id_type: IdType
    id_number: IdNumber


@dc.dataclass(frozen=True)
class ApplicantSearch(f.Wire):
    applicant: ApplicantKey


@dc.dataclass(frozen=True)
class CaseList(f.Wire):
    cases: Annotated[list[CaseSummary], Meta(max_length=500)]


REGION_PREFIX = r"[0-9]{2}([0-9]{2}){0,2}|[0-9]{6}([0-9]{6})?"  # province … village
CURSOR = r"[A-Za-z0-9_-]{1,64}"
PAGE_MAX = 200
_PREFIX_WORDS = "must be a division code or its prefix"
OptRegionPrefix = (
    Annotated[str, Meta(pattern=f.pattern(REGION_PREFIX, _PREFIX_WORDS, optional=True))] | None
)
OptCursor = Annotated[str, Meta(pattern=f.pattern(CURSOR, "is not a cursor", optional=True))] | None


@dc.dataclass(frozen=True)
class CaseRating(f.Wire):
    """The latest rating of a case; its comment stays on the platform."""

    json_path = "rating"

    rating_id: f.Code
    level: Annotated[int, Meta(ge=1, le=5)]
    rated_at: f.Text
    reasons: Annotated[list[f.Text100], Meta(max_length=10)] = dc.field(default_factory=list)


@dc.dataclass(frozen=True)
class SupervisedCase(f.Wire):
    json_path = "case"

    case_no: f.Code
    matter_code: f.Code
    matter_name: f.Text
    department: f.Text
    station_id: f.Code
    region_code: Region
    channel: Annotated[str, Meta(pattern=f.one_of(["kiosk", "assisted"]))]
    mode: Annotated[str, Meta(pattern=f.one_of(HANDLING_MODES))]
    status: CaseStateName
    received_at: f.Text
    promised_date: OptDate = None
    completed_at: f.OptText = None
    rating: CaseRating | None = None


@dc.dataclass(frozen=True)
class SupervisionPage(f.Wire):
    """One page; ``next_cursor`` asks for the next one (None: this was the last)."""

    cases: Annotated[list[SupervisedCase], Meta(max_length=PAGE_MAX)]
    next_cursor: OptCursor = None


@dc.dataclass(frozen=True)
class SupervisionQuery(f.Wire):
    """GET /v1/supervision/cases's query: one station's cases or one region's."""

    station_id: f.OptCode = None
    region_code: OptRegionPrefix = None
    received_from: OptDate = None
    received_to: OptDate = None
    cursor: OptCursor = None

    def check(self) -> None:
        if (self.station_id is None) == (self.region_code is None):
            raise f.FieldError("station_id", "give exactly one of station_id and region_code")
