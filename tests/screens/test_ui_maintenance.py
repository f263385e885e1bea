"""Maintenance mode, out of service, and devices down per matter, on the real screens.

The technician gets in by the hidden corner gesture and a personal PIN (or card + PIN);
each device test runs against the simulators (the printer simulator records the test
page, decoded here); the log shown holds no planted personal data; the out-of-service
screen names the nearest alternative and goes away by itself; a matter that needs the
dead document camera says so while another still works.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from devices.idcard import FIXTURES
from devices.printer import decode
from kiosk.maint.technicians import ENTERED, FAILED, LEFT
from kiosk.masking import mask_id_number
from provisioning.agent import commands as agent_commands
from screens.matter import open_matter
from terminal.fleet import kiosk_agent
from tests.support import ROOT

SHOTS = ROOT / "test-artifacts" / "maintenance"
TECH, PIN = "900101", "482913"
OTHER_TECH = "900102"  # takes the wrong PINs, so TECH never gets locked
SSC_CARD_ID = "110100D156000005000000000C0FFEE1"  # the synthetic 社保卡's card id
PLANTED_ID = "110101195002281237"
PLANTED_PHONE = "13700001234"
PAPER_ONLY = "33102300MZ-JF-0002"  # 最低生活保障: a required material only on paper
NO_PAPER = "33102300RS-GG-0004"  # 社保卡申领: every required material has another way in


@pytest.fixture
def maint(ui: tuple[Any, Any]) -> tuple[Any, Any]:
    app, _pilot = ui
    store = app.core.technicians.store
    known = {m.staff_no for m in store.members()}
    station = app.core.settings.site.station_id
    if TECH not in known:
        store.add(TECH, "李工", PIN, station, card_id=SSC_CARD_ID)
        store.add(OTHER_TECH, "王工", "739104", station)
    app.core.health.refresh()
    return ui


def corner(pilot: Any, taps: int = 5) -> None:
    for _ in range(taps):
        pilot.tap("maint-corner")


def sign_in(pilot: Any, number: str, pin: str, *, gesture: bool = True) -> None:
    if gesture:
        corner(pilot)
    pilot.wait_screen("maintlogin")
    pilot.tap("maint-number")
    pilot.type(number)
    pilot.tap("maint-pin")
    pilot.type(pin)
    pilot.tap("maint-enter")


def enter_maintenance(pilot: Any, *, gesture: bool = True) -> None:
    """Signed in as the technician ``TECH``, on the maintenance screen."""
    sign_in(pilot, TECH, PIN, gesture=gesture)
    pilot.wait_screen("maint")


def leave_maintenance(pilot: Any) -> None:
    pilot.tap("maint-leave")
    pilot.wait_screen("attract")


def actions(app: Any) -> list[str]:
    return [e.action for e in app.core.audit.query(limit=10_000)]


def test_gesture_and_pin_get_in_and_leaving_returns_to_attract(maint: Any) -> None:
    app, pilot = maint
    corner(pilot, 4)
    pilot.step(3)
    assert pilot.screen == "attract"  # four taps are not the gesture …
    before = len(actions(app))
    corner(pilot, 1)  # … the fifth is
    enter_maintenance(pilot, gesture=False)
    assert actions(app)[before:] == [ENTERED]
    assert app.core.technicians.current.staff_no == TECH
    pilot.screenshot(SHOTS / "maint.png")
    leave_maintenance(pilot)
    assert actions(app)[before:] == [ENTERED, LEFT]
    assert app.core.technicians.current is None


def test_a_wrong_pin_does_not_get_in_and_is_audited(maint: Any) -> None:
    app, pilot = maint
    before = len(actions(app))
    sign_in(pilot, OTHER_TECH, "111222")
    screen = app.nav.screen("maintlogin")
    pilot.wait_until(lambda: screen.problem, "the refusal")
    assert pilot.screen == "maintlogin" and screen.problem == app.tr("maintlogin.refused")
    assert actions(app)[before:] == [FAILED]
    assert app.core.technicians.current is None
    assert not any("111222" in t for t in pilot.texts())  # the PIN is never shown
    assert not any("111222" in line for line in _log_lines(app))
    pilot.screenshot(SHOTS / "maint-refused.png")
    app.finish()
    pilot.wait_screen("attract")


def test_a_technician_card_and_pin_get_in(maint: Any, pcscd: Any) -> None:
    app, pilot = maint
    corner(pilot)
    pilot.wait_screen("maintlogin")
    app.core.simulation.lay_test_smartcard("ssc")
    screen = app.nav.screen("maintlogin")
    try:
        pilot.wait_until(lambda: screen.card_id == SSC_CARD_ID, "the technician card", 20)
        assert app.session.identity is None  # a card here is no citizen's session
        pilot.type(PIN)
        pilot.tap("maint-enter")
        pilot.wait_screen("maint")
    finally:
        app.core.simulation.take_test_smartcard()
    entry = app.core.audit.query(limit=10_000)[-1]
    assert (entry.action, entry.staff_no, entry.detail) == (ENTERED, TECH, "card")
    leave_maintenance(pilot)


def _log_lines(app: Any) -> list[str]:
    path = app.core.state_dir / "logs" / "kiosk.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_a_status_refresh_keeps_the_buttons_a_finger_is_on(maint: Any) -> None:
    """The health check lands every few seconds; it updates the rows in place, so a tap
    that began before it still reaches the same button."""
    app, pilot = maint
    enter_maintenance(pilot)
    screen = app.nav.screen("maint")
    button = pilot.find("maint-test-docscan")
    screen._fill(app.core.health.refresh())
    pilot.step()
    assert pilot.find("maint-test-docscan") is button
    assert button.text == app.tr("maint.test.shoot")
    leave_maintenance(pilot)


def test_each_device_test_works_against_the_simulators(maint: Any, pcscd: Any) -> None:
    app, pilot = maint
    enter_maintenance(pilot)
    screen = app.nav.screen("maint")
    rt = app.core
    # ID card: waits for a card, shows only the masked view, starts no session
    pilot.tap("maint-test-idcard")
    assert screen.waiting_for == "idcard"
    rt.simulation.lay_test_card("elder")
    try:
        pilot.wait_until(lambda: app.tr("maint.result.card_read") in screen.result, "ID read")
    finally:
        rt.simulation.take_test_card()
    elder = FIXTURES["elder"]
    assert mask_id_number(elder.id_number) in screen.result
    assert elder.id_number not in screen.result and elder.name not in screen.result
    assert app.session.identity is None and pilot.screen == "maint"
    # the PC/SC reader: the synthetic 社保卡
    pilot.tap("maint-test-smartcard")
    rt.simulation.lay_test_smartcard("ssc")
    try:
        pilot.wait_until(lambda: "social_security" in screen.result, "card read", 20)
    finally:
        rt.simulation.take_test_smartcard()
    # the printer: the simulator records the test page; decode it back
    sim = rt.simulators.printer
    jobs = len(sim.jobs)
    pilot.tap("maint-test-printer")
    pilot.wait_until(lambda: screen.result == app.tr("maint.result.printed"), "test page")
    assert len(sim.jobs) == jobs + 1
    page = decode(sim.jobs[-1]).text
    assert "打印机测试页" in page and "中文：受理回执，一次性告知单。" in page
    pilot.tap("maint-paper")
    pilot.wait_until(lambda: app.tr("maint.supply.full") in screen.result, "paper check")
    # the document camera: one picture; the QR camera: a live preview
    pilot.tap("maint-test-docscan")
    pilot.wait_until(lambda: screen.ids.preview.texture is not None, "docscan picture")
    assert screen.result.startswith("画面正常")
    pilot.tap("maint-test-camera")
    pilot.wait_until(lambda: screen._previewing, "camera preview")
    first = screen.ids.preview.texture
    pilot.wait_until(lambda: screen.ids.preview.texture is not first, "a newer frame")
    pilot.screenshot(SHOTS / "maint-camera.png")
    # the outbox: flush now
    pilot.tap("maint-flush")
    pilot.wait_until(lambda: screen.result.startswith("已发送"), "the flush")
    leave_maintenance(pilot)
    assert not screen._previewing and screen.ids.preview.texture is None  # stopped with it
    camera = app.core.hardware.camera  # stopped off the UI thread: it keeps no frame
    pilot.wait_until(lambda: camera.latest() is None, "the camera stopped")


def test_the_log_shown_holds_no_planted_personal_data(maint: Any) -> None:
    app, pilot = maint
    logging.getLogger("kiosk.test").warning("planted %s %s", PLANTED_ID, PLANTED_PHONE)
    raw = app.core.state_dir / "logs" / "kiosk.log"
    size = raw.stat().st_size
    try:
        with raw.open("a", encoding="utf-8") as fh:  # as if written before redaction existed
            fh.write(f"2026-01-01 00:00:00 INFO old: citizen {PLANTED_ID} {PLANTED_PHONE}\n")
        enter_maintenance(pilot)
        shown = app.nav.screen("maint").ids.log.text
        assert "planted" in shown and "citizen" in shown  # the lines are there …
        everything = "\n".join(pilot.texts())
        assert PLANTED_ID not in everything and PLANTED_PHONE not in everything  # … masked
        assert mask_id_number(PLANTED_ID) in shown
    finally:  # the raw line must not outlive this test (the wipe test reads the logs)
        with raw.open("r+", encoding="utf-8") as fh:
            fh.truncate(size)
    leave_maintenance(pilot)


def test_maintenance_times_out_like_a_session(maint: Any, clock: Any) -> None:
    app, pilot = maint
    enter_maintenance(pilot)
    clock.now += app.core.settings.session.idle_timeout_s + 1
    pilot.wait_screen("attract")
    assert app.core.technicians.current is None
    assert actions(app)[-1] == LEFT


def test_out_of_service_shows_the_alternative_and_goes_away(maint: Any) -> None:
    app, pilot = maint
    rt = app.core
    agent = kiosk_agent(rt.state_dir / "oos-agent")  # a fleet agent, as enrollment leaves one
    rt.agent = agent
    try:
        agent_commands.run(agent.state, {"id": "c-lock", "kind": "lock", "args": {}}, agent.hooks)
        rt.health.refresh()
        pilot.wait_screen("outofservice")
        texts = "\n".join(pilot.texts())
        alt = rt.settings.site.nearest_alternative
        for part in (alt.name, alt.address, alt.hours, alt.phone):
            assert part in texts
        assert app.tr("outofservice.reason.fleet_locked") in texts
        pilot.screenshot(SHOTS / "outofservice.png")
        app.core.simulation.lay_test_card("elder")  # a card does not get past it
        pilot.step(10)
        assert pilot.screen == "outofservice" and app.session.identity is None
        app.core.simulation.take_test_card()
        agent_commands.run(
            agent.state, {"id": "c-unlock", "kind": "unlock", "args": {}}, agent.hooks
        )
        rt.health.refresh()
        pilot.wait_screen("attract")
    finally:
        rt.agent = None
        agent.close()
        rt.health.refresh()


def test_a_matter_needing_a_dead_device_says_so_and_another_still_works(maint: Any) -> None:
    app, pilot = maint
    rt = app.core
    docscan = rt.simulators.docscan
    docscan.unplug()
    try:
        rt.health.refresh()
        assert "docscan" not in rt.usable_devices()
        pilot.tap("start")
        pilot.wait_screen("home")
        pilot.screenshot(SHOTS / "home-docscan-down.png")
        open_matter(app, PAPER_ONLY)
        pilot.wait_screen("matter")
        matter = app.nav.screen("matter")
        assert matter.blocked and matter.device_note == app.tr("needs.blocked.docscan")
        assert pilot.find("apply") is None  # cannot be started
        pilot.screenshot(SHOTS / "matter-blocked.png")
        app.home()
        open_matter(app, NO_PAPER)
        pilot.wait_screen("matter")
        assert not matter.blocked and matter.device_note == ""
        pilot.tap("apply")
        pilot.wait_screen("identity")
    finally:
        docscan.replug()
        rt.health.refresh()
    app.finish()
    pilot.wait_screen("attract")


def test_a_dead_printer_leaves_a_note_but_the_matter_goes_on(maint: Any) -> None:
    app, pilot = maint
    rt = app.core
    sim = rt.simulators.printer
    sim.set_answering(False)
    try:
        snap = rt.health.refresh()
        assert "printer" not in rt.usable_devices(), snap.devices
        assert rt.matter_availability(NO_PAPER).ok, snap.devices
        pilot.tap("start")
        pilot.wait_screen("home")
        open_matter(app, NO_PAPER)
        pilot.wait_screen("matter")
        matter = app.nav.screen("matter")
        assert not matter.blocked, (matter.device_note, rt.health.snapshot().devices)
        assert matter.device_note == app.tr("needs.degraded.printer")
        pilot.screenshot(SHOTS / "matter-printer-down.png")
        pilot.tap("apply")
        pilot.wait_screen("identity")
    finally:
        sim.set_answering(True)
        rt.health.refresh()
    app.finish()
    pilot.wait_screen("attract")
