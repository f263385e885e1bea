"""Keeping a reconnect storm bounded: admission control and per-device token buckets.

When every kiosk of a province comes back at once, the server admits at most
``max_inflight`` device requests at a time and answers the rest ``429`` at once, with a
``Retry-After`` drawn at random from a window. The kiosks wait that long (plus their own
jitter), so the storm spreads over the window instead of arriving again all together.
Admin and console requests are not limited: admins must be able to work during a storm.

A device's own bucket is charged only once its request is authenticated (device_service),
so nobody can spend another kiosk's allowance by sending requests under its id. What an
unauthenticated client costs is charged to its address instead (:class:`ClientLimits`):
failed device requests and enrollment attempts.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from provisioning.server.errors import TooMany


class Admission:
    def __init__(
        self,
        max_inflight: int = 32,
        retry_window: tuple[int, int] = (5, 60),
        rng: random.Random | None = None,
    ) -> None:
        self._slots = threading.BoundedSemaphore(max_inflight)
        self.retry_window = retry_window
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        self.refused = 0

    def enter(self) -> bool:
        """Take a slot without waiting; False means "answer 429"."""
        if self._slots.acquire(blocking=False):
            return True
        with self._lock:
            self.refused += 1
        return False

    def leave(self) -> None:
        self._slots.release()

    def retry_after(self) -> int:
        low, high = self.retry_window
        with self._lock:
            return self._rng.randint(low, high)


class TokenBuckets:
    """``burst`` requests at once per key, refilled at ``rate`` per second."""

    def __init__(
        self, rate: float = 0.5, burst: float = 20, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate, self.burst, self._clock = rate, burst, clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def peek(self, key: str) -> float:
        """What :meth:`take` would answer, without taking anything."""
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def take(self, key: str) -> float:
        """0 if the request may go; otherwise seconds until it could."""
        now = self._clock()
        with self._lock:
            tokens, then = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            if len(self._buckets) > 200_000:  # forget the idle ones
                self._buckets = {k: v for k, v in self._buckets.items() if v[1] > now - 3600}
            return (1 - tokens) / self.rate


def wait_s(wait: float) -> int:
    """A bucket's wait as a whole Retry-After."""
    return max(1, int(wait) + 1)


class ClientLimits:
    """Per client address: failed device requests (bad or forged signatures, unknown
    kiosks, wrong pairing codes) and enrollment attempts of any outcome. An address that
    used up either is answered 429 before anything is checked or stored."""

    def __init__(
        self, failures: TokenBuckets | None = None, enrollments: TokenBuckets | None = None
    ) -> None:
        self.failures = failures or TokenBuckets(rate=1 / 30, burst=20)
        self.enrollments = enrollments or TokenBuckets(rate=1 / 10, burst=30)

    def before(self, ip: str, enrolling: bool) -> None:
        """Refuse an address that has failed too often (TooMany), and count an enrollment."""
        wait = self.failures.peek(ip)
        if wait > 0:
            raise TooMany(wait_s(wait), "too many failed requests from this address")
        if enrolling:
            wait = self.enrollments.take(ip)
            if wait > 0:
                raise TooMany(wait_s(wait), "too many enrollment attempts from this address")

    def failed(self, ip: str) -> None:
        self.failures.take(ip)
