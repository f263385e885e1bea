"""The kiosk's usage counting: validated as it comes, kept in memory for the session,
written at its end, sealed per hour and handed to the fleet agent.

:meth:`UsageRecorder.count` checks each count against the vocabulary
(kiosk/usage/vocabulary.py) and refuses what is outside it with
:class:`~kiosk.usage.vocabulary.UsageRefused`; the session observer
(:attr:`UsageRecorder.journeys`) and the printing hook count quietly (a refusal is
logged by code and field, never by value, and the journey goes on). Counts reach the
disk in one transaction at the end of each session, when the agent asks, and at close:
a crash loses at most the session under way.

The agent sees this as its usage queue (provisioning/agent/usage.py): ``outgoing``,
``delivered``, ``refused``. ``outgoing`` checks every batch again as the server will
(kiosk.usage.batch.check_batch); one that fails is refused here and never sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Container
from typing import Any

from kiosk.usage.batch import batch_id, check_batch, hour_of, hour_text, make_batch
from kiosk.usage.journeys import JourneyCounter
from kiosk.usage.store import Key, UsageStore
from kiosk.usage.vocabulary import METRICS, Counter, Metric, PrintResult, UsageRefused, counter

log = logging.getLogger(__name__)

FLUSH_AT = 500  # counters held in memory before they go to disk anyway


class UsageRecorder:
    def __init__(
        self,
        store: UsageStore,
        *,
        matters: Callable[[], Container[str]],
        now: Callable[[], dt.datetime],
        clock: Callable[[], float] = time.monotonic,
        voice_on: Callable[[], bool] = lambda: False,
    ) -> None:
        """``matters``: the catalogue's codes; ``now``: the wall clock (CST) that puts
        counts in their hour; ``clock``: the monotonic clock that times the steps."""
        self.store, self.matters, self.now = store, matters, now
        self._held: dict[Key, int] = {}
        self._lock = threading.Lock()
        self.journeys = JourneyCounter(
            self.count_quietly, clock, voice_on=voice_on, flush=self.flush
        )

    # ---- counting ----

    def count(self, metric: Metric | str, value: int = 1, **dims: object) -> Counter:
        """Count ``value`` of ``metric`` by ``dims`` in the current hour; UsageRefused
        (nothing counted) for anything outside the vocabulary or past its cap."""
        item = counter(metric, dims, value, self.matters())
        key = (hour_text(self.now()), item.metric, item.dims)
        cap = METRICS[item.metric].cap
        with self._lock:
            total = self._held.get(key, 0) + item.value
            if total > cap:
                raise UsageRefused("usage_invalid", "value", f"past the hour's cap of {cap}")
            self._held[key] = total
            full = len(self._held) >= FLUSH_AT
        if full:
            self.flush()
        return item

    def count_quietly(self, metric: Metric | str, value: int = 1, **dims: object) -> None:
        try:
            self.count(metric, value, **dims)
        except UsageRefused as exc:  # the code and the field only: never the value
            log.warning("usage counter refused: %s at %s", exc.code, exc.field)

    def printed(self, result: str) -> None:
        """A print job's outcome (kiosk/intake/printing.py calls this)."""
        known = result if result in tuple(PrintResult) else PrintResult.FAILED
        self.count_quietly(Metric.PRINTS, result=known)

    def flush(self) -> None:
        """Write what is held to disk, in one transaction."""
        with self._lock:
            held, self._held = self._held, {}
        if held:
            for problem in self.store.add(held):
                log.warning("usage counter refused on disk: %s", problem)

    def close(self) -> None:
        self.flush()
        self.store.close()

    # ---- for the fleet agent (provisioning/agent/usage.py) ----

    def outgoing(self, limit: int) -> list[dict[str, Any]]:
        """The ended hours not yet delivered, oldest first, at most ``limit``."""
        self.flush()
        now = self.now()
        self.store.seal(now)
        self.store.prune(now)
        matters = self.matters()
        out = []
        for doc in self.store.pending(limit):
            try:
                check_batch(doc, matters, now)
            except UsageRefused as exc:
                self.store.refused(
                    doc["batch_id"], exc.code, f"{exc.field}: {exc.detail}", now.timestamp()
                )
                log.warning(
                    "usage batch %s not sent: %s at %s", doc["batch_id"], exc.code, exc.field
                )
            else:
                out.append(doc)
        self.store.tried(doc["batch_id"] for doc in out)
        return out

    def delivered(self, bid: str) -> None:
        self.store.delivered(bid, self.now().timestamp())

    def refused(self, bid: str, code: str, detail: str) -> None:
        log.warning("usage batch %s refused by the fleet: %s", bid, code)
        self.store.refused(bid, code, detail, self.now().timestamp())

    # ---- for the technician and the tests ----

    def preview(self) -> list[dict[str, Any]]:
        """Every hour not yet delivered, as it is or will be sent (the open hours as
        they stand): all that this kiosk's usage data would ever tell the fleet."""
        self.flush()
        docs = self.store.pending(limit=10_000)
        hours: dict[str, list[Counter]] = {}
        for hour, item in self.store.counters():
            hours.setdefault(hour, []).append(item)
        for hour, items in sorted(hours.items()):
            start = hour_of(dt.datetime.fromisoformat(hour))
            docs.append(make_batch(batch_id(self.store.secret, start), start, items))
        return docs

    def status(self) -> dict[str, Any]:
        self.flush()
        return self.store.status()
