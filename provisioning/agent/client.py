"""Signed HTTP requests from a kiosk to the fleet server.

Every request is signed with the device key over its method, path, body hash, timestamp
and a fresh nonce. A kiosk whose clock is off (common in villages after a power cut) is
told the server's time with its ``stale_timestamp`` refusal; the client keeps that offset
and signs again once.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

import requests

from provisioning.agent.errors import Refused, Unreachable
from provisioning.agent.identity import DeviceKey
from provisioning.protocol import sign_request

log = logging.getLogger(__name__)


class FleetClient:
    def __init__(
        self,
        server_url: str,
        key: DeviceKey,
        *,
        clock: Callable[[], float] = time.time,
        nonce: Callable[[], str] = lambda: secrets.token_urlsafe(18),
        timeout: float = 15.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base = server_url.rstrip("/")
        self.key = key
        self._clock, self._nonce, self.timeout = clock, nonce, timeout
        self._session = session or requests.Session()
        self.clock_offset = 0.0

    def close(self) -> None:
        self._session.close()

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """The JSON answer; Refused for a problem answer, Unreachable for no answer."""
        try:
            return self._call(method, path, body)
        except Refused as exc:
            if exc.code != "stale_timestamp" or not exc.server_time:
                raise
            self.clock_offset = float(exc.server_time) - self._clock()
            log.warning(
                "kiosk clock off by %.0f s; signing with the server's time", self.clock_offset
            )
            return self._call(method, path, body)

    def _call(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        raw = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        stamp = int(self._clock() + self.clock_offset)
        headers = sign_request(
            self.key.private, self.key.device_id, method, path, raw, stamp, self._nonce()
        )
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            resp = self._session.request(
                method,
                self.base + path,
                data=raw if body is not None else None,
                headers=headers,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise Unreachable(f"{type(exc).__name__}: cannot reach {self.base}") from exc
        if resp.status_code >= 400:
            raise _refusal(resp)
        if resp.status_code == 204 or not resp.content:
            return None
        try:
            return resp.json()
        except ValueError as exc:
            raise Unreachable(f"answer from {self.base} is not JSON") from exc


def _refusal(resp: requests.Response) -> Refused:
    try:
        doc = resp.json()
    except ValueError:
        doc = {}
    code = str(doc.get("code") or f"http_{resp.status_code}")
    detail = str(doc.get("detail") or resp.reason)
    try:
        retry = float(resp.headers.get("Retry-After", "0"))
    except ValueError:
        retry = 0.0
    server_time = resp.headers.get("X-Fleet-Server-Time", "")
    return Refused(
        resp.status_code, code, detail, retry, int(server_time) if server_time.isdigit() else 0
    )
