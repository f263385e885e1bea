"""Wall-clock timing for the benchmarks, in milliseconds (``perf_counter``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def times_ms(fn: Callable[[], object], runs: int) -> list[float]:
    """How long each of ``runs`` calls of ``fn`` took."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def median_ms(fn: Callable[[], object], runs: int) -> float:
    return statistics.median(times_ms(fn, runs))


def spread_ms(times: list[float]) -> tuple[float, float, float, float]:
    """Mean, median, 95th percentile (nearest rank) and maximum of ``times``."""
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.fmean(ordered), statistics.median(ordered), p95, ordered[-1]
