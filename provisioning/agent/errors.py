"""The agent's exception tree, each with a stable ``code`` for logs, JSON and heartbeats."""

from __future__ import annotations


class AgentError(Exception):
    code = "agent_error"

    def __init__(self, detail: str = "", *, code: str | None = None) -> None:
        super().__init__(detail or code or self.code)
        if code is not None:
            self.code = code
        self.detail = detail or self.code


class NotEnrolled(AgentError):
    code = "not_enrolled"


class Unreachable(AgentError):
    """The server could not be reached (network away, DNS, timeout): keep going offline."""

    code = "unreachable"


class Refused(AgentError):
    """The server answered with a problem document; ``code`` is its code."""

    def __init__(
        self, status: int, code: str, detail: str, retry_after: float = 0.0, server_time: int = 0
    ) -> None:
        super().__init__(detail, code=code)
        self.status = status
        self.retry_after = retry_after
        self.server_time = server_time  # sent with stale_timestamp


class BundleRefused(AgentError):
    """A bundle that must not be applied: bad signature, expired, rolled back, invalid."""

    code = "bundle_refused"
