"""The platform API fixtures (tests/support/platform.py)."""

from tests.support.platform import client, clock, make_app, proxy, sandbox, sleeps, token  # noqa: F401
