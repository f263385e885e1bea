"""``kiosk outbox flush`` inside a running kiosk: never a second sender beside the pump."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from kiosk.outbox import Outbox, OutboxPump, PassReport, Submission
from kiosk.upstream import HttpPlatformClient
from sandbox import SandboxPlatform

MakeSub = Callable[..., Submission]


class GatedClient:
    """The real client, counting calls in flight; the first call waits for ``go``."""

    def __init__(self, inner: HttpPlatformClient) -> None:
        self.inner = inner
        self.lock = threading.Lock()
        self.in_flight = self.max_in_flight = 0
        self.first_call, self.go, self.overlap = (
            threading.Event(),
            threading.Event(),
            threading.Event(),
        )

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            with self.lock:
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
                if self.in_flight > 1:
                    self.overlap.set()
            try:
                if not self.first_call.is_set():
                    self.first_call.set()
                    assert self.go.wait(30)
                return method(*args, **kwargs)
            finally:
                with self.lock:
                    self.in_flight -= 1

        return call


def test_flush_waits_for_the_pumps_pass_and_sends_nothing_twice(
    sandbox: SandboxPlatform, outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    queued = [outbox.enqueue(make_sub(sizes=(2_000,))) for _ in range(2)]
    gated = GatedClient(client)
    pump = OutboxPump(outbox, gated)  # type: ignore[arg-type]
    reports: dict[str, PassReport] = {}
    passing = threading.Thread(target=lambda: reports.update(pump=pump.run_once()))
    passing.start()
    assert gated.first_call.wait(10)  # the pump's pass is inside its first request
    flushing = threading.Thread(target=lambda: reports.update(flush=pump.flush()))
    flushing.start()
    assert not gated.overlap.wait(1.0)  # the flush must not start a request meanwhile
    gated.go.set()
    passing.join(30)
    flushing.join(30)
    assert gated.max_in_flight == 1
    assert reports["pump"].sent == 2 and reports["flush"] == PassReport(remaining=0)
    refs = [a["client_ref"] for a in sandbox.applications()]
    assert sorted(refs) == sorted(q.provisional_no for q in queued)
