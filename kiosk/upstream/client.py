"""The reference platform client over HTTP (the interface is in interface.py).

``HttpPlatformClient`` speaks kiosk/upstream/openapi.yaml over ``requests``. Every call
has a timeout; retryable failures (network, timeout, 5xx, 429) are retried a few times
with capped exponential backoff and full jitter, honouring ``Retry-After``; anything
else becomes a typed error from kiosk.upstream.errors at once. Mutating calls always
carry an ``Idempotency-Key``, so a retry can never create a second effect.

A rejection is only trusted when it comes in the platform's own ``problem+json`` form:
a village captive portal or proxy answering 200/403/404 with an HTML page is treated as
*unavailable*, never as the platform refusing a citizen's application.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import random
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

import requests

from kiosk.upstream import fields
from kiosk.upstream.access import AccessTokens
from kiosk.upstream.auth import DeviceTokenAuth
from kiosk.upstream.case_models import SupervisionPage
from kiosk.upstream.errors import (
    PlatformError,
    PlatformRejected,
    PlatformUnavailable,
    from_http,
)
from kiosk.upstream.face_calls import FaceCalls
from kiosk.upstream.interface import PlatformClient
from kiosk.upstream.lookups import LookupCalls
from kiosk.upstream.models import (
    Application,
    CaseStatus,
    IssuedNumber,
    MaterialRef,
    Receipt,
    UploadInfo,
    to_json,
)
from kiosk.upstream.retry import Backoff, parse_retry_after
from kiosk.upstream.service_models import (
    Appointment,
    AppointmentRequest,
    Complaint,
    Filed,
    Rating,
    Slot,
    SlotList,
)

log = logging.getLogger(__name__)

__all__ = ["CHUNK_SIZE", "HttpPlatformClient", "PlatformClient"]

CHUNK_SIZE = 256 * 1024
OFFSET_TYPE = "application/offset+octet-stream"
T = TypeVar("T")


class HttpPlatformClient(LookupCalls, FaceCalls):
    """The reference client over HTTP (look-ups, payments: kiosk/upstream/lookups.py).
    ``sleep``, ``clock`` and ``rand`` are injectable so tests check the backoff without
    waiting."""

    def __init__(
        self,
        base_url: str,
        device_id: str,
        token: str,
        *,
        session: requests.Session | None = None,
        timeout: float = 10,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        max_retry_after: float = 30.0,
        auth: requests.auth.AuthBase | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.device_id = device_id
        self.timeout = timeout
        self.backoff = backoff or Backoff()
        self._session = session or requests.Session()
        self._owns_session = session is None
        self._auth = auth or DeviceTokenAuth(device_id, token)
        self._clock, self._sleep, self._rand = clock, sleep, rand
        self._max_retry_after = max_retry_after
        self.access = AccessTokens()  # for cases and appointments filed elsewhere

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    # -- cases and applications -------------------------------------------------------

    def issue_case(
        self,
        idem_key: str,
        matter_code: str,
        *,
        region_code: str | None = None,
        promised_days: int | None = None,
        timeout: float | None = None,
        attempts: int | None = None,
    ) -> IssuedNumber:
        """A case number and, given the matter's ``promised_days``, the platform's
        promised date for it (the authority a receipt prints)."""
        body: dict[str, Any] = {"matter_code": matter_code}
        if region_code:
            body["region_code"] = region_code
        if promised_days is not None:
            body["promised_days"] = promised_days
        resp = self._call(
            "POST",
            "/v1/case-numbers",
            body=body,
            idem_key=idem_key,
            timeout=timeout,
            attempts=attempts,
        )
        return self._parse(IssuedNumber.from_json, resp)

    def submit_application(self, app: Application, idem_key: str) -> Receipt:
        resp = self._call("POST", "/v1/applications", body=app.to_json(), idem_key=idem_key)
        return self._parse(Receipt.from_json, resp)

    def get_case(self, case_no: str) -> CaseStatus:
        resp = self._call("GET", f"/v1/cases/{_q(case_no)}")
        return self._parse(CaseStatus.from_json, resp)

    def certificate(self, case_no: str) -> bytes:
        """The PDF certificate of a completed 即时办 case."""
        resp = self._call(
            "GET", f"/v1/cases/{_q(case_no)}/certificate", headers={"Accept": "application/pdf"}
        )
        if not resp.headers.get("Content-Type", "").startswith("application/pdf") or not (
            resp.content.startswith(b"%PDF-")
        ):
            raise PlatformUnavailable("certificate is not a PDF", code="bad_response")
        return resp.content

    def ping(self, timeout: float = 2.0) -> bool:
        """True when the platform answers its health check."""
        try:
            self._call("GET", "/v1/health", timeout=timeout, attempts=1)
        except PlatformError:
            return False
        return True

    # -- resumable uploads --------------------------------------------------------------

    def create_upload(
        self, case_no: str, ref: MaterialRef, idem_key: str, *, index: int | None = None
    ) -> UploadInfo:
        body = ref.to_json() | ({} if index is None else {"manifest_index": index})
        resp = self._call(
            "POST", f"/v1/applications/{_q(case_no)}/attachments", body=body, idem_key=idem_key
        )
        return self._parse(UploadInfo.from_json, resp)

    def upload_status(self, case_no: str, upload_id: str) -> UploadInfo:
        resp = self._call("GET", _upload_path(case_no, upload_id))
        return self._parse(UploadInfo.from_json, resp)

    def append_chunk(self, case_no: str, upload_id: str, offset: int, chunk: bytes) -> int:
        """Append one chunk at ``offset``; returns the new acknowledged offset. Never
        retried here: after a failure the caller asks the offset (upload_status) first."""
        digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        headers = {
            "Content-Type": OFFSET_TYPE,
            "Upload-Offset": str(offset),
            "Upload-Checksum": f"sha256 {digest}",
        }
        resp = self._call(
            "PATCH", _upload_path(case_no, upload_id), data=chunk, headers=headers, attempts=1
        )
        value = resp.headers.get("Upload-Offset", "")
        if not value.isdigit() or int(value) != offset + len(chunk):
            raise PlatformUnavailable("bad Upload-Offset in answer", code="bad_response")
        return int(value)

    def upload_attachment(
        self,
        case_no: str,
        material_code: str,
        filename: str,
        content_type: str,
        data: bytes,
        chunk_size: int = CHUNK_SIZE,
        resume: bool = True,
        *,
        index: int | None = None,
        idem_key: str | None = None,
    ) -> UploadInfo:
        """Upload one attachment in bounded chunks. The upload is keyed by its content, so
        calling again after a crash continues at the platform's offset. With ``resume``
        a cut chunk is followed by an offset query and the rest, up to the backoff's
        attempts; without it the first failure is raised."""
        digest = hashlib.sha256(data).hexdigest()
        ref = MaterialRef(material_code, filename, content_type, len(data), digest)
        key = idem_key or "upl-" + _hash(f"{case_no}|{material_code}|{index}|{digest}")
        info = self.create_upload(case_no, ref, key, index=index)
        offset, failures = info.offset, 0
        while offset < len(data):
            try:
                offset = self.append_chunk(
                    case_no, info.upload_id, offset, data[offset : offset + chunk_size]
                )
            except (PlatformUnavailable, PlatformRejected) as exc:
                if exc.code not in ("offset_mismatch",) and not exc.retryable:
                    raise
                failures += 1
                if not resume or failures >= self.backoff.attempts:
                    raise
                self._sleep(self.backoff.delay(failures - 1, self._rand))
                offset = self.upload_status(case_no, info.upload_id).offset
        return UploadInfo(info.upload_id, offset, len(data), True)

    # -- ratings, appointments, complaints ----------------------------------------------

    def rate(self, rating: Rating, idem_key: str | None = None) -> str:
        """Send a 好差评 rating; returns the platform's rating id."""
        resp = self._call("POST", "/v1/ratings", body=to_json(rating), idem_key=idem_key)
        return _filed(self._parse(_reader(Filed), resp).rating_id)

    def appointment_slots(
        self, matter_code: str, station_id: str, date: str | None = None
    ) -> list[Slot]:
        params = {"matter_code": matter_code, "station_id": station_id}
        if date:
            params["date"] = date
        resp = self._call("GET", "/v1/appointments/slots", params=params)
        return self._parse(_slots, resp)

    def book_appointment(self, req: AppointmentRequest, idem_key: str | None = None) -> Appointment:
        resp = self._call("POST", "/v1/appointments", body=to_json(req), idem_key=idem_key)
        return self._parse(Appointment.from_json, resp)

    def cancel_appointment(self, appointment_id: str) -> Appointment:
        resp = self._call("DELETE", f"/v1/appointments/{_q(appointment_id)}")
        return self._parse(Appointment.from_json, resp)

    def complain(self, complaint: Complaint, idem_key: str | None = None) -> str:
        """File a complaint (投诉); returns the complaint id."""
        resp = self._call("POST", "/v1/complaints", body=to_json(complaint), idem_key=idem_key)
        return _filed(self._parse(_reader(Filed), resp).complaint_id)

    def supervision_cases(
        self,
        *,
        station_id: str | None = None,
        region_code: str | None = None,
        received_from: str | None = None,
        received_to: str | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> SupervisionPage:
        """One page of the cases filed at a station's kiosks, or in a region (the prefix
        of its division code), newest first, for 电子监察; dates are CST calendar days."""
        if (station_id is None) == (region_code is None):
            raise ValueError("supervise a station or a region, not both or neither")
        params = {"limit": str(limit)}
        for key, value in (
            ("station_id", station_id),
            ("region_code", region_code),
            ("received_from", received_from),
            ("received_to", received_to),
            ("cursor", cursor),
        ):
            if value is not None:
                params[key] = value
        resp = self._call("GET", "/v1/supervision/cases", params=params)
        return self._parse(SupervisionPage.from_json, resp)

    # -- plumbing -----------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        idem_key: str | None = None,
        timeout: float | None = None,
        attempts: int | None = None,
    ) -> requests.Response:
        """One request with retries. POSTs get an Idempotency-Key (a fresh one when the
        caller has none), so every retry is safe."""
        hdrs = dict(headers or {}) | self.access.header_for(method, path, body)
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            hdrs["Content-Type"] = "application/json"
        if method == "POST":
            hdrs["Idempotency-Key"] = idem_key or str(uuid.uuid4())
        tries = max(1, attempts or self.backoff.attempts)
        for attempt in range(tries):
            try:
                resp = self._once(method, path, data, hdrs, params, timeout)
            except PlatformUnavailable as exc:
                wait = exc.retry_after
                if attempt + 1 >= tries or (wait or 0) > self._max_retry_after:
                    raise
                if wait is None:
                    wait = self.backoff.delay(attempt, self._rand)
                log.info("platform %s %s: %s, retry in %.2fs", method, path, exc.code, wait)
                self._sleep(wait)
                continue
            if resp.headers.get("Content-Type", "").startswith("application/json"):
                with contextlib.suppress(ValueError):  # the caller reports a non-JSON body
                    self.access.learn(resp.json())
            return resp
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(
        self,
        method: str,
        path: str,
        data: bytes | None,
        headers: dict[str, str],
        params: dict[str, str] | None,
        timeout: float | None,
    ) -> requests.Response:
        try:
            resp = self._session.request(
                method,
                self.base_url + path,
                data=data,
                headers=headers,
                params=params,
                timeout=timeout or self.timeout,
                auth=self._auth,
                allow_redirects=False,
            )
        except requests.Timeout as exc:
            raise PlatformUnavailable(f"{type(exc).__name__}", code="timeout") from exc
        except requests.RequestException as exc:
            raise PlatformUnavailable(f"{type(exc).__name__}", code="network") from exc
        if resp.status_code < 300:
            return resp
        retry_after = parse_retry_after(resp.headers.get("Retry-After"), self._clock())
        ctype = resp.headers.get("Content-Type", "")
        raise from_http(resp.status_code, ctype, resp.content, retry_after)

    def _json(self, resp: requests.Response) -> dict[str, Any]:
        if not resp.headers.get("Content-Type", "").startswith("application/json"):
            raise PlatformUnavailable("answer is not JSON", code="bad_response")
        try:
            value = fields.parse_json(resp.content)
        except fields.MalformedJson as exc:
            raise PlatformUnavailable("answer is not JSON", code="bad_response") from exc
        if not isinstance(value, dict):
            raise PlatformUnavailable("answer is not an object", code="bad_response")
        return value

    def _parse(self, reader: Callable[[dict[str, Any]], T], resp: requests.Response) -> T:
        try:
            return reader(self._json(resp))
        except fields.FieldError as exc:
            raise PlatformUnavailable(f"answer field {exc.field}", code="bad_response") from exc


def _slots(d: dict[str, Any]) -> list[Slot]:
    return SlotList.from_json(d).slots


def _reader(cls: type[T]) -> Callable[[dict[str, Any]], T]:
    return lambda d: fields.convert(cls, d)


def _filed(given: str | None) -> str:
    if given is None:
        raise PlatformUnavailable("answer without its id", code="bad_response")
    return given


def _q(segment: str) -> str:
    return quote(segment, safe="")


def _upload_path(case_no: str, upload_id: str) -> str:
    return f"/v1/applications/{_q(case_no)}/attachments/{_q(upload_id)}"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]
