"""The fleet server's exception tree: every refusal has a stable ``code``.

Services raise these; the HTTP layer turns one into an ``application/problem+json``
answer with the class's status, the console into a message on the page, the CLI into a
line on stderr. The codes are listed in openapi.yaml.
"""

from __future__ import annotations


class FleetError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, detail: str = "", *, code: str | None = None, field: str = "") -> None:
        super().__init__(detail or code or self.code)
        if code is not None:
            self.code = code
        self.detail = detail or self.code.replace("_", " ")
        self.field = field
        self.headers: dict[str, str] = {}


class Invalid(FleetError):
    status = 422
    code = "invalid_field"


class Unauthorized(FleetError):
    """Who you are could not be established (no session, bad signature, stale request)."""

    status = 401
    code = "auth_required"


class Forbidden(FleetError):
    """Known, but not allowed: wrong role, outside your region, revoked or pending device."""

    status = 403
    code = "forbidden"


class NotFound(FleetError):
    status = 404
    code = "not_found"


class Conflict(FleetError):
    status = 409
    code = "conflict"


class TooMany(FleetError):
    status = 429
    code = "too_many_requests"

    def __init__(self, retry_after: int, detail: str = "") -> None:
        super().__init__(detail or "busy: retry later")
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


class UnsupportedMedia(FleetError):
    status = 415
    code = "unsupported_media_type"


class BodyRefused(FleetError):
    """A body the server will not read: its connection closes after the answer."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail, code=code)
        self.status = status
        self.headers["Connection"] = "close"


class Unavailable(FleetError):
    status = 503
    code = "database_busy"

    def __init__(self, detail: str = "", retry_after: int = 5) -> None:
        super().__init__(detail or "the database is busy: retry later")
        self.headers = {"Retry-After": str(retry_after)}


class ServerFailed(FleetError):
    """Anything unexpected: logged with its traceback, answered 500 without it."""

    status = 500
    code = "internal_error"
