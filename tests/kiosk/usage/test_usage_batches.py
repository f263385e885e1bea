"""Hourly batches: sealed once with a stable id and body (a resend is the same batch),
kept while offline, and checked before they leave as the fleet server checks them: an
hour from the future, an old one, an oversized batch, an unknown format or matter are
refused with the code the server answers. docs/usage-batch.schema.json is the schema
the vocabulary makes, and agrees with the checker."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from kiosk.catalogue import Catalogue
from kiosk.flows.base import Step
from kiosk.flows.kinds import FlowKind
from kiosk.usage import Metric, UsageRecorder, UsageRefused, UsageStore, check_batch
from kiosk.usage.batch import MAX_COUNTERS, batch_schema, canonical
from kiosk.usage.vocabulary import COMPLETED_AT, counter
from tests.support import ROOT
from tests.support.usage import total

from .conftest import NOW, Kiosk

ALLOWANCE = "33102300MZ-JF-0001"
SCHEMA_FILE = ROOT / "docs" / "usage-batch.schema.json"


def an_hour(kiosk: Kiosk) -> list[dict[str, Any]]:
    """09:xx counted, then the clock past 10:00: the agent's view."""
    kiosk.recorder.count("sessions_started", 2)
    kiosk.recorder.count("ratings", flow="promised", matter=ALLOWANCE, level=4)
    kiosk.wall.advance(hours=1)
    return kiosk.recorder.outgoing(limit=10)


def test_an_ended_hour_is_sealed_once_and_resent_the_same(kiosk: Kiosk) -> None:
    assert kiosk.recorder.outgoing(limit=10) == []  # 09:10: the hour runs on
    first = an_hour(kiosk)
    assert [d["hour"] for d in first] == ["2026-01-05T09:00:00+08:00"]
    assert first[0]["batch_id"].startswith("u-2026010509-")
    assert first[0]["counters"] == [
        {"metric": "ratings", "flow": "promised", "matter": ALLOWANCE, "level": 4, "value": 1},
        {"metric": "sessions_started", "value": 2},
    ]
    kiosk.recorder.count("sessions_started")  # 10:10, in the next hour
    again = kiosk.recorder.outgoing(limit=10)  # the first send was cut: the same again
    assert [canonical(d) for d in again] == [canonical(d) for d in first]
    kiosk.recorder.delivered(first[0]["batch_id"])
    assert kiosk.recorder.outgoing(limit=10) == []
    kiosk.wall.advance(hours=1)
    (ten,) = kiosk.recorder.outgoing(limit=10)
    assert ten["hour"] == "2026-01-05T10:00:00+08:00" and total([ten], "sessions_started") == 1


def test_offline_hours_wait_in_order_across_restarts(
    tmp_path: Path, catalogue: Catalogue, kiosk: Kiosk
) -> None:
    for _ in range(3):  # three hours with nobody to send to
        kiosk.recorder.count("sessions_started")
        kiosk.wall.advance(hours=1)
    kiosk.recorder.outgoing(limit=1)  # seals them all, hands one over, which is lost
    kiosk.recorder.close()
    reopened = UsageRecorder(
        UsageStore(tmp_path / "usage.sqlite3"), matters=lambda: catalogue, now=kiosk.wall
    )
    try:
        docs = reopened.outgoing(limit=10)
        assert [d["hour"][11:13] for d in docs] == ["09", "10", "11"]
        assert reopened.status()["pending"] == 3
        for doc in docs:
            reopened.delivered(doc["batch_id"])
        assert reopened.status() | {"refused": []} == {
            "pending": 0, "sent": 3, "refused": [], "oldest_pending_hour": None,
            "open_hours": 0,
        }  # fmt: skip
    finally:
        reopened.close()
        kiosk.recorder = reopened  # the fixture closes it again: harmless


def test_a_count_for_a_sealed_hour_goes_to_the_next_open_one(kiosk: Kiosk) -> None:
    assert len(an_hour(kiosk)) == 1  # 09:00 sealed
    kiosk.wall.at = NOW  # the clock set back to 09:10 (an NTP correction)
    kiosk.recorder.count("sessions_started")
    kiosk.recorder.flush()
    assert [d["hour"][11:13] for d in kiosk.recorder.preview()] == ["09", "10"]
    assert total(kiosk.recorder.preview()[:1], "sessions_started") == 2  # unchanged


def test_a_batch_the_server_would_refuse_is_refused_here_and_never_sent(
    kiosk: Kiosk, catalogue: Catalogue
) -> None:
    kiosk.recorder.count("journeys_started", flow="promised", matter=ALLOWANCE)
    kiosk.wall.advance(hours=1)
    kiosk.recorder.matters = lambda: [m.code for m in catalogue if m.code != ALLOWANCE]
    assert kiosk.recorder.outgoing(limit=10) == []  # a catalogue without that matter now
    (refusal,) = kiosk.recorder.status()["refused"]
    assert refusal["code"] == "unknown_matter" and "counters[0].matter" in refusal["detail"]


def good(hour: str = "2026-01-05T09:00:00+08:00") -> dict[str, Any]:
    return {
        "format": "bianmin-usage/1",
        "batch_id": "u-2026010509-0123456789abcdef",
        "hour": hour,
        "counters": [
            {"metric": "sessions_started", "value": 3},
            {"metric": "journeys_abandoned", "flow": "promised", "matter": ALLOWANCE,
             "step": "form", "reason": "timeout", "value": 1},
        ],
    }  # fmt: skip


LATER = NOW + dt.timedelta(hours=1)


def changed(path: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(good())
    *parents, last = path.split(".")
    target: Any = doc
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return doc


@pytest.mark.parametrize(
    ("doc", "code", "field"),
    [
        (changed("counters.0.value", -3), "usage_invalid", "counters[0].value"),
        (changed("counters.0.value", 10**9), "usage_invalid", "counters[0].value"),
        (changed("counters.1.matter", "NO-SUCH"), "unknown_matter", "counters[1].matter"),
        (changed("counters.1.name", "王秀英"), "usage_invalid", "counters[1].name"),
        (good("2026-01-05T10:00:00+08:00"), "hour_in_future", "hour"),  # still running
        (good("2026-01-06T09:00:00+08:00"), "hour_in_future", "hour"),
        (good("2025-10-01T09:00:00+08:00"), "hour_too_old", "hour"),
        (good("2026-01-05T09:30:00+08:00"), "usage_invalid", "hour"),  # not a whole hour
        (good("2026-01-05T01:00:00+00:00"), "usage_invalid", "hour"),  # not CST
        (changed("format", "bianmin-usage/2"), "unknown_format", "format"),
        (changed("batch_id", "x"), "usage_invalid", "batch_id"),
        (changed("station", "s-0001"), "usage_invalid", "station"),
        (changed("counters", []), "usage_invalid", "counters"),
        (changed("counters.1", {"metric": "sessions_started", "value": 1}), "usage_invalid",
         "counters[1]"),  # the same counter twice
        ([], "usage_invalid", "body"),
    ],
)  # fmt: skip
def test_the_checker_refuses_with_the_servers_code(
    catalogue: Catalogue, doc: Any, code: str, field: str
) -> None:
    with pytest.raises(UsageRefused) as err:
        check_batch(doc, catalogue, LATER)
    assert (err.value.code, err.value.field) == (code, field)


def test_an_oversized_batch_is_refused_by_rows_and_by_bytes(catalogue: Catalogue) -> None:
    steps = ["identity", "notice", "form", "materials", "review", "submit", "receipt"]
    reasons = ["back", "left", "timeout", "card_removed", "finished", "cancelled"]
    codes = [f"M{i:062d}X" for i in range(60)]  # the longest codes a catalogue may have
    rows = [
        {"metric": "journeys_abandoned", "flow": "promised", "matter": code, "step": step,
         "reason": reason, "value": 600}
        for code in codes for step in steps for reason in reasons
    ]  # fmt: skip
    doc = good() | {"counters": rows[:MAX_COUNTERS]}
    assert len(canonical(doc)) > 256 * 1024
    for too_big in (doc, good() | {"counters": rows[: MAX_COUNTERS + 1]}):
        with pytest.raises(UsageRefused) as err:
            check_batch(too_big, codes, LATER)
        assert err.value.code == "usage_too_large"
    check_batch(good() | {"counters": rows[:1000]}, codes, LATER)  # within both limits


def test_the_schema_file_is_the_vocabularys_and_agrees_with_the_checker(
    catalogue: Catalogue, kiosk: Kiosk
) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema == batch_schema(), "regenerate docs/usage-batch.schema.json"
    validator = jsonschema_rs.validator_for(schema)
    assert validator.is_valid(good())
    kiosk.recorder.count("ratings", flow="tracking", level=3)
    kiosk.recorder.count("journeys_completed", flow="instant", matter=ALLOWANCE)
    assert all(validator.is_valid(doc) for doc in an_hour(kiosk))
    for doc in (
        changed("counters.0.value", -3),
        changed("counters.1.name", "王秀英"),
        changed("counters.1.step", "teleport"),
        changed("format", "bianmin-usage/2"),
        good() | {"counters": [{"metric": "journeys_started", "flow": "promised", "value": 1}]},
        good() | {"counters": [{"metric": "journeys_started", "flow": "tracking",
                                "matter": ALLOWANCE, "value": 1}]},
    ):  # fmt: skip
        assert not validator.is_valid(doc)
        with pytest.raises(UsageRefused):
            check_batch(doc, catalogue, LATER)


def test_sent_and_refused_hours_are_forgotten_after_the_retention(kiosk: Kiosk) -> None:
    (nine,) = an_hour(kiosk)
    kiosk.recorder.delivered(nine["batch_id"])
    kiosk.wall.advance(days=93)
    kiosk.recorder.outgoing(limit=10)
    assert kiosk.recorder.status()["sent"] == 0


def test_the_design_note_says_what_the_code_does(catalogue: Catalogue) -> None:
    """docs/analytics.md is the server's contract: its example passes the checker and
    its table names every metric, each once."""
    note = (ROOT / "docs" / "analytics.md").read_text(encoding="utf-8")
    example = json.loads(note.split("```json", 1)[1].split("```", 1)[0])
    assert check_batch(example, catalogue, LATER)
    table = re.findall(r"^\| `(\w+)` \|", note, flags=re.MULTILINE)
    assert sorted(table) == sorted(str(m) for m in Metric)


def test_a_certification_journey_counts_with_its_matter_and_completes_at_the_slip() -> None:
    """资格认证 (issue 17) is a matter's journey: counted with the matter, completed when
    certified. Before, every count of it was refused ("this flow has no matter") and,
    counting never raising, silently dropped."""
    dims = {"flow": "certification", "matter": "M-1"}
    assert counter("journeys_started", dims, 1, {"M-1"}).value == 1
    with pytest.raises(UsageRefused):
        counter("journeys_started", {"flow": "certification"}, 1, {"M-1"})
    assert COMPLETED_AT[FlowKind.CERTIFICATION] == frozenset({Step.CERTIFIED})
    assert set(COMPLETED_AT) == set(FlowKind)  # every flow can complete
