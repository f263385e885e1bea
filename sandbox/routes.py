"""The sandbox's route table: one line per operation of kiosk/upstream/openapi.yaml.

A test compares these templates with the OpenAPI file's paths, so the document and the
implementation cannot drift apart.
"""

from __future__ import annotations

import dataclasses as dc
import re
from collections.abc import Callable

from sandbox import cases, faces, lookups, services, supervision, uploads
from sandbox.context import Ctx
from sandbox.wire import Request, Response, json_response

Handler = Callable[[Request, Ctx], Response]
SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def health(req: Request, ctx: Ctx) -> Response:
    return json_response(200, {"status": "ok"})


@dc.dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Handler
    auth: bool = True
    key: str = "none"  # Idempotency-Key: none | optional | required
    replay: bool = True  # False: the handler is idempotent itself and answers fresh state


_UPLOAD = "/v1/applications/{case_no}/attachments/{upload_id}"

ROUTES = (
    Route("GET", "/v1/health", health, auth=False),
    Route("POST", "/v1/case-numbers", cases.issue_case_number, key="required"),
    Route("POST", "/v1/applications", cases.submit_application, key="required"),
    Route(
        "POST",
        "/v1/applications/{case_no}/attachments",
        uploads.create,
        key="optional",
        replay=False,
    ),
    Route("HEAD", _UPLOAD, uploads.head),
    Route("GET", _UPLOAD, uploads.get),
    Route("PATCH", _UPLOAD, uploads.patch),
    Route("POST", "/v1/cases/search", lookups.search),
    Route("GET", "/v1/cases/{case_no}", cases.get_case),
    Route("GET", "/v1/cases/{case_no}/certificate", cases.certificate),
    Route("POST", "/v1/ratings", services.rate, key="optional"),
    Route("GET", "/v1/appointments/slots", services.slots),
    Route("POST", "/v1/appointments", services.book, key="optional"),
    Route("POST", "/v1/appointments/search", lookups.search_appointments),
    Route("GET", "/v1/appointments/{appointment_id}", lookups.get_appointment),
    Route("DELETE", "/v1/appointments/{appointment_id}", services.cancel),
    Route("POST", "/v1/payments", lookups.create_payment, key="required"),
    Route("GET", "/v1/payments/{payment_id}", lookups.get_payment),
    Route("POST", "/v1/complaints", services.complain, key="optional"),
    Route("POST", "/v1/face-verifications", faces.verify, key="optional"),
    Route("POST", "/v1/certifications", faces.certify, key="optional"),
    Route("GET", "/v1/supervision/cases", supervision.cases),
)


def by_template() -> dict[str, dict[str, Route]]:
    """The operations grouped by path: {template: {method: route}}, in table order."""
    grouped: dict[str, dict[str, Route]] = {}
    for route in ROUTES:
        grouped.setdefault(route.template, {})[route.method] = route
    return grouped


def good_params(params: dict[str, str]) -> bool:
    """Path parameters must look like identifiers, so nothing path-like reaches a handler."""
    return all(SEGMENT.fullmatch(v) for v in params.values())
