"""The platform layer's exception tree.

Callers need one decision from an error: *try again later* or *stop and tell someone*.
``PlatformUnavailable`` is the only retryable branch; everything else means the platform
answered and said no. Each class carries a short stable ``code`` (the problem code from
the platform's ``application/problem+json`` answer where there is one) that the kiosk
maps to a message key in one place.
"""

from __future__ import annotations

import json
from typing import Any

PROBLEM_TYPE = "application/problem+json"
RETRYABLE_STATUS = frozenset({408, 425, 429})


class PlatformError(Exception):
    """Base of the platform layer's errors."""

    code = "platform_error"
    retryable = False

    def __init__(self, detail: str = "", *, code: str | None = None, status: int = 0) -> None:
        super().__init__(detail or code or self.code)
        if code is not None:
            self.code = code
        self.detail = detail
        self.status = status


class PlatformUnavailable(PlatformError):
    """The platform could not be reached or did not answer usefully: network down,
    timeout, 5xx, 429, or a 200 that is not the platform (a captive portal's HTML page).

    ``retry_after`` is the server's ``Retry-After`` in seconds when it sent one.
    """

    code = "unavailable"
    retryable = True

    def __init__(
        self,
        detail: str = "",
        *,
        code: str | None = None,
        status: int = 0,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(detail, code=code, status=status)
        self.retry_after = retry_after


class PlatformRejected(PlatformError):
    """The platform refused the request (4xx) with a problem code. Sending the same
    request again will be refused again."""

    code = "rejected"


class IdempotencyConflict(PlatformRejected):
    """An idempotency key was reused with a different request body or endpoint."""

    code = "idempotency_key_reused"


class AuthError(PlatformError):
    """The device's credentials were refused (401/403). Not retryable as such, but not
    the submission's fault either: the queue waits until the credentials are fixed."""

    code = "auth_invalid"


def from_http(
    status: int, content_type: str, body: bytes, retry_after: float | None
) -> PlatformError:
    """The typed error for an HTTP answer of 400 or more (or an unexpected 3xx)."""
    problem = _problem(content_type, body)
    if status >= 500 or status in RETRYABLE_STATUS:
        code = problem.get("code") if problem else None
        return PlatformUnavailable(
            f"HTTP {status}",
            code=str(code or f"http_{status}"),
            status=status,
            retry_after=retry_after,
        )
    if problem is None:  # not the platform talking: a portal, a proxy, a redirect
        return PlatformUnavailable(f"HTTP {status} without problem+json", code="bad_response")
    code, detail = str(problem.get("code", f"http_{status}")), str(problem.get("detail", ""))
    if status in (401, 403):
        return AuthError(detail, code=code, status=status)
    if code == "idempotency_in_flight":  # the first request is still running
        return PlatformUnavailable(detail, code=code, status=status, retry_after=retry_after)
    if code == "idempotency_key_reused":
        return IdempotencyConflict(detail, code=code, status=status)
    return PlatformRejected(detail, code=code, status=status)


def _problem(content_type: str, body: bytes) -> dict[str, Any] | None:
    if not content_type.startswith(PROBLEM_TYPE):
        return None
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
