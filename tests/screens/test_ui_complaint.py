"""意见投诉 through the real screens: category, the citizen's own words typed in pinyin on
the big letter keys, an optional phone, and a reference number on paper at once (or on
screen when the printer is down). Bad input is told and loses nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from config import I18N_DIR
from kiosk.i18n import load_messages
from terminal.demo.journeys.steps import pick_candidate
from tests.support.ui import paper_out

ZH = load_messages("zh_CN", I18N_DIR)
SHOTS = Path(tempfile.gettempdir()) / "kiosk-ui-shots" / "complaint"  # to look at, not kept
WORDS = [("ban", "办"), ("shi", "事"), ("tai", "太"), ("man", "慢")]


def shot(pilot: Any, name: str) -> None:
    pilot.screenshot(SHOTS / f"{name}.png")


def write(pilot: Any, words: list[tuple[str, str]]) -> None:
    for letters, char in words:
        pilot.type(letters)
        pick_candidate(pilot, char)


def complain_in(pilot: Any, words: list[tuple[str, str]]) -> None:
    """From attract: 办事效率 as the category, ``words`` typed, then 下一步."""
    pilot.tap("start")
    pilot.wait_screen("home")
    pilot.tap("home-complaint")
    pilot.wait_screen("complaint_category")
    shot(pilot, "category")
    pilot.tap("category-efficiency")
    pilot.wait_screen("compose")
    write(pilot, words)
    pilot.tap("compose-done")


def slip_text(runtime: Any) -> str:
    job = runtime.simulation.last_job()
    assert job is not None, "no slip was printed"
    return str(job.text)


def test_a_complaint_is_written_in_pinyin_and_gets_a_reference_on_paper(
    ui: tuple[Any, Any],
) -> None:
    app, pilot = ui
    runtime = app.core
    complain_in(pilot, WORDS)  # four characters: too short, and nothing is lost
    assert pilot.screen == "compose"
    assert app.nav.current_screen.error_text == ZH["complaint.error.too_short"].format(min=5)
    assert app.nav.current_screen.text == "办事太慢"
    write(pilot, [("le", "了")])
    pilot.tap("punct-。")
    shot(pilot, "compose")
    pilot.tap("compose-done")
    pilot.wait_screen("complaint_contact")
    pilot.type("123")
    pilot.tap("contact-next")
    assert app.nav.current_screen.error_text == ZH["form.error.phone"]
    pilot.tap("key-clear")
    pilot.type("13800138000")
    shot(pilot, "contact")
    pilot.tap("contact-next")
    pilot.wait_screen("complaint_ticket", timeout=30)
    reference = app.nav.current_screen.reference
    assert reference.startswith("TS") and app.nav.current_screen.print_ok
    shot(pilot, "ticket")
    slip = slip_text(runtime)
    assert reference in slip and "办事效率" in slip and "138****8000" in slip
    assert "办事太慢" not in slip and "13800138000" not in slip  # never the words or phone
    assert runtime.outbox.messages.status(reference).kind == "complaint"
    runtime.wait_for_outbox(timeout=30)
    stored = runtime.sandbox.db.query("SELECT body FROM complaints")
    assert any("办事太慢了。" in row[0] for row in stored)
    pilot.tap("ticket-continue")
    pilot.wait_screen("done")


def test_with_the_printer_down_the_reference_is_on_screen_and_nothing_lost(
    ui: tuple[Any, Any],
) -> None:
    app, pilot = ui
    runtime = app.core
    complain_in(pilot, [*WORDS, ("le", "了")])
    pilot.wait_screen("complaint_contact")
    with paper_out(app):
        pilot.tap("contact-skip")  # no phone: anonymous
        pilot.wait_screen("complaint_ticket", timeout=30)
    screen = app.nav.current_screen
    assert not screen.print_ok and screen.reference
    assert ZH["complaint.not_printed_advice"] in screen.print_status
    assert runtime.outbox.messages.status(screen.reference) is not None
    shot(pilot, "ticket-not-printed")
