"""Staff accounts: personal numbers bound to a station, hashed PINs, lockout, the
signed-in agent's idle sign-out, and an audit log that shows tampering."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.identity import Identity
from kiosk.staff import (
    AuditLog,
    Consent,
    Cost,
    Locked,
    OtherStation,
    StaffDesk,
    StaffError,
    StaffStore,
    masked_subject,
)
from tests.support import FakeClock

CHEAP = Cost(n=2**8, r=1, p=1)  # tests only: the kiosk uses scrypt at 2**14


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_000.0)


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> StaffStore:
    s = StaffStore(tmp_path / "staff.db", max_failures=3, lockout_s=600, cost=CHEAP, clock=clock)
    s.add("A-007", "李代办", "208731", "ST-1", card_id="CARD-01")
    s.add("B-001", "王柜员", "480192", "ST-2")
    return s


def test_pins_are_personal_hashed_and_not_trivial(store: StaffStore, tmp_path: Path) -> None:
    assert store.verify_pin("A-007", "208731", "ST-1").name == "李代办"
    raw = (tmp_path / "staff.db").read_bytes()
    assert b"208731" not in raw
    for weak in ("123456", "000000", "12345", "abcdef"):
        with pytest.raises(ValueError):
            store.add("C-001", "赵", weak, "ST-1")
    with pytest.raises(sqlite3.IntegrityError):
        store.add("A-007", "冒名", "739104", "ST-1")  # one number, one person


def test_a_number_of_another_station_is_refused_here(store: StaffStore) -> None:
    with pytest.raises(OtherStation) as err:
        store.verify_pin("B-001", "480192", "ST-1")
    assert err.value.key == "staff.error.other_station"


def test_wrong_pins_lock_the_number_for_a_while(store: StaffStore, clock: FakeClock) -> None:
    for _ in range(2):
        with pytest.raises(StaffError) as err:
            store.verify_pin("A-007", "999999", "ST-1")
        assert not isinstance(err.value, Locked)
    with pytest.raises(Locked):
        store.verify_pin("A-007", "999999", "ST-1")
    with pytest.raises(Locked):  # even the right PIN, while locked
        store.verify_pin("A-007", "208731", "ST-1")
    clock.now += 601
    assert store.verify_pin("A-007", "208731", "ST-1").staff_no == "A-007"
    with pytest.raises(StaffError):
        store.verify_pin("NOBODY", "208731", "ST-1")


def test_a_staff_card_signs_in_with_the_same_pin(store: StaffStore) -> None:
    assert store.verify_card("CARD-01", "208731", "ST-1").staff_no == "A-007"
    with pytest.raises(StaffError):
        store.verify_card("CARD-01", "480192", "ST-1")
    store.set_active("A-007", False)
    with pytest.raises(StaffError):
        store.verify_card("CARD-01", "208731", "ST-1")


def test_the_desk_signs_out_an_idle_agent_and_audits_it_all(
    store: StaffStore, tmp_path: Path, clock: FakeClock
) -> None:
    audit = AuditLog(tmp_path / "audit.db", "ST-1", clock=clock)
    desk = StaffDesk(store, audit, "ST-1", idle_s=600, clock=clock)
    with pytest.raises(StaffError):
        desk.sign_in_pin("A-007", "111112")
    assert desk.current is None
    desk.sign_in_pin("A-007", "208731")
    clock.now += 500
    desk.touch()
    clock.now += 500
    assert desk.current is not None and desk.current.staff_no == "A-007"
    clock.now += 601
    assert desk.current is None
    actions = [(e.staff_no, e.action, e.outcome, e.detail) for e in audit.query()]
    assert actions == [
        ("A-007", "sign_in", "refused", "staff.error.bad_credentials"),
        ("A-007", "sign_in", "ok", ""),
        ("A-007", "sign_out", "ok", "idle"),
    ]


def test_the_audit_log_is_a_chain_the_fleet_reads_in_pieces(
    tmp_path: Path, clock: FakeClock
) -> None:
    audit = AuditLog(tmp_path / "audit.db", "ST-1", clock=clock)
    who = Identity("idcard", "resident", "110101194501011236", "王秀英")
    subject = masked_subject(who, "child")
    assert subject == "王** 1101**********1236 (child)"
    first = audit.record("A-007", "consent", subject=subject, detail="paper")
    audit.record("A-007", "submit", subject=subject, matter_code="M-1", reference="LS-1")
    assert [e.action for e in audit.query(after_seq=first.seq)] == ["submit"]
    assert audit.query(staff_no="B-001") == []
    assert audit.verify()
    audit.close()
    conn = sqlite3.connect(tmp_path / "audit.db")
    conn.execute("UPDATE audit SET outcome = 'refused' WHERE seq = 1")
    conn.commit()
    conn.close()
    assert not AuditLog(tmp_path / "audit.db", "ST-1").verify()
    raw = (tmp_path / "audit.db").read_bytes()
    assert "王秀英".encode() not in raw and b"110101194501011236" not in raw


def test_consent_for_a_household_member_must_be_on_paper() -> None:
    with pytest.raises(ValueError):
        Consent("screen", 0.0, relationship="child")
    with pytest.raises(ValueError):
        Consent("nod", 0.0)
    assert Consent("paper", 0.0, "child").relationship == "child"
