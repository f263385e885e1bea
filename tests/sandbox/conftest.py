"""The platform API fixtures (tests/support/platform.py)."""

from tests.support.platform import (  # noqa: F401  (fixtures)
    DEVICE,
    START,
    client,
    clock,
    make_app,
    sandbox,
    sleeps,
    token,
)
