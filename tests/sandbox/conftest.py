"""The platform API fixtures (tests/support/platform.py)."""

from tests.support.platform import client, clock, make_app, sandbox, sleeps, token  # noqa: F401
