"""Blocking work off the UI thread, its outcome back on it.

Device reads, printing and platform calls block; the UI thread must not. :meth:`run`
hands ``fn`` to a small pool and calls ``on_ok`` (or ``on_error``) with the result on the
UI thread, through Kivy's clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from kivy.clock import Clock

log = logging.getLogger(__name__)
T = TypeVar("T")


class Worker:
    def __init__(self, threads: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kiosk-worker")

    def run(
        self,
        fn: Callable[[], T],
        on_ok: Callable[[T], object],
        on_error: Callable[[BaseException], object] | None = None,
    ) -> None:
        def work() -> None:
            try:
                value = fn()
            except Exception as exc:  # reported on the UI thread
                if on_error is not None:
                    Clock.schedule_once(lambda _dt, e=exc: on_error(e))
                else:
                    log.exception("background task failed")
                return
            Clock.schedule_once(lambda _dt: on_ok(value))

        self._pool.submit(work)

    def stop(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
