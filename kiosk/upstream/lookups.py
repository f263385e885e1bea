"""The client's calls for case look-ups, certificates, payments and appointment lookups.

A mixin of :class:`kiosk.upstream.client.HttpPlatformClient`, kept apart so the client
module stays about transport and the core application calls. The same rules hold here:
answers are read strictly, and a search by applicant sends the ID number in a POST body,
never in a URL (URLs end up in proxy and server logs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

import requests

from kiosk.upstream import fields
from kiosk.upstream.case_models import (
    CaseList,
    CaseSummary,
    Certificate,
    Payment,
    PaymentRequest,
)
from kiosk.upstream.models import Applicant, to_json
from kiosk.upstream.service_models import Appointment, AppointmentList

T = TypeVar("T")


class LookupCalls:
    """Needs the host class's ``_call`` and ``_parse`` (HttpPlatformClient)."""

    _call: Callable[..., requests.Response]
    _parse: Callable[..., Any]

    def search_cases(
        self, *, applicant: Applicant | None = None, station_id: str | None = None
    ) -> list[CaseSummary]:
        """The cases of one applicant (办件查询 by ID card) or of one station (the
        agent's list). Exactly one of the two must be given."""
        if (applicant is None) == (station_id is None):
            raise ValueError("search by applicant or by station, not both or neither")
        body: dict[str, Any] = (
            {"applicant": {"id_type": applicant.id_type, "id_number": applicant.id_number}}
            if applicant is not None
            else {"station_id": station_id}
        )
        resp = self._call("POST", "/v1/cases/search", body=body)
        result: list[CaseSummary] = self._parse(_summaries, resp)
        return result

    def certificate_content(self, case_no: str) -> Certificate:
        """A completed 即时办 case's certificate as labelled fields (screen, receipt)."""
        resp = self._call(
            "GET", f"/v1/cases/{_q(case_no)}/certificate", headers={"Accept": "application/json"}
        )
        result: Certificate = self._parse(Certificate.from_json, resp)
        return result

    def create_payment(self, req: PaymentRequest, idem_key: str) -> Payment:
        """A payment order for a fee-bearing matter; the same key gives the same order."""
        resp = self._call("POST", "/v1/payments", body=to_json(req), idem_key=idem_key)
        result: Payment = self._parse(Payment.from_json, resp)
        return result

    def payment_status(self, payment_id: str) -> Payment:
        resp = self._call("GET", f"/v1/payments/{_q(payment_id)}")
        result: Payment = self._parse(Payment.from_json, resp)
        return result

    def search_appointments(self, applicant: Applicant) -> list[Appointment]:
        """The applicant's appointments still booked and not yet begun, earliest first."""
        body = {"applicant": {"id_type": applicant.id_type, "id_number": applicant.id_number}}
        resp = self._call("POST", "/v1/appointments/search", body=body)
        result: list[Appointment] = self._parse(_appointments, resp)
        return result

    def get_appointment(self, appointment_id: str) -> Appointment:
        resp = self._call("GET", f"/v1/appointments/{_q(appointment_id)}")
        result: Appointment = self._parse(Appointment.from_json, resp)
        return result


def _appointments(d: fields.JsonObj) -> list[Appointment]:
    return AppointmentList.from_json(d).appointments


def _summaries(d: fields.JsonObj) -> list[CaseSummary]:
    return CaseList.from_json(d).cases


def _q(segment: str) -> str:
    return quote(segment, safe="")
