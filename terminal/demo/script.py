"""The scripted citizen journey shared by ``kiosk demo`` and the UI tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from terminal.demo.journeys.steps import Trip, pick_candidate
from terminal.harness import simulation_of

if TYPE_CHECKING:
    from screens.pilot import Pilot

ANSWERS = {"phone": "13800138000", "payment_card_number": "6222020200112233446"}
CHOICES = {"applicant": "self", "bank": "rcb"}
# Typed in pinyin, each syllable's character picked from the candidates: 东湖村三组
TEXT_PINYIN = {
    "address": [("dong", "东"), ("hu", "湖"), ("cun", "村"), ("san", "三"), ("zu", "组")]
}


def fill_form(app: Any, pilot: Pilot) -> None:
    for field in app.flow.matter.fields:
        key, kind = field.key, str(field.kind)
        if key in CHOICES:
            pilot.tap(f"field-{key}")
            pilot.tap(f"choice-{CHOICES[key]}")
        elif key in ANSWERS:
            pilot.tap(f"field-{key}")
            pilot.type(ANSWERS[key])
        elif key in TEXT_PINYIN:
            pilot.tap(f"field-{key}")
            for letters, char in TEXT_PINYIN[key]:
                pilot.type(letters)
                pick_candidate(pilot, char)
        elif field.required and field.required_when is None:
            raise AssertionError(f"the script has no answer for required field {key} ({kind})")


def capture_required(app: Any, pilot: Any, after_first: Callable[[], None] | None = None) -> None:
    """On the capture screen: every page of every required material, then on past the
    optional ones; ``after_first`` runs once the first material's pages are in."""
    flow = app.flow
    for index, material in enumerate(flow.materials):
        pilot.wait_until(lambda i=index: flow.material_index == i, f"material {index}")
        if material.required:
            for _ in range(material.pages):
                before = len(flow.pages_for(material.code))
                pilot.tap("capture-shoot")
                pilot.wait_until(
                    lambda c=material.code, n=before: len(flow.pages_for(c)) > n,
                    f"page of {material.code}",
                    timeout=60,
                )
            if index == 0 and after_first is not None:
                after_first()
        pilot.tap("capture-next")


def run_journey(
    app: Any,
    pilot: Pilot,
    out: Path | None = None,
    *,
    query: str = "gljt",
    card: str = "elder",
    rating: int = 5,
) -> dict[str, Any]:
    """Attract → … → done, as a citizen would tap it. Returns what the receipt said."""
    trip = Trip(app, pilot, out)
    trip.reach("attract")
    pilot.tap("start")
    trip.reach("home")
    pilot.tap("search")
    trip.wait("search")
    pilot.type(query)
    matter = app.core.catalogue.search(query)[0]
    pilot.wait_until(lambda: pilot.find(f"result-{matter.code}"), "search result")
    trip.shoot("search")
    pilot.tap(f"result-{matter.code}")
    trip.reach("matter")
    pilot.tap("apply")
    trip.reach("identity")
    simulation_of(app).lay_test_card(card)
    trip.reach("notice")
    pilot.tap("notice-accept")
    trip.wait("form")
    fill_form(app, pilot)
    trip.shoot("form")
    pilot.tap("form-next")
    trip.wait("capture")
    capture_required(app, pilot, after_first=lambda: trip.shoot("capture"))
    trip.reach("review")
    pilot.tap("review-confirm")
    trip.reach("receipt", timeout=60)
    submission = app.session.submission
    result = {
        "matter_code": matter.code,
        "number": submission.number,
        "provisional": submission.provisional,
        "printed": submission.printed,
        "screens": trip.shots,
    }
    pilot.tap("receipt-continue")
    trip.rate_and_finish(rating)
    return result
