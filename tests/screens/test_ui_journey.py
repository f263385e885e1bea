"""The whole 承诺办 journey through the real screens, as a citizen taps it."""

from __future__ import annotations

from typing import Any

from devices.printer import decode
from terminal.demo.script import run_journey


def test_whole_journey_reaches_the_platform_and_the_paper(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    runtime = app.core
    jobs_before = len(runtime.simulators.printer.jobs)
    result = run_journey(app, pilot)
    assert result["printed"] is True
    assert result["screens"][-1] == "done"
    assert pilot.screen == "attract"
    # the receipt: the number on it, the ID masked, never the full ID
    jobs = runtime.simulators.printer.jobs
    assert len(jobs) == jobs_before + 1
    job = decode(jobs[-1], runtime.hardware.printer.profile.encoding)
    text = "\n".join(job.lines)
    assert result["number"] in text
    assert "1101**********" in text
    assert job.qr_payloads and result["number"] in job.qr_payloads[0]
    # the platform: every captured page arrives
    assert runtime.wait_for_outbox(timeout=30)
    status = runtime.outbox.lookup(result["number"])
    assert status is not None and status.case_no
    stored = runtime.sandbox.application(status.case_no)
    matter = runtime.catalogue.get(result["matter_code"])
    pages = sum(m.pages for m in matter.materials if m.required)
    assert len(stored["attachments"]) == pages
    assert all(a["complete"] for a in stored["attachments"])
    assert stored["form"]["phone"] == "13800138000"
    # and the kiosk forgot the citizen
    assert app.session.identity is None and app.session.pages == {}


def test_search_by_pinyin_initials_shows_what_was_typed(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    pilot.tap("start")
    pilot.tap("search")
    pilot.wait_screen("search")
    pilot.type("gljt")
    screen = app.nav.screen("search")
    assert screen.ids.query_label.text.startswith("GLJT")
    tile = pilot.wait_until(lambda: pilot.find("result-33102300MZ-JF-0001"), "result tile")
    assert tile.title == "高龄津贴申领"
    pilot.type("x")
    pilot.wait_until(lambda: screen.ids.empty.opacity == 1, "the nothing-found message")
