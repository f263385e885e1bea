"""The scripted citizen journey shared by ``kiosk demo`` and the UI tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from terminal.harness import simulation_of

if TYPE_CHECKING:
    from screens.pilot import Pilot

ANSWERS = {"phone": "13800138000", "payment_card_number": "6222020200112233446"}
CHOICES = {"applicant": "self", "bank": "rcb"}
# Typed in pinyin, each syllable's character picked from the candidates: 东湖村三组
TEXT_PINYIN = {
    "address": [("dong", "东"), ("hu", "湖"), ("cun", "村"), ("san", "三"), ("zu", "组")]
}


def shoot(pilot: Pilot, out: Path | None, name: str, shots: list[str]) -> None:
    shots.append(name)
    if out is not None:
        pilot.screenshot(out / f"{len(shots):02d}-{name}.png")


def pick_candidate(pilot: Pilot, text: str, pages: int = 6) -> None:
    """Tap the candidate showing ``text``, paging with "more" as a citizen would."""
    for _ in range(pages):
        for i in range(10):
            button = pilot.find(f"cand-{i}")
            if button is not None and button.text == text:
                pilot.tap(f"cand-{i}")
                return
        pilot.tap("cand-more")
    raise AssertionError(f"candidate {text!r} not offered")


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
    shots: list[str] = []
    pilot.wait_screen("attract")
    shoot(pilot, out, "attract", shots)
    pilot.tap("start")
    pilot.wait_screen("home")
    shoot(pilot, out, "home", shots)
    pilot.tap("search")
    pilot.wait_screen("search")
    pilot.type(query)
    matter = app.core.catalogue.search(query)[0]
    pilot.wait_until(lambda: pilot.find(f"result-{matter.code}"), "search result")
    shoot(pilot, out, "search", shots)
    pilot.tap(f"result-{matter.code}")
    pilot.wait_screen("matter")
    shoot(pilot, out, "matter", shots)
    pilot.tap("apply")
    pilot.wait_screen("identity")
    shoot(pilot, out, "identity", shots)
    simulation_of(app).lay_test_card(card)
    pilot.wait_screen("notice")
    shoot(pilot, out, "notice", shots)
    pilot.tap("notice-accept")
    pilot.wait_screen("form")
    fill_form(app, pilot)
    shoot(pilot, out, "form", shots)
    pilot.tap("form-next")
    pilot.wait_screen("capture")
    capture_required(app, pilot, after_first=lambda: shoot(pilot, out, "capture", shots))
    pilot.wait_screen("review")
    shoot(pilot, out, "review", shots)
    pilot.tap("review-confirm")
    pilot.wait_screen("receipt", timeout=60)
    shoot(pilot, out, "receipt", shots)
    submission = app.session.submission
    result = {
        "matter_code": matter.code,
        "number": submission.number,
        "provisional": submission.provisional,
        "printed": submission.printed,
        "screens": shots,
    }
    pilot.tap("receipt-continue")
    pilot.wait_screen("rating")
    shoot(pilot, out, "rating", shots)
    pilot.tap(f"rate-{rating}")
    pilot.wait_screen("done")
    shoot(pilot, out, "done", shots)
    pilot.tap("done-finish")
    pilot.wait_screen("attract")
    return result
