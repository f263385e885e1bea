"""The fleet server's batch checker agrees with the kiosk's: vocabulary.json is the
kiosk's vocabulary written out, and both checkers give the same answer (counters, or the
same code and field) for the same batches, good and bad."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.usage import batch as kiosk_batch
from kiosk.usage.vocabulary import FLOWS_WITH_MATTER, MATTERS, METRICS, UsageRefused
from provisioning.server.analytics import batch as fleet_batch

VOCABULARY = Path(fleet_batch.__file__).with_name("vocabulary.json")
CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 1, 5, 12, 0, tzinfo=CST)
HOUR = "2026-01-05T10:00:00+08:00"
MATTERS_OK = {"33102300MZ-JF-0001"}
M = "33102300MZ-JF-0001"


def made_from_the_kiosk() -> dict[str, Any]:
    return {
        "format": kiosk_batch.FORMAT,
        "max_counters": kiosk_batch.MAX_COUNTERS,
        "max_bytes": kiosk_batch.MAX_BYTES,
        "max_age_days": kiosk_batch.MAX_AGE.days,
        "flows_with_matter": sorted(str(f) for f in FLOWS_WITH_MATTER),
        "metrics": {
            str(m): {"cap": s.cap, "dims": [
                [str(d), "matter" if dom == MATTERS else [v if isinstance(v, int) else str(v)
                                                          for v in dom]]
                for d, dom in s.dims]}
            for m, s in METRICS.items()
        },
    }  # fmt: skip


def test_vocabulary_json_is_the_kiosks() -> None:
    doc = json.loads(VOCABULARY.read_text("utf-8"))
    doc.pop("_comment")
    assert doc == made_from_the_kiosk()


def _b(*counters: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"format": "bianmin-usage/1", "batch_id": "u-2026010510-abcdef0123456789",
            "hour": HOUR, "counters": list(counters)} | top  # fmt: skip


CASES = [
    _b({"metric": "sessions_started", "value": 4}),
    _b(
        {"metric": "ratings", "flow": "promised", "matter": M, "level": 5, "value": 1},
        {
            "metric": "journeys_abandoned",
            "flow": "promised",
            "matter": M,
            "step": "form",
            "reason": "timeout",
            "value": 2,
        },
    ),
    _b({"metric": "ratings", "flow": "tracking", "level": 1, "value": 1}),
    _b({"metric": "ratings", "flow": "tracking", "matter": M, "level": 1, "value": 1}),
    _b({"metric": "ratings", "flow": "promised", "level": 1, "value": 1}),
    _b({"metric": "ratings", "flow": "promised", "matter": M, "level": 6, "value": 1}),
    _b({"metric": "ratings", "flow": "promised", "matter": M, "level": True, "value": 1}),
    _b({"metric": "step_seconds", "flow": "promised", "matter": M, "step": "form", "value": 7200}),
    _b({"metric": "step_seconds", "flow": "promised", "matter": M, "step": "form", "value": 7201}),
    _b({"metric": "sessions_started", "value": -3}),
    _b({"metric": "sessions_started", "value": True}),
    _b({"metric": "prints", "result": "printed", "value": 1, "name": "张三"}),
    _b({"metric": "prints", "value": 1}),
    _b({"metric": "prints", "result": "jammed", "value": 1}),
    _b({"metric": "journeys_started", "flow": "promised", "matter": "X-1", "value": 1}),
    _b({"metric": "sessions_started", "value": 1}, {"metric": "sessions_started", "value": 2}),
    _b({"metric": "sessions_started", "value": 1}, hour="2026-01-05T12:00:00+08:00"),
    _b({"metric": "sessions_started", "value": 1}, hour="2025-09-01T10:00:00+08:00"),
    _b({"metric": "sessions_started", "value": 1}, hour="2026-01-05T10:00:00Z"),
    _b({"metric": "sessions_started", "value": 1}, batch_id="short"),
    _b({"metric": "sessions_started", "value": 1}, format="bianmin-usage/2"),
    _b({"metric": "sessions_started", "value": 1}, station="s-1"),
    _b(),
    _b(*[{"metric": "sessions_started", "value": 1}] * 2001),
    ["not", "an", "object"],
    _b("not an object"),
]


@pytest.mark.parametrize("doc", CASES, ids=range(len(CASES)))
def test_both_checkers_answer_alike(doc: Any) -> None:
    skew = dt.timedelta(seconds=300)
    try:
        kiosk = [c.to_json() for c in kiosk_batch.check_batch(doc, MATTERS_OK, NOW, skew=skew)]
    except UsageRefused as exc:
        kiosk = [exc.code, exc.field]
    try:
        found = fleet_batch.check_batch(doc, MATTERS_OK, NOW, skew=skew)
        fleet: list[Any] = [{"metric": c.metric, **dict(c.dims), "value": c.value}
                            for c in found.counters]  # fmt: skip
    except fleet_batch.UsageRefused as exc:
        fleet = [exc.code, exc.field]
    assert fleet == kiosk
