"""The pump: enqueue → background thread → sandbox over real HTTP, offline and back."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from kiosk.outbox import ItemState, ItemStatus, Outbox, OutboxPump, Stage, Submission
from kiosk.upstream import Backoff, HttpPlatformClient
from sandbox import SandboxPlatform

MakeSub = Callable[..., Submission]
OpenOutbox = Callable[..., Outbox]
KB = 1024


def _wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    event = threading.Event()
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        event.wait(0.02)
    raise AssertionError("condition not reached")


def _check_delivered(sandbox: SandboxPlatform, outbox: Outbox, prov: str, sub: Submission) -> None:
    """Exactly one application at the platform, every byte of every attachment."""
    rows = sandbox.applications(client_ref=prov)
    assert len(rows) == 1, rows
    status = outbox.lookup(prov)
    assert status is not None and status.state == ItemState.SENT
    assert status.case_no == rows[0]["case_no"]
    for i, attachment in enumerate(sub.attachments):
        assert sandbox.attachment_bytes(rows[0]["case_no"], i) == attachment.data
    assert sandbox.application(rows[0]["case_no"])["status"] == "accepted"


def test_the_pump_sends_in_the_background(
    sandbox: SandboxPlatform, outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    changes: list[ItemStatus] = []
    pump = OutboxPump(outbox, client, on_change=changes.append)
    pump.start()
    subs = [make_sub(sizes=(300 * KB, 10 * KB)), make_sub(sizes=()), make_sub()]
    queued = [outbox.enqueue(s) for s in subs]  # the enqueue kicks the pump
    _wait_for(lambda: outbox.depth() == 0)
    pump.stop()
    for q, s in zip(queued, subs, strict=True):
        _check_delivered(sandbox, outbox, q.provisional_no, s)
    sent = [c.provisional_no for c in changes if c.state == ItemState.SENT]
    assert sent == [q.provisional_no for q in queued]
    assert all(c.stage in (Stage.ATTACHMENTS, Stage.APPLICATION, Stage.DONE) for c in changes)


def test_offline_the_kiosk_keeps_accepting_and_maps_numbers_later(
    sandbox: SandboxPlatform, outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    sandbox.stop()
    subs = [make_sub(), make_sub()]
    queued = [outbox.enqueue(s) for s in subs]
    assert all(outbox.try_reserve_case_number(q, client, timeout=0.5) is None for q in queued)
    pump = OutboxPump(outbox, client)
    report = pump.run_once()
    assert (report.sent, report.failed, report.remaining, report.error) == (0, 1, 2, "network")
    sandbox.start()  # the same port: the network is back
    assert pump.run_once(force=True).sent == 2
    for q, s in zip(queued, subs, strict=True):
        _check_delivered(sandbox, outbox, q.provisional_no, s)
        status = outbox.lookup(q.provisional_no)
        assert status is not None and status.case_no is not None
        assert outbox.lookup(status.case_no) == status


def test_retries_back_off_with_full_jitter_and_honour_retry_after(
    open_outbox: OpenOutbox, sandbox: SandboxPlatform, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    now = [1_767_229_200.0]
    outbox = open_outbox(clock=lambda: now[0])
    pump = OutboxPump(outbox, client, backoff=Backoff(base=2.0, cap=10.0), rand=lambda: 1.0)
    prov = outbox.enqueue(make_sub(sizes=())).provisional_no
    sandbox.faults.add("status", count=4, status=503)
    waits = []
    for _ in range(4):
        pump.run_once(force=True)
        waits.append(outbox.db.one("SELECT next_attempt_at FROM items")[0] - now[0])  # type: ignore[index]
    assert waits == [2.0, 4.0, 8.0, 10.0]  # base·2^n capped, times rand()=1.0
    assert outbox.progress.due() == []  # not due before its time
    sandbox.faults.add("status", status=503, retry_after="120")
    pump.run_once(force=True)
    assert outbox.db.one("SELECT next_attempt_at FROM items")[0] - now[0] == 120.0  # type: ignore[index]
    now[0] += 120
    assert pump.run_once().sent == 1
    status = outbox.lookup(prov)
    outbox.close()
    assert status is not None and status.attempts == 5 and status.last_error is None


def test_a_rejected_item_is_kept_for_staff_and_does_not_block_the_queue(
    sandbox: SandboxPlatform, outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    bad = outbox.enqueue(make_sub())
    good = outbox.enqueue(make_sub())
    sandbox.faults.add("status", method="POST", path_prefix="/v1/applications", status=422)
    report = OutboxPump(outbox, client).run_once()
    assert (report.sent, report.rejected) == (1, 1)
    status = outbox.lookup(bad.provisional_no)
    assert status is not None and status.state == ItemState.REJECTED
    assert status.last_error == "injected_fault"
    assert outbox.applicant_masked(bad.provisional_no) is not None  # data kept for staff
    assert outbox.discard(bad.provisional_no)
    assert outbox.applicant_masked(bad.provisional_no) is None
    assert outbox.lookup(good.provisional_no).state == ItemState.SENT  # type: ignore[union-attr]


class _Crash(BaseException):
    """Stands in for a power cut in the middle of the pump's work."""


def test_after_a_crash_mid_upload_the_next_start_resumes_at_the_stored_offset(
    open_outbox: OpenOutbox, sandbox: SandboxPlatform, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    chunks = []

    def crash_after_two_chunks(name: str) -> None:
        if name == "pump.chunk.answered":
            chunks.append(name)
            if len(chunks) == 2:
                raise _Crash

    first = open_outbox(failpoint=crash_after_two_chunks)
    sub = make_sub(sizes=(900 * KB,))
    prov = first.enqueue(sub).provisional_no
    with pytest.raises(_Crash):
        OutboxPump(first, client).run_once()
    first.close()
    second = open_outbox()
    status = second.lookup(prov)
    assert status is not None and status.bytes_acked == 256 * KB  # the 2nd ack was not stored
    assert OutboxPump(second, client).run_once().sent == 1
    _check_delivered(sandbox, second, prov, sub)
    second.close()
    patched = [(off, st) for m, _, st, off in sandbox.dispatcher.journal if m == "PATCH"]
    offsets = [int(off or -1) for off, st in patched if st == 204]
    assert offsets == [0, 256 * KB, 512 * KB, 768 * KB]  # the server's offset was asked first
    assert all(st == 204 for _, st in patched)


def test_stop_is_prompt_and_on_change_errors_do_not_kill_the_pump(
    sandbox: SandboxPlatform, outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    def broken(status: ItemStatus) -> None:
        raise RuntimeError("ui gone")

    pump = OutboxPump(outbox, client, on_change=broken, idle=3600)
    pump.start()
    outbox.enqueue(make_sub(sizes=()))
    outbox.enqueue(make_sub(sizes=()))
    _wait_for(lambda: outbox.depth() == 0)
    thread = pump._thread
    pump.stop()
    assert thread is not None and not thread.is_alive()
    assert outbox.counts()["sent"] == 2
