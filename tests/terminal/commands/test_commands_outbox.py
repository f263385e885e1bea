"""``kiosk outbox status|list|flush`` and ``kiosk print reprint|status``, with and
without a kiosk running on the same state directory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devices.printer import decode
from kiosk.outbox import Outbox, load_or_create_key
from sandbox import SandboxPlatform
from terminal.runtime import Runtime
from terminal.wiring import outbox_db, outbox_key, sandbox_db

Kiosk = Callable[..., Any]  # conftest.kiosk_cmd: run the command, get a Done
Start = Callable[..., Runtime]
NAME, ID_NUMBER = "欧阳明月", "33010219851231987X"


def _queue(state_dir: Path, count: int, submission: Callable[[], Any]) -> list[str]:
    """Applications saved by a kiosk that has since stopped."""
    outbox = Outbox(outbox_db(state_dir), load_or_create_key(outbox_key(state_dir)))
    numbers = [outbox.enqueue(submission()).provisional_no for _ in range(count)]
    outbox.close()
    return numbers


def test_a_kiosk_that_has_not_run_reports_zero_and_creates_nothing(
    kiosk_cmd: Kiosk, state_dir: Path
) -> None:
    # Regression (issue 19, item 7a): `kiosk outbox status` on a kiosk that had not run
    # yet exited 2 with "no outbox"; a technician's first look should read zero instead.
    status = kiosk_cmd("outbox", "status", "--json")
    assert status.code == 0, status
    assert status.json() == {
        "counts": {"pending": 0, "sent": 0, "rejected": 0},
        "depth": 0,
        "oldest_pending_age_s": None,
        "last_success": None,
        "unconfirmed": [],
        "receipts_to_reprint": [],
    }
    human = kiosk_cmd("outbox", "status")
    assert human.code == 0, human
    assert human.out.splitlines()[0] == "pending 0, sent 0, rejected 0"
    listing = kiosk_cmd("outbox", "list", "--json")
    assert listing.code == 0 and listing.json() == [], listing
    # Sending needs an outbox: flush still says there is none, and nothing was created.
    flush = kiosk_cmd("outbox", "flush")
    assert flush.code == 2
    assert flush.err == f"kiosk: no outbox in {state_dir} (no kiosk has run there)\n"
    assert not outbox_db(state_dir).exists() and not outbox_key(state_dir).exists()


def test_status_list_and_flush_with_no_kiosk_running(
    kiosk_cmd: Kiosk, state_dir: Path, submission: Callable[[], Any]
) -> None:
    numbers = _queue(state_dir, 2, submission)
    status = kiosk_cmd("outbox", "status", "--json")
    assert status.code == 0, status
    report = status.json()
    assert report["counts"] == {"pending": 2, "sent": 0, "rejected": 0}
    assert report["unconfirmed"] == numbers and report["receipts_to_reprint"] == []
    human = kiosk_cmd("outbox", "status")
    assert human.code == 0 and "pending 2" in human.out and numbers[0] in human.out
    listing = kiosk_cmd("outbox", "list")
    assert listing.code == 0 and numbers[1] in listing.out
    assert "欧*** 3301**********987X" in listing.out
    assert NAME not in listing.out and ID_NUMBER not in listing.out
    rows = kiosk_cmd("outbox", "list", "--json").json()
    assert [r["number"] for r in rows] == numbers[::-1]
    # Sent from this command: the embedded sandbox's database in the state directory.
    flush = kiosk_cmd("outbox", "flush")
    assert flush.code == 0, flush
    assert flush.json() | {"via": "direct"} == {
        "sent": 2,
        "rejected": 0,
        "failed": 0,
        "remaining": 0,
        "error": None,
        "via": "direct",
        "messages_sent": 0,  # ratings and complaints: none queued here
    }
    sandbox = SandboxPlatform(sandbox_db(state_dir))
    try:
        assert sorted(a["client_ref"] for a in sandbox.applications()) == numbers
    finally:
        sandbox.close()
    after = kiosk_cmd("outbox", "status", "--json").json()
    assert after["counts"]["sent"] == 2 and after["last_success"]
    assert all(r["applicant"] == "" for r in kiosk_cmd("outbox", "list", "--json").json())


def test_flush_to_a_platform_that_is_down_fails_in_one_line(
    kiosk_cmd: Kiosk, state_dir: Path, tmp_path: Path, submission: Callable[[], Any]
) -> None:
    _queue(state_dir, 1, submission)
    site = tmp_path / "site.toml"
    site.write_text('[platform]\nurl = "http://127.0.0.1:9"\ntoken = "t"\n', encoding="utf-8")
    done = kiosk_cmd("outbox", "flush", "--config", str(site))
    assert done.code == 1 and done.err == "kiosk: 1 not sent: network\n"
    assert done.json()["failed"] == 1
    assert kiosk_cmd("outbox", "status", "--json").json()["counts"]["pending"] == 1


def test_flush_beside_a_running_kiosk_is_done_by_that_kiosk(
    kiosk_cmd: Kiosk, start: Start, submission: Callable[[], Any]
) -> None:
    runtime = start()  # its pump is off: only the flush can send
    queued = runtime.outbox.enqueue(submission())
    status = kiosk_cmd("outbox", "status", "--json")  # reading beside the kiosk is fine
    assert status.code == 0 and status.json()["depth"] == 1
    done = kiosk_cmd("outbox", "flush")
    assert done.code == 0, done
    assert done.json()["via"] == "kiosk" and done.json()["sent"] == 1
    (stored,) = runtime.sandbox.applications()  # the kiosk's own embedded sandbox, once
    assert stored["client_ref"] == queued.provisional_no
    assert runtime.outbox.depth() == 0


def test_print_commands_beside_a_running_kiosk_use_its_printer(
    kiosk_cmd: Kiosk, start: Start
) -> None:
    runtime = start()
    sim = runtime.simulators.printer
    sim.set_paper("out")
    status = kiosk_cmd("print", "status")
    assert status.code == 1 and status.json()["supplies"] == {"paper": "out"}
    sim.set_paper("ok")
    jobs = len(sim.jobs)
    done = kiosk_cmd("print", "test")
    assert done.code == 0, done
    assert len(sim.jobs) == jobs + 1 and "TEST-80mm" in decode(sim.jobs[-1]).qr_payloads


def test_reprint_a_kept_receipt_through_the_running_kiosk_and_without_it(
    kiosk_cmd: Kiosk, start: Start, state_dir: Path, submission: Callable[[], Any]
) -> None:
    runtime = start()
    sim = runtime.simulators.printer
    queued = runtime.outbox.enqueue(submission())
    sim.set_paper("out")
    assert runtime.intake.reprint(queued.provisional_no) is False  # kept, not printed
    assert kiosk_cmd("print", "reprint", queued.provisional_no).code == 1
    sim.set_paper("ok")
    done = kiosk_cmd("print", "reprint", queued.provisional_no)
    assert done.code == 0 and done.json() == {"number": queued.provisional_no, "printed": True}
    assert queued.provisional_no in decode(sim.jobs[-1]).text
    runtime.close()
    # no kiosk now: the command owns the state directory and its (simulated) printer
    again = kiosk_cmd("print", "reprint", queued.provisional_no)
    assert again.code == 0, again
    unknown = kiosk_cmd("print", "reprint", "LS-nobody-20260101-0001")
    assert unknown.code == 1 and "no application or kept receipt" in unknown.err
    assert json.loads(kiosk_cmd("outbox", "status", "--json").out)["unconfirmed"] == []
