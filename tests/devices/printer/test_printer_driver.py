"""The real driver over TCP against the simulator: jobs, outcomes, status you can trust."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from devices.printer import QR, Cut, Element, KeyValue, Separator, Text, decode, open_printer
from devices.printer.driver import PrintOutcome, ReceiptPrinter, print_seconds
from devices.printer.simulator import PrinterSimulator
from devices.simulation import Simulators
from devices.status import DeviceState, DeviceUnavailable, SupplyLevel
from devices.transport import TcpTransport
from tests.support import FakeClock

DOC: list[Element] = [
    Text("受理回执", size=2, bold=True, align="center"),
    Separator(),
    KeyValue("办件编号", "370102202405060000123"),
    KeyValue("办理事项", "城乡居民基本养老保险参保登记"),
    QR("https://zwfw.example.gov.cn/progress?no=370102202405060000123"),
    Text("请妥善保管本回执。"),
    Cut(),
]


def test_full_job_prints_and_decodes_back() -> None:
    sims = Simulators()
    with open_printer("sim://printer", profile="58mm", simulators=sims) as printer:
        assert sims.printer is not None
        job = printer.encode(DOC)
        outcome = printer.print_job(job)
        assert outcome.printed and outcome.result == "printed" and outcome.reason == ""
        assert outcome.bytes_sent == len(job)
        assert outcome.after is not None and outcome.after.supplies["paper"] is SupplyLevel.FULL
        assert sims.printer.jobs == [job]
        printed = decode(sims.printer.jobs[0])
    assert printed.lines == [
        "受理回执",
        "-" * 32,
        "办件编号：370102202405060000123",
        "办理事项：城乡居民基本养老保险参",
        "          保登记",
        "请妥善保管本回执。",
    ]
    assert printed.qr_payloads == ["https://zwfw.example.gov.cn/progress?no=370102202405060000123"]
    assert printed.cuts == ["partial"]


def test_paper_out_mid_job_is_not_printed_and_the_job_can_be_reprinted() -> None:
    sims = Simulators()
    with open_printer("sim://printer?out_after=3", simulators=sims) as printer:
        sim = sims.printer
        assert sim is not None
        job = printer.encode(DOC)
        outcome = printer.print_job(job)
        assert not outcome.printed
        assert (outcome.result, outcome.reason) == ("failed", "paper_out")
        assert outcome.after is not None and outcome.after.supplies["paper"] is SupplyLevel.OUT
        assert outcome.to_dict()["after"]["supplies"] == {"paper": "out"}  # for the fleet
        sim.set_paper("ok")  # the technician loads paper; the kept bytes go again
        again = printer.print_job(job)
        assert again.printed
        assert sim.jobs[-1] == job


def test_printer_out_of_paper_gets_nothing() -> None:
    sims = Simulators()
    with open_printer("sim://printer?paper=out", simulators=sims) as printer:
        outcome = printer.print_document(DOC)
        assert (outcome.result, outcome.reason, outcome.bytes_sent) == ("failed", "paper_out", 0)
        assert sims.printer is not None and sims.printer.jobs == []


def test_cover_open_is_reported() -> None:
    with open_printer("sim://printer?cover=open") as printer:
        status = printer.status()
        assert status.device is DeviceState.USER_ERROR and status.detail == "cover_open"
        assert printer.print_document(DOC).reason == "cover_open"


def test_near_end_still_prints_and_says_so() -> None:
    with open_printer("sim://printer?paper=near_end") as printer:
        outcome = printer.print_document(DOC)
        assert outcome.printed
        assert outcome.after is not None and outcome.after.supplies["paper"] is SupplyLevel.LOW
        assert outcome.after.detail == "paper_near_end"


def test_printer_not_answering_status_is_unknown_not_ok() -> None:
    with open_printer("sim://printer?answers=0") as printer:
        status = printer.status()
        assert not status.usable
        assert status.detail == "no_status_answer"
        assert status.supplies["paper"] is SupplyLevel.UNKNOWN
        assert status.vendor == {"status_known": False}
        outcome = printer.print_document(DOC)
        assert (outcome.result, outcome.printed) == ("unconfirmed", False)


def test_printer_falling_silent_mid_job_is_unconfirmed() -> None:
    with open_printer("sim://printer?silent_after=2") as printer:
        outcome = printer.print_document(DOC)
        assert outcome.result == "unconfirmed" and outcome.reason == "no_status_answer"
        assert outcome.before.usable


def test_profile_without_status_is_unconfirmed_not_printed() -> None:
    sims = Simulators()
    with open_printer("sim://printer?status=0", simulators=sims) as printer:
        status = printer.status()
        assert status.detail == "status_unsupported"
        assert sims.printer is not None and sims.printer.received == b""
        assert printer.print_document(DOC).result == "unconfirmed"


def test_file_printer_writes_the_job_and_admits_it_cannot_confirm(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    with open_printer(f"file://{target}", profile="58mm") as printer:
        outcome = printer.print_document(DOC)
    assert (outcome.result, outcome.reason) == ("unconfirmed", "status_unsupported")
    assert decode(target.read_bytes()).lines[0] == "受理回执"


def test_usb_without_pyusb_is_a_clear_device_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    from escpos.printer import Usb

    monkeypatch.setattr(Usb, "is_usable", staticmethod(lambda: False))  # pyusb not installed
    with pytest.raises(DeviceUnavailable, match="pyusb"):
        open_printer("usb://0416:5011")


def test_a_usb_printer_not_plugged_in_is_a_clear_device_unavailable() -> None:
    with pytest.raises(DeviceUnavailable, match="0416:5011"):
        open_printer("usb://0416:5011")


def test_a_closed_tcp_port_is_a_device_unavailable() -> None:
    with pytest.raises(DeviceUnavailable):
        open_printer("tcp://127.0.0.1:1")


def test_url_overrides_the_profile() -> None:
    sims = Simulators()
    with open_printer(
        "sim://printer?profile=58mm&encoding=gbk&chinese_font=0", simulators=sims
    ) as printer:
        assert printer.profile.columns == 32
        assert printer.profile.encoding == "gbk" and not printer.profile.has_chinese_font
        assert sims.printer is not None and sims.printer.profile.encoding == "gbk"


class _SleepingClock(FakeClock):
    """A fake clock whose ``sleep`` lets the time pass at once and records each wait."""

    def __init__(self) -> None:
        super().__init__()
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)


def test_settle_waits_the_estimated_print_time_on_an_injected_clock() -> None:
    clock = _SleepingClock()
    with PrinterSimulator("80mm") as sim:
        transport = TcpTransport(*_address(sim))
        printer = ReceiptPrinter(transport, "80mm", clock=clock, sleep=clock.sleep)
        with printer:
            job = printer.encode(DOC)
            assert printer.print_job(job).printed
    expected = print_seconds(job, printer.profile)
    assert len(clock.slept) >= 2  # polled while printing, not one blind wait
    assert sum(clock.slept) == pytest.approx(expected)


def test_settle_stops_early_when_the_printer_stops() -> None:
    clock = _SleepingClock()
    with PrinterSimulator("80mm") as sim:
        sim.out_of_paper_after(2)
        printer = ReceiptPrinter(TcpTransport(*_address(sim)), clock=clock, sleep=clock.sleep)
        with printer:
            outcome = printer.print_document(DOC)
    assert outcome.reason == "paper_out"
    assert len(clock.slept) == 1


def _address(sim: PrinterSimulator) -> tuple[str, int]:
    assert sim.address is not None
    return sim.address


class _HeldWrites:
    """A TCP transport whose job writes (not status queries) wait for a go-ahead."""

    def __init__(self, inner: TcpTransport) -> None:
        self.inner = inner
        self.writing, self.go = threading.Event(), threading.Event()

    def write(self, data: bytes) -> None:
        if len(data) > 3:
            self.writing.set()
            assert self.go.wait(10)
        self.inner.write(data)

    def read(self, n: int, timeout: float) -> bytes:
        return self.inner.read(n, timeout)

    def close(self) -> None:
        self.inner.close()


def test_status_during_a_job_is_the_last_seen_marked_busy_not_a_garbled_query() -> None:
    with PrinterSimulator("58mm") as sim:
        assert sim.address is not None
        held = _HeldWrites(TcpTransport(*sim.address))
        printer = ReceiptPrinter(held, "58mm", settle=False, status_timeout=0.3)
        outcomes: list[PrintOutcome] = []
        worker = threading.Thread(target=lambda: outcomes.append(printer.print_document(DOC)))
        worker.start()
        assert held.writing.wait(10)
        queries_so_far = sim.received.count(b"\x10\x04")
        during = printer.status()  # the job holds the wire: nothing is sent now
        assert during.device is DeviceState.BUSY
        assert during.supplies["paper"] is SupplyLevel.FULL  # what the job's check saw
        assert sim.received.count(b"\x10\x04") == queries_so_far
        held.go.set()
        worker.join(10)
        assert outcomes and outcomes[0].printed
        assert decode(sim.jobs[0]).lines[0] == "受理回执"
        assert printer.status().device is DeviceState.ONLINE
        printer.close()


def test_paper_out_is_what_status_reports_afterwards() -> None:
    with open_printer("sim://printer?out_after=3", profile="58mm") as printer:
        outcome = printer.print_document(DOC)
        assert (outcome.result, outcome.reason) == ("failed", "paper_out")
        status = printer.status()
        assert status.supplies["paper"] is SupplyLevel.OUT and status.detail == "paper_out"
