"""The client's calls for the face check and 资格认证: a live capture verified against
the photo on record, and the certification put on record.

A mixin of :class:`kiosk.upstream.client.HttpPlatformClient`. The capture travels in
the body of one POST over the authenticated channel and nowhere else: never in a URL,
never retried into a log. The same Idempotency-Key gives the same answer.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import requests

from kiosk.upstream.models import Applicant, to_json
from kiosk.upstream.service_models import (
    Certification,
    CertificationRequest,
    FaceVerification,
    FaceVerificationRequest,
    Liveness,
)


class FaceCalls:
    """Needs the host class's ``_call`` and ``_parse`` (HttpPlatformClient)."""

    _call: Callable[..., requests.Response]
    _parse: Callable[..., Any]

    def verify_face(
        self,
        applicant: Applicant,
        jpeg: bytes,
        liveness: Liveness,
        *,
        matter_code: str,
        station_id: str,
        idem_key: str | None = None,
    ) -> FaceVerification:
        """Is the face in ``jpeg`` the applicant's on record? The platform compares and
        answers; it keeps nothing of the image."""
        req = FaceVerificationRequest(
            applicant=applicant,
            matter_code=matter_code,
            station_id=station_id,
            liveness=liveness,
            image=base64.b64encode(jpeg).decode("ascii"),
        )
        resp = self._call("POST", "/v1/face-verifications", body=to_json(req), idem_key=idem_key)
        result: FaceVerification = self._parse(FaceVerification.from_json, resp)
        return result

    def certify(self, req: CertificationRequest, idem_key: str | None = None) -> Certification:
        """Put a 资格认证 on record; the answer says until when it is valid."""
        resp = self._call("POST", "/v1/certifications", body=to_json(req), idem_key=idem_key)
        result: Certification = self._parse(Certification.from_json, resp)
        return result
