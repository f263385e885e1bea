"""The data behind ``kiosk outbox status|list|flush``: complete, and masked."""

from __future__ import annotations

import json
from collections.abc import Callable

from kiosk.outbox import Outbox, Submission
from kiosk.outbox.report import empty_status_report, flush, list_rows, status_report
from kiosk.upstream import HttpPlatformClient
from sandbox import SandboxPlatform

MakeSub = Callable[..., Submission]


def test_status_list_and_flush(
    sandbox: SandboxPlatform, outbox: Outbox, client: HttpPlatformClient, make_sub: MakeSub
) -> None:
    sandbox.stop()
    first = outbox.enqueue(make_sub())
    outbox.confirm_receipt(first.provisional_no)
    second = outbox.enqueue(make_sub(sizes=()))
    status = status_report(outbox)
    assert status["counts"] == {"pending": 2, "sent": 0, "rejected": 0}
    assert status["depth"] == 2 and status["last_success"] is None
    assert status["unconfirmed"] == [second.provisional_no]
    rows = list_rows(outbox)
    assert [r["number"] for r in rows] == [second.provisional_no, first.provisional_no]
    assert rows[1]["applicant"] == "欧*** 3301**********987X" and rows[1]["attachments"] == "0/2"
    text = json.dumps(rows, ensure_ascii=False)
    assert "欧阳明月" not in text and "33010219851231987X" not in text
    assert flush(outbox, client).error == "network"
    sandbox.start()
    report = flush(outbox, client)
    assert (report.sent, report.remaining) == (2, 0)
    after = status_report(outbox)
    assert after["counts"]["sent"] == 2 and after["last_success"].endswith("+08:00")
    assert all(r["applicant"] == "" and r["case_no"] for r in list_rows(outbox))


def test_the_report_of_no_outbox_is_the_report_of_an_empty_one(outbox: Outbox) -> None:
    # What `kiosk outbox status` shows on a kiosk that has not run (issue 19, item 7a).
    assert empty_status_report() == status_report(outbox)
