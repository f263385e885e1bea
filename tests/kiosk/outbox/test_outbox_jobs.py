"""Receipts kept for a reprint, and the lookup that understands both numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.outbox import CryptoError, Outbox, Submission
from kiosk.outbox.jobs import RETENTION_S
from kiosk.outbox.report import status_report
from kiosk.upstream import HttpPlatformClient

MakeSub = Callable[..., Submission]
OpenOutbox = Callable[..., Outbox]
JOB = "受理回执 张* 3301**********987X JOB-MARKER".encode("gb18030")


def test_a_kept_job_is_found_by_either_number_and_deleted_once_printed(
    outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    queued = outbox.enqueue(make_sub(sizes=()))
    prov = queued.provisional_no
    outbox.jobs.keep(prov, prov, JOB)
    case_no = outbox.try_reserve_case_number(queued, client)
    assert case_no is not None
    for number in (prov, case_no):
        job = outbox.jobs.find(number)
        assert job is not None and job.number == prov and outbox.jobs.data(job) == JOB
    assert outbox.jobs.find("LS-NOPE") is None
    job = outbox.jobs.find(case_no)
    assert job is not None
    outbox.jobs.failed(job, "paper_out")
    outbox.jobs.failed(job, "paper_out")
    (pending,) = outbox.jobs.pending()
    assert (pending.attempts, pending.last_error) == (2, "paper_out")
    assert status_report(outbox)["receipts_to_reprint"] == [prov]
    outbox.jobs.printed(job)
    assert outbox.jobs.find(prov) is None and outbox.jobs.pending() == []


def test_keeping_again_replaces_the_job(outbox: Outbox, make_sub: MakeSub) -> None:
    prov = outbox.enqueue(make_sub(sizes=())).provisional_no
    outbox.jobs.keep(prov, prov, b"first")
    outbox.jobs.keep(prov, "3301-CASE", b"second")
    (job,) = outbox.jobs.pending()
    assert job.number == "3301-CASE" and outbox.jobs.data(job) == b"second"


def test_kept_jobs_are_sealed_at_rest_and_bound_to_their_item(
    tmp_path: Path, outbox: Outbox, make_sub: MakeSub
) -> None:
    first = outbox.enqueue(make_sub(sizes=())).provisional_no
    second = outbox.enqueue(make_sub(sizes=())).provisional_no
    outbox.jobs.keep(first, first, JOB)
    outbox.jobs.keep(second, second, b"other")
    state = tmp_path / "state"
    on_disk = b"".join(p.read_bytes() for p in state.iterdir() if p.name.startswith("outbox"))
    assert b"JOB-MARKER" not in on_disk
    # a blob copied onto another item's row does not open
    with outbox.db.tx() as conn:
        conn.execute(
            "UPDATE print_jobs SET data = (SELECT data FROM print_jobs WHERE provisional_no = ?)"
            " WHERE provisional_no = ?",
            (first, second),
        )
    job = outbox.jobs.find(second)
    assert job is not None
    with pytest.raises(CryptoError):
        outbox.jobs.data(job)


def test_jobs_older_than_the_retention_are_purged(
    open_outbox: OpenOutbox, make_sub: MakeSub
) -> None:
    now = [1_767_229_200.0]
    ob = open_outbox(clock=lambda: now[0])
    old = ob.enqueue(make_sub(sizes=())).provisional_no
    ob.jobs.keep(old, old, b"old")
    now[0] += RETENTION_S - 60
    new = ob.enqueue(make_sub(sizes=())).provisional_no
    ob.jobs.keep(new, new, b"new")
    assert ob.jobs.purge_expired() == 0
    now[0] += 120
    assert ob.jobs.purge_expired() == 1
    assert [j.number for j in ob.jobs.pending()] == [new]
    ob.close()


def test_lookup_understands_the_provisional_and_the_case_number(
    outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    queued = outbox.enqueue(make_sub(sizes=()))
    before = outbox.lookup(queued.provisional_no)
    assert before is not None and before.case_no is None
    assert before.number == queued.provisional_no
    case_no = outbox.try_reserve_case_number(queued, client)
    assert case_no is not None
    by_prov, by_case = outbox.lookup(queued.provisional_no), outbox.lookup(case_no)
    assert by_prov is not None and by_prov == by_case
    assert (by_prov.case_no, by_prov.number) == (case_no, case_no)
    assert outbox.lookup("LS-ST-0001-20000101-9999") is None
    assert outbox.lookup("") is None
