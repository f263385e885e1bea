"""退回补正 and 好差评 through the real screens: a case filed at another kiosk and returned
for one material is found here, the applicant's card is read, exactly that material is
captured and goes to the same case; then the rating asks, hints at nothing, and a bad
rating must say what went wrong (a choice, the citizen's own words) and carries the
case, matter, department, region and channel."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from config import I18N_DIR
from kiosk.i18n import load_messages
from terminal.demo.journeys.cases import ALLOWANCE, OtherKiosk
from terminal.demo.journeys.steps import look_up_case, pick_candidate

from .test_ui_tracking import ELDER, ELDER_ID, open_lookup

ZH = load_messages("zh_CN", I18N_DIR)
SHOTS = Path(tempfile.gettempdir()) / "kiosk-ui-shots" / "correction"  # to look at, not kept


def shot(pilot: Any, name: str) -> None:
    pilot.screenshot(SHOTS / f"{name}.png")


def to_correct(pilot: Any, other: OtherKiosk) -> str:
    """A case filed at the other kiosk and returned for the household register, found
    here by its number and opened for 补正: the identity screen asks for the card."""
    case_no = other.file(ELDER_ID, ELDER)
    other.decide(case_no, "returned", ("household_register",))
    open_lookup(pilot)
    look_up_case(pilot, case_no)
    pilot.wait_screen("tracking_case", timeout=30)
    pilot.tap("case-correct")
    pilot.wait_screen("identity")
    return case_no


def test_a_returned_case_gets_its_material_here_and_a_bad_rating_says_why(
    ui: tuple[Any, Any], other: OtherKiosk
) -> None:
    app, pilot = ui
    runtime = app.core
    case_no = to_correct(pilot, other)
    runtime.simulation.lay_test_card("elder")
    pilot.wait_screen("notice", timeout=30)
    assert [m.code for m in app.flow.materials] == ["household_register"]
    shot(pilot, "notice")
    pilot.tap("notice-accept")
    pilot.wait_screen("capture")
    flow = app.flow
    pilot.tap("capture-shoot")
    pilot.wait_until(lambda: flow.pages_for("household_register"), "the page", timeout=60)
    shot(pilot, "capture")
    pilot.tap("capture-next")
    pilot.wait_screen("review")
    shot(pilot, "review")
    pilot.tap("review-confirm")
    pilot.wait_screen("receipt", timeout=60)
    assert app.session.submission.number == case_no  # the same case, not a new one
    pilot.tap("receipt-continue")
    pilot.wait_screen("rating")
    for level in (1, 2, 3, 4, 5):  # nothing preselected, nothing singled out
        button = pilot.find(f"rate-{level}")
        assert button is not None and button.kind == "secondary" and not button.selected
    shot(pilot, "rating")
    pilot.tap("rate-2")
    pilot.tap("rating-send")
    assert app.nav.current_screen.error_text == ZH["rating.error.reason"]
    pilot.tap("rating-write")
    pilot.wait_screen("compose")
    pilot.type("man")
    pick_candidate(pilot, "慢")
    pilot.tap("compose-done")
    pilot.wait_screen("rating")
    assert app.nav.current_screen.level == 2 and app.nav.current_screen.comment == "慢"
    pilot.tap("reason-too_slow")
    shot(pilot, "rating-bad")
    pilot.tap("rating-send")
    pilot.wait_screen("done")
    assert runtime.wait_for_outbox(timeout=30)
    correction = runtime.sandbox.corrections(case_no)[0]
    assert correction["materials"] == ["household_register"]
    assert all(a["complete"] for a in correction["attachments"])
    ratings = [json.loads(r[0]) for r in runtime.sandbox.db.query("SELECT body FROM ratings")]
    rating = next(r for r in ratings if r.get("case_no") == case_no)
    site = runtime.settings.site
    assert rating["level"] == 2 and rating["reasons"] == ["too_slow"] and rating["comment"] == "慢"
    assert rating["matter_code"] == ALLOWANCE and rating["channel"] == "kiosk"
    assert rating["region_code"] == site.region_code and rating["department"]
    pilot.tap("done-finish")
    pilot.wait_screen("attract")


def test_someone_elses_card_cannot_correct_the_case(ui: tuple[Any, Any], other: OtherKiosk) -> None:
    app, pilot = ui
    to_correct(pilot, other)
    app.core.simulation.lay_test_card("young")
    pilot.wait_screen("problem", timeout=30)
    assert app.nav.current_screen.message == ZH["correction.error.not_applicant"]
    assert app.session.identity is None  # the other person's identity is not kept
    shot(pilot, "not-applicant")
    pilot.tap("problem-leave")
    pilot.wait_screen("home")
