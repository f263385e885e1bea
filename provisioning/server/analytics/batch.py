"""A kiosk's usage batch as the fleet server checks it (docs/analytics.md §2–3).

The vocabulary (metrics, their dimensions, the values each may take, the caps) is the
kiosk's, written out as ``vocabulary.json`` beside this file: the fleet server does not
import the kiosk's code, and a test keeps the file equal to ``kiosk.usage.vocabulary``
and runs both checkers over the same bad batches. :func:`check_batch` answers what
``kiosk.usage.batch.check_batch`` answers, with the same refusal codes and field names.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import functools
import json
import re
from collections.abc import Container
from pathlib import Path
from typing import Any

CHINA = dt.timezone(dt.timedelta(hours=8))
HOUR = dt.timedelta(hours=1)
BATCH_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
HOUR_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:00:00\+08:00")
MATTER = "matter"

DimValue = str | int


class UsageRefused(ValueError):
    """A batch the server refuses: ``code`` as docs/analytics.md's table, ``field`` where."""

    def __init__(self, code: str, field: str, detail: str) -> None:
        super().__init__(f"{code}: {field}: {detail}")
        self.code, self.field, self.detail = code, field, detail


@dc.dataclass(frozen=True)
class Vocabulary:
    format: str
    max_counters: int
    max_bytes: int
    max_age: dt.timedelta
    flows_with_matter: frozenset[str]
    #: metric -> (cap, ((dimension, allowed values or None for the matter), …))
    metrics: dict[str, tuple[int, tuple[tuple[str, frozenset[DimValue] | None], ...]]]


@functools.cache
def vocabulary() -> Vocabulary:
    doc = json.loads(Path(__file__).with_name("vocabulary.json").read_text("utf-8"))
    metrics = {
        name: (
            int(spec["cap"]),
            tuple((d, None if dom == MATTER else frozenset(dom)) for d, dom in spec["dims"]),
        )
        for name, spec in doc["metrics"].items()
    }
    return Vocabulary(
        format=doc["format"],
        max_counters=int(doc["max_counters"]),
        max_bytes=int(doc["max_bytes"]),
        max_age=dt.timedelta(days=int(doc["max_age_days"])),
        flows_with_matter=frozenset(doc["flows_with_matter"]),
        metrics=metrics,
    )


@dc.dataclass(frozen=True)
class Counter:
    metric: str
    dims: tuple[tuple[str, DimValue], ...]  # sorted by name
    value: int

    def dim(self, name: str, default: DimValue = "") -> DimValue:
        return dict(self.dims).get(name, default)


@dc.dataclass(frozen=True)
class Batch:
    batch_id: str
    hour: dt.datetime  # CST
    counters: list[Counter]


def canonical(doc: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: how two batches are compared."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def check_batch(
    doc: object, matters: Container[str], now: dt.datetime, *, skew: dt.timedelta
) -> Batch:
    """The batch, or :class:`UsageRefused` with the code the server answers."""
    v = vocabulary()
    if not isinstance(doc, dict):
        raise UsageRefused("usage_invalid", "body", "must be an object")
    if doc.get("format") != v.format:
        raise UsageRefused("unknown_format", "format", f"expected {v.format}")
    extra = sorted(set(doc) - {"format", "batch_id", "hour", "counters"})
    if extra:
        raise UsageRefused("usage_invalid", extra[0], "not a field of a batch")
    bid = doc.get("batch_id")
    if not isinstance(bid, str) or not BATCH_ID.fullmatch(bid):
        raise UsageRefused("usage_invalid", "batch_id", "8–64 of A-Z a-z 0-9 _ -")
    hour = _check_hour(doc.get("hour"), now, skew, v.max_age)
    rows = doc.get("counters")
    if not isinstance(rows, list) or not rows:
        raise UsageRefused("usage_invalid", "counters", "a non-empty array")
    if len(rows) > v.max_counters or len(canonical(doc)) > v.max_bytes:
        raise UsageRefused("usage_too_large", "counters", f"at most {v.max_counters} counters")
    out: list[Counter] = []
    seen: set[tuple[str, tuple[tuple[str, DimValue], ...]]] = set()
    for i, row in enumerate(rows):
        where = f"counters[{i}]"
        if not isinstance(row, dict):
            raise UsageRefused("usage_invalid", where, "must be an object")
        item = _counter(v, row, matters, where)
        if (item.metric, item.dims) in seen:
            raise UsageRefused("usage_invalid", where, "the same counter twice")
        seen.add((item.metric, item.dims))
        out.append(item)
    return Batch(bid, hour, out)


def _check_hour(
    value: object, now: dt.datetime, skew: dt.timedelta, max_age: dt.timedelta
) -> dt.datetime:
    if not isinstance(value, str) or not HOUR_TEXT.fullmatch(value):
        raise UsageRefused("usage_invalid", "hour", "a whole hour, 2026-01-05T09:00:00+08:00")
    try:
        hour = dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageRefused("usage_invalid", "hour", "not a date and time") from None
    if hour + HOUR > now + skew:
        raise UsageRefused("hour_in_future", "hour", "the hour has not ended yet")
    if hour < now - max_age:
        raise UsageRefused("hour_too_old", "hour", f"older than {max_age.days} days")
    return hour


def _counter(v: Vocabulary, row: dict[str, Any], matters: Container[str], where: str) -> Counter:
    metric = row.get("metric")
    if not isinstance(metric, str) or metric not in v.metrics:
        raise UsageRefused("usage_invalid", f"{where}.metric", "not a metric")
    cap, spec = v.metrics[metric]
    dims = {k: val for k, val in row.items() if k not in ("metric", "value")}
    extra = sorted(set(dims) - {d for d, _ in spec})
    if extra:
        raise UsageRefused("usage_invalid", f"{where}.{extra[0]}", f"not a dimension of {metric}")
    checked: list[tuple[str, DimValue]] = []
    for dim, domain in spec:
        value = dims.get(dim)
        if value is None and domain is None:
            continue  # the matter: only for the flows of a matter (checked below)
        field = f"{where}.{dim}"
        if value is None:
            raise UsageRefused("usage_invalid", field, "required")
        if domain is None:
            if not isinstance(value, str) or value not in matters:
                raise UsageRefused("unknown_matter", field, "not a matter of the catalogue")
        elif isinstance(value, bool) or not isinstance(value, str | int) or value not in domain:
            raise UsageRefused("usage_invalid", field, "not one of the values it may take")
        checked.append((dim, value))
    named = dict(checked)
    if "flow" in named:
        needs = named["flow"] in v.flows_with_matter
        has = dims.get(MATTER) is not None
        if needs and not has:
            raise UsageRefused("usage_invalid", f"{where}.matter", "required for this flow")
        if has and not needs:
            raise UsageRefused("usage_invalid", f"{where}.matter", "this flow has no matter")
    value = row.get("value")
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageRefused("usage_invalid", f"{where}.value", "must be a whole number")
    if not 1 <= value <= cap:
        raise UsageRefused("usage_invalid", f"{where}.value", f"must be between 1 and {cap}")
    return Counter(metric, tuple(sorted(checked)), value)
