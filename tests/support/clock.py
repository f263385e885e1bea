"""A clock the test moves: timeouts, backoffs and idle warnings without waiting."""

from __future__ import annotations


class FakeClock:
    """Reads like ``time.monotonic`` (or ``time.time``); ``now`` is what it says."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
