"""The hidden gesture, what a dead device means for each matter, when the kiosk is out of
service, and the redacted log the technician sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import CATALOGUE_FILE
from devices.status import DeviceState, DeviceStatus
from kiosk.catalogue import load_catalogue
from kiosk.maint import CornerTaps, HealthMonitor, Link, availability, needs
from kiosk.maint.health import HealthSnapshot
from kiosk.maint.report import recent_log
from tests.support import FakeClock

ALL = frozenset({"idcard", "smartcard", "printer", "docscan", "camera"})
MINIMUM_LIVELIHOOD = "33102300MZ-JF-0002"  # 最低生活保障: a required paper-only material
SSC_CARD = "33102300RS-GG-0004"  # 社保卡申领: every required material has another source


def test_five_quick_corner_taps_and_nothing_less() -> None:
    clock = FakeClock(0.0)
    taps = CornerTaps(taps=5, window_s=3.0, clock=clock)
    assert not any(taps.tap() for _ in range(4))
    clock.now += 3.5  # too slow: the run starts over
    assert not any(taps.tap() for _ in range(4))
    assert taps.tap()
    assert not taps.tap()  # and it starts over after opening
    with pytest.raises(ValueError):
        CornerTaps(taps=1)


def test_needs_come_from_the_catalogue() -> None:
    catalogue = load_catalogue(CATALOGUE_FILE)
    assert needs(catalogue.get(MINIMUM_LIVELIHOOD)) == {"docscan": "required", "printer": "receipt"}
    assert needs(catalogue.get(SSC_CARD)) == {"printer": "receipt"}


def test_a_dead_document_camera_blocks_only_what_needs_paper() -> None:
    catalogue = load_catalogue(CATALOGUE_FILE)
    usable = ALL - {"docscan"}
    assert availability(catalogue.get(MINIMUM_LIVELIHOOD), usable).blocked_by == ("docscan",)
    assert availability(catalogue.get(SSC_CARD), usable).ok
    blocked = [m.code for m in catalogue.matters if not availability(m, usable).ok]
    assert MINIMUM_LIVELIHOOD in blocked and len(blocked) < len(catalogue.matters)


def test_a_dead_printer_only_adds_a_note() -> None:
    catalogue = load_catalogue(CATALOGUE_FILE)
    found = availability(catalogue.get(SSC_CARD), ALL - {"printer"})
    assert found.ok and found.degraded_by == ("printer",)


def test_no_identity_device_blocks_every_matter() -> None:
    catalogue = load_catalogue(CATALOGUE_FILE)
    found = availability(catalogue.get(SSC_CARD), frozenset({"printer", "docscan"}))
    assert found.blocked_by == ("identity",)


def _status(state: DeviceState) -> DeviceStatus:
    return DeviceStatus(state)


def _snapshot(down: set[str], platform: bool = True, depth: int = 0) -> HealthSnapshot:
    devices = {k: _status(DeviceState.OFFLINE if k in down else DeviceState.ONLINE) for k in ALL}
    return HealthSnapshot(devices, Link(platform, 3.0), Link(None), depth, None, outbox_full=10)


def test_when_the_kiosk_cannot_serve() -> None:
    assert _snapshot(set()).serving() == (True, "")
    assert _snapshot({"printer", "docscan"}).serving() == (True, "")
    assert _snapshot({"idcard", "smartcard", "camera"}).serving() == (False, "no_identity")
    assert _snapshot(set(), platform=False, depth=9).serving() == (True, "")  # offline is fine
    assert _snapshot(set(), platform=False, depth=10).serving() == (False, "outbox_full")
    assert _snapshot(set(), platform=True, depth=10).serving() == (True, "")
    locked = HealthSnapshot({}, Link(True), Link(True), 0, None, fleet_in_service=False)
    assert locked.serving() == (False, "fleet_locked")


def test_the_monitor_times_paths_and_a_failing_ping_is_unreachable() -> None:
    clock = FakeClock(0.0)

    def slow_ping() -> bool:
        clock.now += 0.042
        return True

    def broken() -> bool:
        raise ConnectionError("refused")

    monitor = HealthMonitor(
        statuses=lambda: {"idcard": _status(DeviceState.ONLINE)},
        outbox=lambda: (3, 120.0),
        ping_platform=slow_ping,
        ping_fleet=broken,
        clock=clock,
    )
    assert monitor.snapshot() is None
    seen: list[HealthSnapshot] = []
    monitor.on_change(seen.append)
    snap = monitor.refresh()
    assert snap.platform == Link(True, 42.0) and snap.fleet == Link(False, None)
    assert (snap.outbox_depth, snap.oldest_pending_s) == (3, 120.0)
    assert seen == [snap] and monitor.snapshot() is snap


def test_the_log_shown_is_redacted_even_if_written_raw(tmp_path: Path) -> None:
    log = tmp_path / "kiosk.log"
    log.write_text(
        "old line\ncitizen 110101194001011234 phone 13812345678 card 6222021234567890123\n",
        encoding="utf-8",
    )
    lines = recent_log(log, 5)
    text = "\n".join(lines)
    assert len(lines) == 2 and "110101194001011234" not in text
    assert "13812345678" not in text and "6222021234567890123" not in text
    assert recent_log(tmp_path / "none.log") == []
