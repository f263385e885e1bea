"""How an effect's failure reaches its flow: the message key from kiosk/errors.describe
(the one place errors become keys), the platform's problem code, and whether trying
again can help (only when the platform was not there)."""

from __future__ import annotations

from kiosk.errors import describe
from kiosk.flows.intents import Failed
from kiosk.upstream.errors import AuthError, PlatformError, PlatformUnavailable


def failed(exc: BaseException) -> Failed:
    """The intent that tells a flow an effect failed."""
    code = exc.code if isinstance(exc, PlatformError) else ""
    retry = isinstance(exc, (PlatformUnavailable, AuthError))
    return Failed(describe(exc).key, retry=retry, code=code)
