"""Personal data is encrypted at rest and purged once the platform has acknowledged it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.outbox import CryptoError, Outbox, OutboxPump, Submission, new_key
from kiosk.outbox.crypto import Sealer
from kiosk.upstream import HttpPlatformClient

MakeSub = Callable[..., Submission]
NAME, ID_NUMBER, PHONE = "欧阳明月", "33010219851231987X", "13912345678"
ADDRESS = "杭州市余杭区良渚街道新港村12号"
SCAN_MARK = b"SCAN-MARKER-0123456789"


def _on_disk(tmp_path: Path) -> bytes:
    """Every byte SQLite keeps for the outbox: the database, its WAL and shared memory."""
    state = tmp_path / "state"
    return b"".join(p.read_bytes() for p in sorted(state.glob("outbox.db*")))


def _planted() -> list[bytes]:
    texts = [NAME, ID_NUMBER, PHONE, ADDRESS, f"{NAME}-身份证-0.jpg"]
    out = [SCAN_MARK]
    for text in texts:
        out += [text.encode("utf-8"), text.encode("utf-16-le"), json.dumps(text).encode()]
    return out


def test_nothing_personal_reaches_the_disk_in_clear(
    tmp_path: Path, outbox: Outbox, make_sub: MakeSub
) -> None:
    for _ in range(3):
        outbox.enqueue(make_sub())
    disk = _on_disk(tmp_path)
    assert len(disk) > 100_000  # the scans are there, sealed
    for planted in _planted():
        assert planted not in disk, planted
    # and the sealed data opens again with the key
    work = outbox.progress.work(outbox.progress.due()[0])
    assert work.application.applicant.name == NAME
    assert outbox.progress.part_data(work, 0).startswith(SCAN_MARK)


def test_the_check_would_see_plain_text(tmp_path: Path) -> None:
    # Proof the scan above can fail: a plain SQLite row with the name is found.
    import sqlite3

    path = tmp_path / "state" / "outbox.db"
    path.parent.mkdir()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (v TEXT)")
        conn.execute("INSERT INTO t VALUES (?)", (NAME,))
    conn.close()
    assert NAME.encode() in _on_disk(tmp_path)


def test_a_wrong_key_opens_nothing_and_loses_nothing(
    tmp_path: Path, outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    queued = outbox.enqueue(make_sub())
    stranger = Outbox(tmp_path / "state" / "outbox.db", new_key())
    with pytest.raises(CryptoError):
        stranger.progress.work(stranger.progress.due()[0])
    report = OutboxPump(stranger, client).run_once()
    assert report.failed == 1 and report.error == "decrypt_failed"
    status = stranger.lookup(queued.provisional_no)
    stranger.close()
    assert (
        status is not None and status.state == "pending" and status.last_error == "decrypt_failed"
    )
    assert OutboxPump(outbox, client).run_once(force=True).sent == 1  # the right key still works


def test_a_blob_moved_to_another_row_does_not_open(outbox: Outbox, make_sub: MakeSub) -> None:
    outbox.enqueue(make_sub())
    outbox.enqueue(make_sub())
    first, second = outbox.progress.due()
    with outbox.db.tx() as conn:
        conn.execute(
            "UPDATE items SET payload = (SELECT payload FROM items WHERE seq = ?) WHERE seq = ?",
            (first, second),
        )
    with pytest.raises(CryptoError):
        outbox.progress.work(second)


def test_tampering_is_detected() -> None:
    sealer = Sealer(new_key())
    blob = bytearray(sealer.seal(b"secret", "item:x"))
    assert sealer.open(bytes(blob), "item:x") == b"secret"
    blob[-1] ^= 1
    with pytest.raises(CryptoError):
        sealer.open(bytes(blob), "item:x")
    with pytest.raises(CryptoError):
        sealer.open(b"\x01short", "item:x")


def test_personal_data_is_purged_after_the_platform_acknowledged_everything(
    tmp_path: Path, outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    queued = outbox.enqueue(make_sub())
    assert outbox.applicant_masked(queued.provisional_no) == "欧*** 3301**********987X"
    OutboxPump(outbox, client).run_once()
    status = outbox.lookup(queued.provisional_no)
    assert status is not None and status.state == "sent" and status.case_no
    assert outbox.applicant_masked(queued.provisional_no) is None
    row = outbox.db.one(
        "SELECT payload FROM items WHERE provisional_no = ?", (queued.provisional_no,)
    )
    assert row is not None and row[0] is None
    parts = outbox.db.query("SELECT data FROM parts")
    assert parts and all(p[0] is None for p in parts)
    assert outbox.lookup(status.case_no) == status  # the mapping stays
