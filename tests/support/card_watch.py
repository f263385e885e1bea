"""What a card watch reports, collected for a test: the ID-card watcher's and the PC/SC
supervisor's tests (devices.watch) read the same events the same way."""

from __future__ import annotations

import queue
from typing import Any

from devices.watch import Callbacks


class WatchEvents:
    """A watch's callbacks (pass ``**events.callbacks``), collected in order as (kind,
    payload) pairs: ("inserted", record), ("removed", None), ("error", exc), ("state",
    state)."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.callbacks: Callbacks[Any] = {
            "on_inserted": lambda record: self.queue.put(("inserted", record)),
            "on_removed": lambda: self.queue.put(("removed", None)),
            "on_error": lambda exc: self.queue.put(("error", exc)),
            "on_state": lambda state: self.queue.put(("state", state)),
        }

    def drain(self) -> list[tuple[str, Any]]:
        """Every event so far (the watch polled by the test itself)."""
        out = []
        while not self.queue.empty():
            out.append(self.queue.get_nowait())
        return out

    def next(self, *kinds: str, timeout: float = 15.0) -> tuple[str, Any]:
        """The next event of one of ``kinds``, skipping others (the watch on its thread;
        the timeout is generous, never a timing assertion)."""
        while True:
            got = self.queue.get(timeout=timeout)
            if got[0] in kinds:
                return got

    def until(self, event: tuple[str, Any], timeout: float = 15.0) -> list[tuple[str, Any]]:
        """Every event up to and including ``event``."""
        seen = []
        while True:
            got = self.queue.get(timeout=timeout)
            seen.append(got)
            if got == event:
                return seen
