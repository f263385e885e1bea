"""Ratings and complaints are kept like applications (never lost, sent once), and a
correction (退回补正) is queued against its known case number."""

from __future__ import annotations

import dataclasses as dc
from collections.abc import Callable
from pathlib import Path

from kiosk.outbox import ItemState, Outbox, OutboxPump, Submission
from kiosk.upstream import HttpPlatformClient
from kiosk.upstream.service_models import Complaint, Rating
from sandbox import ReviewPolicy, SandboxPlatform

from .conftest import ID_NUMBER, PHONE

MakeSub = Callable[..., Submission]
COMPLAINT_TEXT = "等了很久没人管"


def _complaint(**kw: object) -> dict[str, object]:
    c = Complaint("efficiency", COMPLAINT_TEXT, "kiosk", "ST-0001", contact_phone=PHONE)
    return {k: v for k, v in dc.asdict(c).items() if v is not None} | kw


def _rating_body(level: int = 2) -> dict[str, object]:
    r = Rating(
        "placeholder",
        "330110-MZ-012",
        "区民政局",
        "330110",
        "kiosk",
        "ST-0001",
        level,
        ["too_slow"],
        "太慢",
    )
    return {k: v for k, v in dc.asdict(r).items() if v is not None and k != "case_no"}


def test_a_complaint_made_offline_has_a_reference_at_once_and_is_sent_once_back_online(
    sandbox: SandboxPlatform, outbox: Outbox, client: HttpPlatformClient, tmp_path: Path
) -> None:
    sandbox.stop()
    ref = outbox.messages.enqueue("complaint", _complaint(), station_id="ST-0001")
    assert ref.startswith("TS-ST-0001-") and ref.endswith("-0001")
    assert outbox.try_send_message(ref, client) is None  # offline: the paper shows ref
    raw = b"".join(p.read_bytes() for p in (tmp_path / "state").glob("outbox.db*"))
    assert COMPLAINT_TEXT.encode() not in raw and PHONE.encode() not in raw  # sealed
    pump = OutboxPump(outbox, client)
    report = pump.run_once(force=True)
    assert report.error is not None and outbox.messages.status(ref).state == "pending"
    sandbox.start()
    assert pump.run_once(force=True).messages_sent == 1
    assert pump.run_once(force=True).messages_sent == 0
    status = outbox.messages.status(ref)
    assert status is not None and status.state == "sent" and status.remote_id.startswith("C")
    assert len(sandbox.db.query("SELECT * FROM complaints")) == 1
    assert outbox.db.one("SELECT payload FROM messages")[0] is None  # purged once sent


def test_a_rating_waits_for_its_case_number_then_carries_it(
    sandbox: SandboxPlatform, outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    sandbox.stop()
    queued = outbox.enqueue(make_sub(sizes=()))
    ref = outbox.messages.enqueue(
        "rating", _rating_body(), station_id="ST-0001", case_ref=queued.provisional_no
    )
    sandbox.start()
    pump = OutboxPump(outbox, client)
    pump.run_once(force=True)  # sends the application, then the rating
    case_no = outbox.lookup(queued.provisional_no).case_no
    assert case_no and outbox.messages.status(ref).state == "sent"
    stored = sandbox.db.query("SELECT body FROM ratings")[0][0]
    assert f'"case_no": "{case_no}"' in stored and '"reasons": ["too_slow"]' in stored


def test_a_rating_the_platform_refuses_is_kept_not_retried(
    outbox: Outbox, client: HttpPlatformClient
) -> None:
    ref = outbox.messages.enqueue(
        "rating", _rating_body() | {"reasons": []}, station_id="ST-0001", case_ref="X-1"
    )
    pump = OutboxPump(outbox, client)
    pump.run_once(force=True)
    status = outbox.messages.status(ref)
    assert status is not None and status.state == "rejected" and status.last_error
    assert pump.run_once(force=True).messages_sent == 0


def test_a_correction_is_queued_against_its_case_and_needs_no_new_number(
    tmp_path: Path, outbox: Outbox, make_sub: MakeSub
) -> None:
    quick = ReviewPolicy(review_after=0, decide_after=0)  # decided on acceptance
    with SandboxPlatform(tmp_path / "quick.db", review=quick) as sandbox:
        client = HttpPlatformClient(sandbox.base_url, "K-0001", sandbox.register_device("K-0001"))
        _correct(sandbox, outbox, OutboxPump(outbox, client), make_sub)
        client.close()


def _correct(sandbox: SandboxPlatform, outbox: Outbox, pump: OutboxPump, make_sub: MakeSub) -> None:
    first = outbox.enqueue(make_sub(sizes=(2_000,)))
    pump.run_once(force=True)
    case_no = outbox.lookup(first.provisional_no).case_no
    sandbox.set_review_outcome(case_no, "returned", ["M0"])
    fix = outbox.enqueue(make_sub(sizes=(3_000,), kind="correction", case_no=case_no))
    assert fix.case_no == case_no and fix.number == case_no
    pump.run_once(force=True)
    assert outbox.lookup(fix.provisional_no).state == ItemState.SENT
    assert sandbox.corrections(case_no)[0]["materials"] == ["M0"]
    issued = sandbox.db.query("SELECT COUNT(*) FROM case_numbers")[0][0]
    assert issued == 1
    assert ID_NUMBER
