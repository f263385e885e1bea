"""Capped exponential backoff with full jitter, and ``Retry-After`` parsing.

Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"; research/fleet.md
§B5): ``sleep = random(0, min(cap, base * 2**attempt))``. Spreading retries uniformly
keeps a province's kiosks from hammering the platform in step after an outage. Shared
by the HTTP client (short in-call retries) and the outbox pump (long between-pass waits).
"""

from __future__ import annotations

import dataclasses as dc
import email.utils
import random
from collections.abc import Callable


@dc.dataclass(frozen=True)
class Backoff:
    """A backoff policy. ``attempts`` bounds the tries of one call (the first included)."""

    base: float = 0.5
    cap: float = 30.0
    attempts: int = 3

    def delay(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based), fully jittered."""
        ceiling = min(self.cap, self.base * (2 ** min(attempt, 62)))
        return ceiling * rand()


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (RFC 9110 §10.2.3): either
    delay-seconds or an HTTP-date. Unparseable or past values give ``None`` / ``0``."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)
