"""The receipt after submitting: printed, or kept and reprinted; never a lost number."""

from __future__ import annotations

from collections.abc import Callable

from devices.printer import decode
from devices.status import SupplyLevel
from kiosk.receipts.qrcodes import receipt_qr
from kiosk.session import Session
from terminal.runtime import Runtime

Start = Callable[..., Runtime]
Ready = Callable[[Runtime], Session]


def printed_text(runtime: Runtime, job: int = -1) -> str:
    printer = runtime.simulators.printer
    assert printer is not None
    return decode(printer.jobs[job], printer.profile.encoding).text


def test_a_printed_receipt_is_not_kept(start: Start, ready_session: Ready) -> None:
    runtime = start()
    sub = runtime.intake.submit(ready_session(runtime))
    assert sub.printed and sub.print_problem is None and not sub.provisional
    assert sub.number in printed_text(runtime)
    assert runtime.outbox.jobs.pending() == [] and runtime.unconfirmed() == []


def test_paper_out_mid_receipt_keeps_it_tells_the_fleet_and_reprints_it(
    start: Start, ready_session: Ready
) -> None:
    runtime = start()
    sim = runtime.simulators.printer
    sim.out_of_paper_after(4)  # the title and the number, then no more paper
    sub = runtime.intake.submit(ready_session(runtime))
    assert (sub.printed, sub.print_problem) == (False, "error.printer.paper_out")
    # the citizen saw the number on screen: no "saved" notice at the next start
    assert runtime.unconfirmed() == []
    assert runtime.intake.printing.pending() == [sub.number]
    (kept,) = runtime.outbox.jobs.pending()
    assert (kept.attempts, kept.last_error) == (1, "paper_out")
    printer_status = runtime.hardware.statuses()["printer"]
    assert printer_status.supplies["paper"] is SupplyLevel.OUT
    assert printer_status.detail == "paper_out"
    # still no paper: the job stays
    assert runtime.intake.reprint(sub.number) is False
    assert runtime.outbox.jobs.pending()[0].attempts == 2
    sim.set_paper("ok")  # staff load a roll
    jobs_before = len(sim.jobs)
    assert runtime.intake.reprint(sub.number) is True
    assert len(sim.jobs) == jobs_before + 1
    text = printed_text(runtime)
    assert sub.number in text and "1101**********1236" in text and "110101194501011236" not in text
    assert runtime.outbox.jobs.pending() == []
    assert runtime.hardware.statuses()["printer"].supplies["paper"] is SupplyLevel.FULL


def test_a_printer_that_cannot_confirm_keeps_the_receipt(
    start: Start, ready_session: Ready
) -> None:
    runtime = start()
    runtime.simulators.printer.set_answering(False)
    sub = runtime.intake.submit(ready_session(runtime))
    assert (sub.printed, sub.print_problem) == (False, "error.printer.unconfirmed")
    assert runtime.intake.printing.pending() == [sub.number]


def test_without_a_printer_the_receipt_is_kept_for_when_one_comes(
    start: Start, ready_session: Ready
) -> None:
    runtime = start(devices={"printer": "tcp://127.0.0.1:9"})
    assert runtime.hardware.printer is None
    sub = runtime.intake.submit(ready_session(runtime))
    assert (sub.printed, sub.print_problem) == (False, "error.printer.generic")
    (kept,) = runtime.outbox.jobs.pending()
    assert kept.number == sub.number and kept.last_error == "no_printer"
    assert sub.number in decode(runtime.outbox.jobs.data(kept)).text
    assert runtime.intake.reprint(sub.number) is False


def test_a_crash_between_saving_and_the_receipt_is_told_and_reprintable(
    start: Start, ready_session: Ready
) -> None:
    first = start()
    session = ready_session(first)
    # What submit does up to the crash: the application is committed, nothing printed.
    queued = first.outbox.enqueue(first.intake.outbox_submission(session))
    first.close()
    second = start(start_pump=True)  # the next start, pump running as in the field
    # told by its provisional number, or by the case number once the pump got one (read
    # after: a case number only ever appears, it never goes away)
    told = second.unconfirmed()
    status = second.outbox.lookup(queued.provisional_no)
    assert status is not None and status.provisional_no == queued.provisional_no
    assert told in ([queued.provisional_no], [status.case_no])
    assert second.intake.printing.pending() == [queued.provisional_no]
    assert second.wait_for_outbox(timeout=30)  # sent and purged: the kept job remains
    assert second.outbox.application(queued.provisional_no) is None
    assert second.intake.reprint(queued.provisional_no) is True
    text = printed_text(second)
    assert queued.provisional_no in text and "测*" in text
    assert second.simulation is not None
    job = second.simulation.last_job()
    assert job is not None
    # as the journey prints it: signed with this kiosk's key
    assert job.qr_payloads == [receipt_qr(queued.provisional_no, second.intake.qr_keys)]
    assert second.unconfirmed() == [] and second.intake.printing.pending() == []


def test_unknown_number_cannot_be_reprinted(start: Start) -> None:
    runtime = start()
    jobs = len(runtime.simulators.printer.jobs)
    assert runtime.intake.reprint("LS-nobody-20260101-0001") is False
    assert len(runtime.simulators.printer.jobs) == jobs


def test_confirm_stops_the_saved_notice(start: Start, ready_session: Ready) -> None:
    runtime = start()
    queued = runtime.outbox.enqueue(runtime.intake.outbox_submission(ready_session(runtime)))
    assert runtime.unconfirmed() == [queued.provisional_no]
    runtime.confirm(queued.provisional_no)
    assert runtime.unconfirmed() == []


# Regression (issue 19, item 1): the receipt printed the kiosk's own Monday-to-Friday
# count while the platform counted calendar days; the platform's date is the authority.


def test_a_receipt_with_a_case_number_prints_the_platforms_promised_date(
    start: Start, ready_session: Ready
) -> None:
    runtime = start(start_pump=True)
    sub = runtime.intake.submit(ready_session(runtime))
    assert not sub.provisional and sub.promised_date
    text = printed_text(runtime)
    assert "承诺办结" in text and "预计" not in text
    assert runtime.wait_for_outbox(timeout=60)
    # 办件查询 shows the very date the receipt printed
    assert runtime.client.get_case(sub.number).promised_date == sub.promised_date


def test_a_provisional_receipt_prints_the_kiosks_estimate_marked_as_such(
    start: Start, ready_session: Ready
) -> None:
    runtime = start(platform={"url": "http://127.0.0.1:9", "token": "t"})  # unreachable
    sub = runtime.intake.submit(ready_session(runtime))
    assert sub.provisional and sub.promised_date
    text = printed_text(runtime)
    assert "预计办结" in text and "以办件查询显示的承诺办结日期为准" in text
    assert "承诺办结：" not in text
