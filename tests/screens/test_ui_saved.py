"""Never a lost number on screen: the attract screen's "last application was saved"
notice after a crash, and the receipt screen's reprint when the paper ran out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from config import I18N_DIR
from kiosk.i18n import load_messages
from kiosk.identity import Identity
from kiosk.outbox import Attachment, Submission
from kiosk.session import CapturedPage
from kiosk.upstream import Applicant

ZH = load_messages("zh_CN", I18N_DIR)
MATTER = "33102300MZ-JF-0001"


@pytest.fixture
def pump_stopped(ui: tuple[Any, Any]) -> Iterator[None]:
    """The pump off, as at start-up before it runs (and so numbers stay provisional)."""
    pump = ui[0].core.pump
    pump.stop()
    try:
        yield
    finally:
        pump.start()


def _saved_before_a_crash(runtime: Any) -> str:
    """What a crash between saving and the receipt leaves — an unconfirmed application —
    and what the next start does with it before the pump runs: keep its receipt."""
    queued = runtime.outbox.enqueue(
        Submission(
            matter_code=MATTER,
            matter_name="高龄津贴申领",
            department="区民政局",
            applicant=Applicant("resident_id", "110101194501011236", "测试甲", None),
            answers={},
            attachments=[Attachment("M1", "p.jpg", "image/jpeg", b"\xff\xd8jpeg")],
            channel="kiosk",
            station_id=runtime.settings.site.station_id,
            region_code=runtime.settings.site.region_code,
        )
    )
    assert runtime.intake.printing.rebuild_missing() == 1
    return str(queued.provisional_no)


def page_jpeg() -> bytes:
    """A small real page: the journey stamps watermarks on real images."""
    ok, data = cv2.imencode(".jpg", np.full((1170, 827), 255, np.uint8))
    assert ok
    return bytes(data)


def _printed_text(runtime: Any) -> str:
    job = runtime.simulation.last_job()
    assert job is not None, "nothing was printed"
    return str(job.text)


def test_attract_screen_tells_the_last_application_was_saved(
    ui: tuple[Any, Any], pump_stopped: None
) -> None:
    app, pilot = ui
    runtime = app.core
    sim = runtime.simulators.printer
    assert pilot.find("saved-notice") is None  # nothing to tell
    number = _saved_before_a_crash(runtime)
    pilot.tap("start")  # the screen is drawn again when the kiosk comes back to it
    pilot.wait_screen("home")
    app.finish()
    pilot.wait_screen("attract")
    assert pilot.wait_until(lambda: pilot.find("saved-notice"), "the saved notice")
    texts = pilot.texts()
    assert any(number in t and "请不要重复提交" in t for t in texts)
    assert not any("测试甲" in t or "110101194501011236" in t for t in texts)
    screen = app.nav.screen("attract")
    # no paper: the citizen is told, the notice stays
    sim.set_paper("out")
    pilot.tap("saved-reprint")
    pilot.wait_until(lambda: screen.saved_message == ZH["attract.saved.not_printed"], "not printed")
    sim.set_paper("ok")
    pilot.tap("saved-reprint")
    pilot.wait_until(lambda: screen.saved_message == ZH["attract.saved.printed"], "printed")
    text = _printed_text(runtime)
    assert number in text and "测*" in text
    pilot.screenshot(Path("/tmp/kiosk-ui-saved-notice.png"))
    pilot.tap("saved-dismiss")
    pilot.wait_until(lambda: pilot.find("saved-notice") is None, "the notice to go")
    assert runtime.unconfirmed() == []
    pilot.tap("start")  # and the kiosk is open for the next citizen
    pilot.wait_screen("home")


def test_dismissing_the_notice_confirms_without_printing(
    ui: tuple[Any, Any], pump_stopped: None
) -> None:
    app, pilot = ui
    runtime = app.core
    number = _saved_before_a_crash(runtime)
    jobs = len(runtime.simulators.printer.jobs)
    app.nav.screen("attract").render()
    pilot.tap("saved-dismiss")
    pilot.wait_until(lambda: pilot.find("saved-notice") is None, "the notice to go")
    assert number not in runtime.unconfirmed()
    assert len(runtime.simulators.printer.jobs) == jobs
    assert number in runtime.intake.printing.pending()  # staff can still reprint it


def test_receipt_screen_reprints_once_paper_is_loaded(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    runtime = app.core
    sim = runtime.simulators.printer
    pilot.tap("start")
    pilot.wait_screen("home")
    session = app.session
    session.identity = Identity("idcard", "resident", "110101194501011236", "测试甲")
    session.matter_code = MATTER
    for m in runtime.catalogue.get(MATTER).materials:
        if m.required:
            session.pages[m.code] = [CapturedPage(m.code, page_jpeg(), 827, 1170)]
    session.answers = {"phone": "13800138000"}
    sim.out_of_paper_after(3)  # the paper runs out in the middle of the receipt
    session.submission = runtime.intake.submit(session)
    assert session.submission.printed is False
    app.nav.go("receipt")
    pilot.wait_screen("receipt")
    screen = app.nav.screen("receipt")
    texts = pilot.texts()
    assert any(ZH["error.printer.paper_out"] in t and "工作人员" in t for t in texts)
    assert session.submission.number in texts
    sim.set_paper("ok")
    pilot.tap("receipt-reprint")
    pilot.wait_until(lambda: screen.print_ok, "the receipt to print")
    assert screen.print_status == ZH["receipt.printed"]
    assert session.submission.number in _printed_text(runtime)
    assert pilot.find("receipt-reprint") is None
    assert session.submission.number not in runtime.intake.printing.pending()
