"""``kiosk staff``: add an agent (PIN on stdin, never in argv), list them, and query the
audit log of assisted work as JSON lines, only what is new, and with its chain checked."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.staff import AuditLog
from tests.support.command import run_kiosk

from .conftest import Done

Run = Callable[..., Done]


@pytest.fixture
def staff_cmd(state_dir: Path) -> Run:
    def run(*args: str, stdin: str = "") -> Done:
        done = Done(run_kiosk("staff", *args, stdin=stdin, state_dir=state_dir))
        assert "Traceback" not in done.err, done
        return done

    return run


def lines(done: Done) -> list[dict[str, object]]:
    return [json.loads(line) for line in done.out.splitlines()]


def test_an_agent_is_added_with_the_pin_from_stdin_and_listed_without_it(
    staff_cmd: Run, state_dir: Path
) -> None:
    added = staff_cmd("add", "1007", "李代办", "--card-id", "CARD-1", stdin="208731\n")
    assert added.code == 0, added
    assert lines(added) == [{"added": "1007", "station_id": "demo-0001"}]
    listed = staff_cmd("list")
    assert lines(listed) == [
        {"staff_no": "1007", "name": "李代办", "station_id": "demo-0001", "card": True}
    ]
    assert "208731" not in listed.out
    stored = sqlite3.connect(state_dir / "staff.sqlite3").execute("SELECT * FROM staff").fetchall()
    assert "208731" not in repr(stored)  # hashed, never kept as typed
    again = staff_cmd("add", "1007", "另一人", stdin="208731\n")
    assert again.code == 1 and "already in use" in again.err


def test_a_weak_pin_is_refused_and_nothing_is_added(staff_cmd: Run) -> None:
    done = staff_cmd("add", "1008", "张代办", stdin="123456\n")
    assert done.code == 2 and "PIN" in done.err
    assert staff_cmd("list").out == ""


def test_the_audit_log_is_printed_filtered_and_verified(staff_cmd: Run, state_dir: Path) -> None:
    assert staff_cmd("audit").code == 1  # nothing recorded yet: said, not an empty success
    clock = iter([1_700_000_000.0, 1_700_000_100.0, 1_800_000_000.0])
    log = AuditLog(state_dir / "audit.sqlite3", "demo-0001", clock=lambda: next(clock))
    log.record("1007", "sign_in")
    log.record(
        "1007", "submit", subject="王** 1101**********1236", matter_code="M1", reference="C1"
    )
    log.record("2001", "sign_in", outcome="refused", detail="staff.error.bad_credentials")
    log.close()
    every = lines(staff_cmd("audit"))
    assert [e["action"] for e in every] == ["sign_in", "submit", "sign_in"]
    assert every[1]["subject"] == "王** 1101**********1236"
    assert [e["seq"] for e in lines(staff_cmd("audit", "--after-seq", "2"))] == [3]
    assert [e["staff_no"] for e in lines(staff_cmd("audit", "--staff", "2001"))] == ["2001"]
    assert len(lines(staff_cmd("audit", "--since", "2027-01-01"))) == 1
    assert lines(staff_cmd("audit", "--verify")) == [{"chain_intact": True}]
    bad = staff_cmd("audit", "--since", "yesterday")
    assert bad.code == 2 and "ISO" in bad.err
    conn = sqlite3.connect(state_dir / "audit.sqlite3")
    conn.execute("UPDATE audit SET subject = '王秀英' WHERE seq = 2")
    conn.commit()
    conn.close()
    tampered = staff_cmd("audit", "--verify")
    assert tampered.code == 1 and lines(tampered) == [{"chain_intact": False}]


def test_a_technician_is_added_to_the_technicians_list_not_the_agents(
    staff_cmd: Run, state_dir: Path
) -> None:
    from kiosk.maint.technicians import open_store

    added = staff_cmd("add", "T-042", "赵师傅", "--technician", stdin="583920\n")
    assert added.code == 0, added
    assert staff_cmd("list").out == ""  # not an agent: cannot act for citizens
    assert [r["staff_no"] for r in lines(staff_cmd("list", "--technician"))] == ["T-042"]
    store = open_store(state_dir)
    try:
        assert store.verify_pin("T-042", "583920", "demo-0001").name == "赵师傅"
    finally:
        store.close()
