"""Technician sign-in: personal PIN or card + PIN, lockout, and every attempt audited and
reported to the fleet without the PIN anywhere."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from kiosk.maint import TechnicianDesk
from kiosk.maint.technicians import ENTERED, FAILED, LEFT, LOCKED, open_store
from kiosk.staff import AuditLog
from kiosk.staff.accounts import Cost, Locked, StaffError
from tests.support import FakeClock

CHEAP = Cost(n=2**8, r=1, p=1)  # tests only
PIN, WRONG = "482913", "000111"
CARD = "110100D156000005000000000C0FFEE1"


@pytest.fixture
def desk(tmp_path: Path) -> tuple[TechnicianDesk, list[dict[str, Any]], FakeClock]:
    clock = FakeClock(1_000_000.0)
    store = open_store(tmp_path, max_failures=3, lockout_s=600, cost=CHEAP, clock=clock)
    store.add("900101", "李工", PIN, "st-1", card_id=CARD)
    store.add("900102", "王工", "739104", "st-2")
    events: list[dict[str, Any]] = []
    audit = AuditLog(tmp_path / "audit.sqlite3", "st-1", clock=clock)
    return TechnicianDesk(store, audit, "st-1", report=events.append, clock=clock), events, clock


def test_a_personal_pin_gets_in_and_is_audited_and_reported(desk: Any) -> None:
    d, events, _ = desk
    member = d.sign_in(PIN, number="900101")
    assert member.staff_no == "900101" and d.current == member
    (entry,) = d.audit.query()
    assert (entry.staff_no, entry.action, entry.outcome, entry.detail) == (
        "900101",
        ENTERED,
        "ok",
        "pin",
    )
    assert events == [
        {"kind": ENTERED, "at": 1_000_000.0, "technician": "900101", "method": "pin", "detail": ""}
    ]
    d.leave("finished")
    assert d.current is None and [e["kind"] for e in events] == [ENTERED, LEFT]


def test_a_technician_card_still_needs_the_pin(desk: Any) -> None:
    d, events, _ = desk
    with pytest.raises(StaffError):
        d.sign_in(WRONG, card_id=CARD)
    assert d.current is None
    assert d.sign_in(PIN, card_id=CARD).staff_no == "900101"
    assert [(e["kind"], e["method"]) for e in events] == [(FAILED, "card"), (ENTERED, "card")]


def test_wrong_pins_lock_the_number_and_each_is_audited(desk: Any, caplog: Any) -> None:
    d, events, clock = desk
    caplog.set_level(logging.DEBUG)
    for _ in range(2):
        with pytest.raises(StaffError) as info:
            d.sign_in(WRONG, number="900101")
        assert not isinstance(info.value, Locked)
    with pytest.raises(Locked):
        d.sign_in(WRONG, number="900101")
    with pytest.raises(Locked):  # even the right PIN, while locked
        d.sign_in(PIN, number="900101")
    assert [e["kind"] for e in events] == [FAILED, FAILED, LOCKED, LOCKED]
    assert [e.action for e in d.audit.query()] == [FAILED, FAILED, LOCKED, LOCKED]
    clock.now += 601
    assert d.sign_in(PIN, number="900101").staff_no == "900101"
    everything = caplog.text + json.dumps(events) + repr(d.audit.query())
    assert PIN not in everything and WRONG not in everything


def test_no_shared_code_and_no_one_from_another_station(desk: Any) -> None:
    d, events, _ = desk
    with pytest.raises(StaffError):
        d.sign_in("739104", number="900102")  # right PIN, wrong station
    with pytest.raises(StaffError):
        d.sign_in(PIN)  # a PIN alone (a "shared code") is not a way in
    assert d.current is None
    assert [e["kind"] for e in events] == [FAILED]  # the wrong station's try is on record


def test_an_unknown_number_is_recorded_as_unknown_not_as_typed(desk: Any) -> None:
    d, events, _ = desk
    typed = "110101194001011234"  # what a citizen might type: an ID number
    with pytest.raises(StaffError):
        d.sign_in(WRONG, number=typed)
    assert events[-1]["technician"] == "unknown"
    assert typed not in repr(d.audit.query())


def test_a_failing_fleet_queue_does_not_stop_the_technician(tmp_path: Path) -> None:
    store = open_store(tmp_path, cost=CHEAP)
    store.add("900101", "李工", PIN, "st-1")

    def broken(_event: dict[str, Any]) -> None:
        raise OSError("disk full")

    audit = AuditLog(tmp_path / "audit.sqlite3", "st-1")
    d = TechnicianDesk(store, audit, "st-1", report=broken)
    assert d.sign_in(PIN, number="900101").staff_no == "900101"
    assert [e.action for e in audit.query()] == [ENTERED]
