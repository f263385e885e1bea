"""The outbox store: durable enqueue, provisional numbers, lookups, heartbeat figures."""

from __future__ import annotations

import dataclasses as dc
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.outbox import CryptoError, ItemState, Outbox, Stage, Submission, load_or_create_key
from kiosk.upstream import HttpPlatformClient
from sandbox import SandboxPlatform
from tests.support import FakeClock

MakeSub = Callable[..., Submission]
OpenOutbox = Callable[..., Outbox]
T0 = 1_767_229_200.0  # 2026-01-01 09:00 CST


def test_enqueue_commits_before_it_returns(
    tmp_path: Path, key: bytes, outbox: Outbox, make_sub: MakeSub
) -> None:
    queued = outbox.enqueue(make_sub())
    assert re.fullmatch(r"LS-ST-0001-\d{8}-0001", queued.provisional_no)
    assert len(queued.idem_key) == 32 and queued.number == queued.provisional_no
    # another connection, as after a crash, sees the committed row at once
    other = Outbox(tmp_path / "state" / "outbox.db", key)
    status = other.lookup(queued.provisional_no)
    other.close()
    assert status is not None and status.state == ItemState.PENDING
    assert status.stage == Stage.CASE_NUMBER and status.attachments_total == 2


def test_the_database_is_durable_and_private(tmp_path: Path, outbox: Outbox) -> None:
    path = tmp_path / "state" / "outbox.db"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    row = outbox.db.one("PRAGMA journal_mode")
    assert row is not None and row[0] == "wal"
    assert outbox.db.one("PRAGMA synchronous")[0] == 2  # type: ignore[index]  # FULL
    assert outbox.db.one("PRAGMA secure_delete")[0] == 1  # type: ignore[index]
    assert outbox.integrity_check() == "ok"


def test_provisional_numbers_count_per_station_and_day(
    open_outbox: OpenOutbox, make_sub: MakeSub
) -> None:
    clock = FakeClock(T0)
    ob = open_outbox(clock=clock)
    first = ob.enqueue(make_sub(sizes=())).provisional_no
    second = ob.enqueue(make_sub(sizes=())).provisional_no
    other_station = ob.enqueue(make_sub(sizes=(), station_id="ST-0002")).provisional_no
    clock.now += 86_400
    next_day = ob.enqueue(make_sub(sizes=())).provisional_no
    ob.close()
    assert first == "LS-ST-0001-20260101-0001" and second == "LS-ST-0001-20260101-0002"
    assert other_station == "LS-ST-0002-20260101-0001"
    assert next_day == "LS-ST-0001-20260102-0001"


def test_a_submission_the_platform_would_refuse_is_refused_now(
    outbox: Outbox, make_sub: MakeSub
) -> None:
    with pytest.raises(ValueError, match="channel"):
        outbox.enqueue(make_sub(channel="fax"))
    with pytest.raises(ValueError, match="region_code"):
        outbox.enqueue(make_sub(region_code="33"))
    bad_name = make_sub(sizes=(10,))
    renamed = [dc.replace(bad_name.attachments[0], filename="../x.jpg")]
    with pytest.raises(ValueError, match=r"attachments\[0\]\.filename"):
        outbox.enqueue(dc.replace(bad_name, attachments=renamed))
    assert outbox.depth() == 0
    assert outbox.enqueue(make_sub()).provisional_no.endswith("-0001")  # no number used up


def test_lookup_by_either_number(
    outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    queued = outbox.enqueue(make_sub())
    case_no = outbox.try_reserve_case_number(queued, client)
    assert case_no is not None and case_no.isdigit()
    by_prov, by_case = outbox.lookup(queued.provisional_no), outbox.lookup(case_no)
    assert by_prov == by_case and by_prov is not None
    assert by_prov.case_no == case_no and by_prov.number == case_no
    assert by_prov.stage == Stage.APPLICATION
    assert outbox.lookup("LS-ST-0001-20260101-9999") is None
    # asking again does not ask the platform for a second number
    assert outbox.try_reserve_case_number(queued, client) == case_no


def test_offline_the_fast_path_gives_up_and_the_provisional_number_stands(
    sandbox: SandboxPlatform, outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    sandbox.stop()
    queued = outbox.enqueue(make_sub())
    assert outbox.try_reserve_case_number(queued, client, timeout=0.5) is None
    status = outbox.lookup(queued.provisional_no)
    assert status is not None and status.case_no is None and status.number == queued.provisional_no


def test_saved_but_unconfirmed_receipts_are_listed_until_confirmed(
    outbox: Outbox, make_sub: MakeSub
) -> None:
    a = outbox.enqueue(make_sub(sizes=()))
    b = outbox.enqueue(make_sub(sizes=()))
    outbox.confirm_receipt(a.provisional_no)
    assert [s.provisional_no for s in outbox.unconfirmed()] == [b.provisional_no]
    outbox.confirm_receipt(b.number)
    assert outbox.unconfirmed() == []


def test_heartbeat_figures(open_outbox: OpenOutbox, make_sub: MakeSub) -> None:
    clock = FakeClock(T0)
    ob = open_outbox(clock=clock)
    assert ob.depth() == 0 and ob.oldest_pending_age() is None and ob.last_success() is None
    first = ob.enqueue(make_sub(sizes=()))
    clock.now += 60
    ob.enqueue(make_sub(sizes=()))
    clock.now += 30
    assert ob.depth() == 2 and ob.oldest_pending_age() == 90.0
    seq = ob.progress.due()[0]
    ob.progress.mark_sent(seq)
    assert ob.counts() == {"pending": 1, "sent": 1, "rejected": 0}
    assert ob.last_success() == clock.now and ob.oldest_pending_age() == 30.0
    assert [s.provisional_no for s in ob.list_items(state=ItemState.SENT)] == [first.provisional_no]
    ob.close()


def test_the_key_file_is_made_once_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "state" / "outbox.key"
    key = load_or_create_key(path)
    assert len(key) == 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    assert load_or_create_key(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_bytes(b"short")
    with pytest.raises(CryptoError):
        load_or_create_key(path)


def test_a_bad_key_length_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="16, 24 or 32"):
        Outbox(tmp_path / "o.db", b"0123456789")
    assert not (tmp_path / "o.db").exists()
