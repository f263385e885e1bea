"""Reading usage batches in tests: sums of counters across hours, by metric and any of
their dimensions; a wall clock the test moves (counts fall into its hours)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

CST = dt.timezone(dt.timedelta(hours=8))


def total(docs: Iterable[dict[str, Any]], metric: str, **dims: object) -> int:
    """The sum of ``metric`` over every batch, for the rows that have ``dims``."""
    return sum(
        row["value"]
        for doc in docs
        for row in doc["counters"]
        if row["metric"] == metric and all(row.get(k) == v for k, v in dims.items())
    )


def rows(docs: Iterable[dict[str, Any]], metric: str) -> dict[tuple[Any, ...], int]:
    """``metric``'s rows summed over the batches, by their dimensions (sorted pairs)."""
    out: dict[tuple[Any, ...], int] = {}
    for doc in docs:
        for row in doc["counters"]:
            if row["metric"] == metric:
                key = tuple(sorted((k, v) for k, v in row.items() if k not in ("metric", "value")))
                out[key] = out.get(key, 0) + row["value"]
    return out


class WallClock:
    """``now()`` for a recorder: a CST time the test sets and moves."""

    def __init__(self, start: dt.datetime) -> None:
        self.at = start

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)
