"""An hour of a kiosk's counters as it travels to the fleet (docs/analytics.md)::

    {"format": "bianmin-usage/1", "batch_id": "u-2026010509-3f2a…", "hour":
     "2026-01-05T09:00:00+08:00", "counters": [{"metric": "ratings", "flow":
     "promised", "matter": "33102300MZ-JF-0001", "level": 5, "value": 2}, …]}

The batch id is fixed when the hour is sealed and the body never changes afterwards, so
a resend after a cut is the same batch, which the server stores once (idempotent per
kiosk and hour). :func:`check_batch` is the validator both ends apply: the kiosk before
it sends, the fleet server when it receives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Container, Iterable
from typing import Any

from kiosk.usage.vocabulary import (
    FLOWS_WITH_MATTER,
    MATTERS,
    METRICS,
    Counter,
    Dim,
    UsageRefused,
    counter,
)

FORMAT = "bianmin-usage/1"
CHINA = dt.timezone(dt.timedelta(hours=8))
HOUR = dt.timedelta(hours=1)
MAX_COUNTERS = 2_000  # rows in one batch
MAX_BYTES = 256 * 1024  # one batch's body, as canonical JSON
MAX_AGE = dt.timedelta(days=92)  # older hours are refused: a quarter's reports are closed
BATCH_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
HOUR_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:00:00\+08:00")
MATTER_CODE = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"  # the platform API's Code


def hour_of(moment: dt.datetime) -> dt.datetime:
    """The start of the hour (CST) ``moment`` falls in."""
    return moment.astimezone(CHINA).replace(minute=0, second=0, microsecond=0)


def hour_text(hour: dt.datetime) -> str:
    return hour_of(hour).isoformat()


def batch_id(kiosk_secret: str, hour: dt.datetime) -> str:
    """Stable for this kiosk and hour; says nothing about the kiosk to anyone else."""
    digest = hashlib.sha256(f"{kiosk_secret}|{hour_text(hour)}".encode()).hexdigest()[:16]
    return f"u-{hour_of(hour):%Y%m%d%H}-{digest}"


def canonical(doc: dict[str, Any]) -> bytes:
    """The bytes sent: sorted keys, no spaces, UTF-8."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def make_batch(bid: str, hour: dt.datetime, counters: Iterable[Counter]) -> dict[str, Any]:
    rows = sorted(counters, key=lambda c: (c.metric, [(k, str(v)) for k, v in c.dims]))
    return {
        "format": FORMAT,
        "batch_id": bid,
        "hour": hour_text(hour),
        "counters": [c.to_json() for c in rows],
    }


def check_batch(
    doc: object, matters: Container[str], now: dt.datetime, *, skew: dt.timedelta = dt.timedelta(0)
) -> list[Counter]:
    """The batch's counters, or :class:`UsageRefused` with the code the fleet server
    answers for it. ``skew``: how far the checker's clock may lag the kiosk's (the
    server allows for it; the kiosk checks against its own clock)."""
    if not isinstance(doc, dict):
        raise UsageRefused("usage_invalid", "body", "must be an object")
    if doc.get("format") != FORMAT:
        raise UsageRefused("unknown_format", "format", f"expected {FORMAT}")
    extra = sorted(set(doc) - {"format", "batch_id", "hour", "counters"})
    if extra:
        raise UsageRefused("usage_invalid", extra[0], "not a field of a batch")
    if not isinstance(doc.get("batch_id"), str) or not BATCH_ID.fullmatch(doc["batch_id"]):
        raise UsageRefused("usage_invalid", "batch_id", "8–64 of A-Z a-z 0-9 _ -")
    _check_hour(doc.get("hour"), now, skew)
    rows = doc.get("counters")
    if not isinstance(rows, list) or not rows:
        raise UsageRefused("usage_invalid", "counters", "a non-empty array")
    if len(rows) > MAX_COUNTERS or len(canonical(doc)) > MAX_BYTES:
        raise UsageRefused("usage_too_large", "counters", f"at most {MAX_COUNTERS} counters")
    out, seen = [], set()
    for i, row in enumerate(rows):
        where = f"counters[{i}]"
        if not isinstance(row, dict):
            raise UsageRefused("usage_invalid", where, "must be an object")
        dims = {k: v for k, v in row.items() if k not in ("metric", "value")}
        item = counter(row.get("metric"), dims, row.get("value"), matters, where=where)
        if item.key in seen:
            raise UsageRefused("usage_invalid", where, "the same counter twice")
        seen.add(item.key)
        out.append(item)
    return out


def _check_hour(value: object, now: dt.datetime, skew: dt.timedelta) -> dt.datetime:
    if not isinstance(value, str) or not HOUR_TEXT.fullmatch(value):
        raise UsageRefused("usage_invalid", "hour", "a whole hour, 2026-01-05T09:00:00+08:00")
    try:
        hour = dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageRefused("usage_invalid", "hour", "not a date and time") from None
    if hour + HOUR > now + skew:
        raise UsageRefused("hour_in_future", "hour", "the hour has not ended yet")
    if hour < now - MAX_AGE:
        raise UsageRefused("hour_too_old", "hour", f"older than {MAX_AGE.days} days")
    return hour


def batch_schema() -> dict[str, Any]:
    """The JSON Schema of a batch, made from the vocabulary (docs/usage-batch.schema.json
    is this, written out for the fleet server). Matters are checked against the
    catalogue, which a schema cannot know: here only their shape."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://bianmin.example/schemas/usage-batch-1.json",
        "title": "An hour of one kiosk's usage counters",
        "type": "object",
        "required": ["format", "batch_id", "hour", "counters"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT},
            "batch_id": {"type": "string", "pattern": f"^{BATCH_ID.pattern}$"},
            "hour": {"type": "string", "pattern": f"^{HOUR_TEXT.pattern}$"},
            "counters": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_COUNTERS,
                "items": {"oneOf": [_metric_schema(m) for m in METRICS]},
            },
        },
    }


def _metric_schema(metric: Any) -> dict[str, Any]:
    spec = METRICS[metric]
    props: dict[str, Any] = {
        "metric": {"const": str(metric)},
        "value": {"type": "integer", "minimum": 1, "maximum": spec.cap},
    }
    required = ["metric", "value"]
    for dim, domain in spec.dims:
        if domain == MATTERS:
            props[str(dim)] = {"type": "string", "pattern": MATTER_CODE}
        else:
            props[str(dim)] = {"enum": [v if isinstance(v, int) else str(v) for v in domain]}
            required.append(str(dim))
    schema: dict[str, Any] = {
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": props,
    }
    if Dim.MATTER in props:
        with_matter = sorted(str(k) for k in FLOWS_WITH_MATTER)
        schema["if"] = {"properties": {"flow": {"enum": with_matter}}}
        schema["then"] = {"required": ["matter"]}
        schema["else"] = {"not": {"required": ["matter"]}}
    return schema
