"""``POST /v1/device/usage`` on a real fleet server (SQLite and PostgreSQL): every answer
of docs/analytics.md's table, the device taken from the signature, one batch per device
and hour, and a refusal that stores nothing (no batch row, no rollup, no nonce)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from provisioning.server.accounts import cli_actor
from provisioning.server.app import FleetApp
from provisioning.server.db import Tx
from tests.provisioning.analytics.conftest import ALLOWANCE, CST, Kiosk, batch, hour_text

NOW = dt.datetime(2026, 1, 1, 9, 0, tzinfo=CST)  # the fleet fixtures' clock
LAST_HOUR = hour_text(NOW - dt.timedelta(hours=1))
SERVED = {"metric": "sessions_started", "value": 3}
DONE = {"metric": "journeys_completed", "flow": "promised", "matter": ALLOWANCE, "value": 2}


def _counts(tx: Tx) -> dict[str, int]:
    return {
        t: int((tx.one(f"SELECT COUNT(*) AS n FROM {t}") or {"n": 0})["n"])
        for t in ("usage_batches", "an_day", "an_matter", "an_funnel")
    }


def _stored(app: FleetApp) -> dict[str, int]:
    with app.db.read() as tx:
        return _counts(tx)


def _day(app: FleetApp, node: str, metric: str, dim: str = "") -> int:
    with app.db.read() as tx:
        row = tx.one("SELECT SUM(value) AS v FROM an_day WHERE node_id = ? AND metric = ?"
                     " AND dim = ?", (node, metric, dim))  # fmt: skip
    return int((row or {}).get("v") or 0)


def test_a_batch_is_stored_once_and_rolled_up_to_every_ancestor(
    server: FleetApp, kiosk_at: Callable[..., Kiosk]
) -> None:
    kiosk = kiosk_at(server, "s-0001")
    doc = batch(LAST_HOUR, SERVED, DONE)
    assert kiosk.post(doc) == (201, {"batch_id": doc["batch_id"], "status": "stored"})
    for node in ("s-0001", "330110001", "330110", "33"):
        assert _day(server, node, "sessions_started") == 3, node
        assert _day(server, node, "journeys_completed", "promised") == 2, node
    assert _day(server, "s-0002", "sessions_started") == 0
    # the same batch again (keys in another order, other spacing): a duplicate, counted once
    again = json.dumps(doc, indent=2, sort_keys=True).encode()
    assert kiosk.post(again) == (200, {"batch_id": doc["batch_id"], "status": "duplicate"})
    assert _day(server, "33", "sessions_started") == 3
    # something else for the same hour: a conflict, nothing changes
    other = batch(LAST_HOUR, {"metric": "sessions_started", "value": 4})
    status, body = kiosk.post(other)
    assert (status, body["code"]) == (409, "batch_conflict")
    assert _day(server, "33", "sessions_started") == 3


def test_the_device_is_the_signer_and_each_kiosk_has_its_own_hour(
    server: FleetApp, kiosk_at: Callable[..., Kiosk]
) -> None:
    a, b = kiosk_at(server, "s-0001"), kiosk_at(server, "s-0101")
    doc = batch(LAST_HOUR, SERVED)
    assert a.post(doc)[0] == 201
    assert b.post(doc)[0] == 201  # same hour and id from another kiosk: its own batch
    assert _day(server, "s-0001", "sessions_started") == 3
    assert _day(server, "s-0101", "sessions_started") == 3
    assert _day(server, "33", "sessions_started") == 6
    # a body naming a device is refused (no such field), whoever it names
    earlier = batch(hour_text(NOW - dt.timedelta(hours=2)), SERVED)
    status, body = a.post(earlier | {"device_id": b.agent.key.device_id})
    assert (status, body["code"]) == (422, "usage_invalid")


def _bad(name: str) -> tuple[str, dict[str, Any] | bytes, int, str, str]:
    future = hour_text(NOW)  # the current hour has not ended
    old = hour_text(NOW - dt.timedelta(days=93))
    cases: dict[str, tuple[dict[str, Any] | bytes, int, str, str]] = {
        "negative": (batch(LAST_HOUR, {"metric": "sessions_started", "value": -1}), 422,
                     "usage_invalid", "counters[0].value"),
        "zero": (batch(LAST_HOUR, {"metric": "sessions_started", "value": 0}), 422,
                 "usage_invalid", "counters[0].value"),
        "absurd": (batch(LAST_HOUR, {"metric": "sessions_started", "value": 10**9}), 422,
                   "usage_invalid", "counters[0].value"),
        "fraction": (batch(LAST_HOUR, {"metric": "sessions_started", "value": 1.5}), 422,
                     "usage_invalid", "counters[0].value"),
        "unknown matter": (batch(LAST_HOUR, SERVED, {**DONE, "matter": "NOT-A-MATTER"}), 422,
                           "unknown_matter", "counters[1].matter"),
        "unknown metric": (batch(LAST_HOUR, {"metric": "names_seen", "value": 1}), 422,
                           "usage_invalid", "counters[0].metric"),
        "free text": (batch(LAST_HOUR, {**SERVED, "note": "张三 330102199001011234"}), 422,
                      "usage_invalid", "counters[0].note"),
        "twice": (batch(LAST_HOUR, SERVED, SERVED), 422, "usage_invalid", "counters[1]"),
        "future hour": (batch(future, SERVED), 422, "hour_in_future", "hour"),
        "old hour": (batch(old, SERVED), 422, "hour_too_old", "hour"),
        "odd hour": (batch("2026-01-01T07:30:00+08:00", SERVED), 422, "usage_invalid", "hour"),
        "format": (batch(LAST_HOUR, SERVED) | {"format": "other/2"}, 422, "unknown_format",
                   "format"),
        "too many": (batch(LAST_HOUR, *[
            {"metric": "steps_reached", "flow": "promised", "matter": ALLOWANCE, "step": s,
             "value": 1} for s in ["form"]] * 2001), 413, "usage_too_large", "counters"),
        "not json": (b"{not json", 400, "malformed_json", ""),
        "oversized": (b" " * (256 * 1024 + 1), 413, "body_too_large", ""),
    }  # fmt: skip
    return (name, *cases[name])


BAD = ["negative", "zero", "absurd", "fraction", "unknown matter", "unknown metric",
       "free text", "twice", "future hour", "old hour", "odd hour", "format", "too many",
       "not json", "oversized"]  # fmt: skip


@pytest.mark.parametrize("name", BAD)
def test_bad_input_gets_a_clear_4xx_and_is_not_stored(
    server: FleetApp, kiosk_at: Callable[..., Kiosk], name: str
) -> None:
    kiosk = kiosk_at(server, "s-0001")
    before = _stored(server)
    _, body, status, code, field = _bad(name)
    got_status, got = kiosk.post(body)
    assert (got_status, got.get("code")) == (status, code), got
    if field:
        assert got.get("field") == field, got
    assert _stored(server) == before
    # and the kiosk can still send a good batch for that hour (nothing half-stored)
    assert kiosk.post(batch(LAST_HOUR, SERVED))[0] == 201


def test_a_matter_outside_the_sites_catalogue_is_unknown_there(
    server: FleetApp, kiosk_at: Callable[..., Kiosk]
) -> None:
    """A county that excludes a matter: its kiosks cannot count it, others still can."""
    server.fleet.push(cli_actor("test"), "330110", {"exclude_matters": [ALLOWANCE]})
    inside, outside = kiosk_at(server, "s-0001"), kiosk_at(server, "s-0101")
    status, body = inside.post(batch(LAST_HOUR, DONE))
    assert (status, body["code"], body["field"]) == (422, "unknown_matter", "counters[0].matter")
    assert outside.post(batch(LAST_HOUR, DONE))[0] == 201


def test_unsigned_pending_and_wrong_type_are_refused(
    server: FleetApp, kiosk_at: Callable[..., Kiosk], make_agent: Callable[..., Any]
) -> None:
    import requests

    resp = requests.post(server.base_url + "/v1/device/usage", json=batch(LAST_HOUR, SERVED),
                         timeout=30)  # fmt: skip
    assert resp.status_code == 401
    kiosk = kiosk_at(server, "s-0001")
    status, body = kiosk.post(json.dumps(batch(LAST_HOUR, SERVED)).encode(), ctype="text/plain")
    assert (status, body["code"]) == (415, "unsupported_media_type")
    assert _stored(server)["usage_batches"] == 0


def test_the_sweep_forgets_batch_keys_a_kiosk_can_no_longer_send(
    server: FleetApp, kiosk_at: Callable[..., Kiosk], clock: Any
) -> None:
    kiosk = kiosk_at(server, "s-0001")
    assert kiosk.post(batch(LAST_HOUR, SERVED))[0] == 201
    assert server.fleet.sweep()["usage_batches"] == 0
    clock.advance(94 * 86_400)
    assert server.fleet.sweep()["usage_batches"] == 1
    assert _stored(server)["usage_batches"] == 0
    assert _day(server, "33", "sessions_started") == 3  # the counts stay
