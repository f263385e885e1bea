"""One snapshot of what the kiosk can do now: devices, network paths, outbox, fleet lock.

A background thread refreshes it (device status calls and pings are blocking I/O and
never run on the UI thread); the screens, the matter checks and the out-of-service rule
only read the last snapshot. ``refresh()`` can be called directly (tests, "check now").

The kiosk cannot serve at all (:meth:`HealthSnapshot.serving`) when its admin locked it
from the fleet, when no identity device works, or when the platform is unreachable and
the outbox is full (it could not keep a new application safely). Anything less and it
serves what it can: matters that need a dead device say so (kiosk/maint/needs.py).
"""

from __future__ import annotations

import dataclasses as dc
import logging
import threading
import time
from collections.abc import Callable

from devices.status import DeviceState, DeviceStatus

log = logging.getLogger(__name__)

IDENTITY_DEVICES = ("idcard", "smartcard", "camera")
WORKING = (DeviceState.ONLINE, DeviceState.BUSY, DeviceState.STARTING)


@dc.dataclass(frozen=True)
class Link:
    """One network path: ``reachable`` None when there is nothing configured to reach."""

    reachable: bool | None
    latency_ms: float | None = None


@dc.dataclass(frozen=True)
class HealthSnapshot:
    devices: dict[str, DeviceStatus]
    platform: Link
    fleet: Link
    outbox_depth: int
    oldest_pending_s: float | None
    fleet_in_service: bool = True
    fleet_message: str = ""
    outbox_full: int = 500

    @property
    def usable(self) -> frozenset[str]:
        return frozenset(k for k, s in self.devices.items() if s.device in WORKING)

    def serving(self) -> tuple[bool, str]:
        """(can serve, reason key): ``fleet_locked``, ``no_identity``, ``outbox_full``."""
        if not self.fleet_in_service:
            return False, "fleet_locked"
        if not any(kind in self.usable for kind in IDENTITY_DEVICES):
            return False, "no_identity"
        if self.platform.reachable is False and self.outbox_depth >= self.outbox_full:
            return False, "outbox_full"
        return True, ""


Pinger = Callable[[], bool | None]


def timed(ping: Pinger, clock: Callable[[], float] = time.monotonic) -> Link:
    """Run ``ping`` and time it; a ping that raises counts as unreachable."""
    start = clock()
    try:
        answer = ping()
    except Exception as exc:
        log.info("network check failed: %s", type(exc).__name__)
        return Link(False, None)
    if answer is None:
        return Link(None, None)
    return Link(bool(answer), round((clock() - start) * 1000, 1) if answer else None)


class HealthMonitor:
    def __init__(
        self,
        *,
        statuses: Callable[[], dict[str, DeviceStatus]],
        outbox: Callable[[], tuple[int, float | None]],
        ping_platform: Pinger,
        ping_fleet: Pinger = lambda: None,
        fleet_state: Callable[[], tuple[bool, str]] = lambda: (True, ""),
        outbox_full: int = 500,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._statuses, self._outbox = statuses, outbox
        self._ping_platform, self._ping_fleet = ping_platform, ping_fleet
        self._fleet_state, self.outbox_full, self.clock = fleet_state, outbox_full, clock
        self._snapshot: HealthSnapshot | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listeners: list[Callable[[HealthSnapshot], None]] = []

    def refresh(self) -> HealthSnapshot:
        """Read everything now (blocking: devices and two network round trips)."""
        depth, oldest = self._outbox()
        in_service, message = self._fleet_state()
        snapshot = HealthSnapshot(
            devices=self._statuses(),
            platform=timed(self._ping_platform, self.clock),
            fleet=timed(self._ping_fleet, self.clock),
            outbox_depth=depth,
            oldest_pending_s=oldest,
            fleet_in_service=in_service,
            fleet_message=message,
            outbox_full=self.outbox_full,
        )
        with self._lock:
            self._snapshot = snapshot
        for listener in list(self._listeners):
            listener(snapshot)
        return snapshot

    def snapshot(self) -> HealthSnapshot | None:
        """The last snapshot (None before the first refresh)."""
        with self._lock:
            return self._snapshot

    def on_change(self, listener: Callable[[HealthSnapshot], None]) -> None:
        """Hear every new snapshot (on the monitor's thread)."""
        self._listeners.append(listener)

    def start(self, interval: float) -> None:
        def loop() -> None:
            while True:
                try:
                    self.refresh()
                except Exception:  # one bad round must not end the checks
                    log.exception("health check failed")
                if self._stop.wait(interval):
                    return

        self._stop.clear()
        self._thread = threading.Thread(target=loop, name="kiosk-health", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
