"""What the voice says, listened to on every screen of every journey.

Issue 19, item 6: only each screen's fixed prompt was spoken. A citizen who reads with
difficulty also needs to hear the 一次性告知 list of materials, the outcome of each step
(受理成功，请取走回执; 缴费成功; an error and what to do next) and the choices on the
screen; still never personal data. These tests listen to the text the voice is given to
speak, by the screen showing when it is said, while every registered journey runs with
planted people on the ID card reader and planted typed answers (the pattern of
tests/screens/test_ui_privacy.py, which also searches the voice's WAV folder, where each
WAV file has its text beside it, for them).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from kivy.clock import Clock

from config import I18N_DIR
from kiosk.i18n import load_messages
from kiosk.masking import mask_id_number, mask_name
from terminal.demo import script
from terminal.demo.journeys import JOURNEYS, load
from terminal.demo.journeys.steps import Trip
from tests.support.people import TYPED, plant_people, texts_of
from tests.support.ui import paper_out, platform_down

ZH = load_messages("zh_CN", I18N_DIR)
EN = load_messages("en", I18N_DIR)
# what each outcome screen must say, whenever it shows (every journey here prints fine)
OUTCOMES = {
    "receipt": ["voice.receipt", "receipt.printed"],  # 受理成功。回执已打印，请取走…
    "certificate": ["voice.certificate", "certificate.printed"],
    "booked": ["voice.booked", "booked.printed"],
    "complaint_ticket": ["voice.complaint_ticket", "complaint.printed"],
    "certified": ["voice.certified", "face.certified.printed"],  # 认证成功。认证结果单已打印…
}
PASSING = {"wait", "submit"}  # shown while work runs: may be gone before a word is said


class Ear:
    """What the voice is asked to say, by the screen it is said on."""

    def __init__(self, app: Any) -> None:
        self.app = app
        # each screen shown: its name, the frame it came in, and on the notice the
        # materials its flow asks for
        self.shown: list[tuple[str, int, list[str]]] = []
        self.said: list[tuple[int, str, str]] = []  # (screens shown so far, on which, what)
        self.arrived(None, app.nav.current)

    def arrived(self, _sm: object, name: str) -> None:
        flow, lang = self.app.flow, self.app.lang
        materials = [m.name.get(lang) for m in flow.materials] if name == "notice" else []
        self.shown.append((name, Clock.frames, materials))

    def heard(self, text: str, _lang: str) -> None:
        self.said.append((len(self.shown), self.app.nav.current, text))

    def visits(self) -> list[tuple[str, str, list[str]]]:
        """(screen, all that was said on it, the notice's materials) for each screen
        shown, in order. What is said belongs to the screen showing, whether the voice
        speaks as the screen changes or a frame later. A screen left within the frame it
        came in was never on the display (home, passed on the way from the attract
        screen straight to 办件查询) and is not counted."""
        texts = [""] * len(self.shown)
        for seen, screen, text in self.said:
            later = (i for i in range(seen - 1, len(self.shown)) if self.shown[i][0] == screen)
            texts[next(later, seen - 1)] += text
        ends = [frame for _, frame, _ in self.shown[1:]] + [-1]
        visits = zip(self.shown, texts, ends, strict=True)
        return [(name, text, listed) for (name, frame, listed), text, end in visits if frame != end]

    def said_on(self, screen: str) -> str:
        return " ".join(text for name, text, _ in self.visits() if name == screen)


@contextlib.contextmanager
def listening(app: Any, pilot: Any) -> Iterator[Ear]:
    """Listen to the voice: the text it is given, as it is given, which it also writes
    beside each WAV file (kiosk/voice.py) and then speaks."""
    ear, voice = Ear(app), app.core.voice
    speak = voice.say

    def say(text: str, lang: str) -> None:
        ear.heard(text, lang)
        speak(text, lang)

    app.nav.sm.bind(current=ear.arrived)
    voice.say = say
    try:
        yield ear
        pilot.step(3)  # the last screen has its say
    finally:
        del voice.say
        app.nav.sm.unbind(current=ear.arrived)


@pytest.fixture
def people(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Planted people and typed answers; what of them must never be said, masked too."""
    secrets = list(TYPED)
    # not test_ui_privacy's people: the session's one platform keeps the appointment they
    # booked, and 预约办 refused a second that day (already_booked_that_day)
    for person in plant_people(monkeypatch, sequence="774"):
        secrets += [*texts_of(person), mask_name(person.name), mask_id_number(person.id_number)]
    return sorted(set(secrets))


def test_every_journey_is_heard_with_its_materials_outcomes_and_choices_and_nothing_personal(
    ui: tuple[Any, Any],
    people: list[str],
    card_away: Callable[[], None],
    tmp_path: Path,
) -> None:
    app, pilot = ui
    assert app.core.voice.enabled and JOURNEYS
    heard: dict[str, list[tuple[str, str, list[str]]]] = {}
    for name in sorted(JOURNEYS):
        card_away()
        if pilot.screen != "attract" or app.session.identity is not None:
            app.finish()
        pilot.wait_screen("attract")
        with listening(app, pilot) as ear:
            summary = load(name)(app, pilot, tmp_path / name)
        assert summary["ok"] is True, (name, summary)
        heard[name] = ear.visits()[1:]  # from the first screen after the attract screen

    everything = [(j, screen, text) for j, visits in heard.items() for screen, text, _ in visits]
    # each screen a citizen stops at speaks
    silent = [(j, s) for j, s, text in everything if not text and s not in PASSING]
    assert silent == [], "\n".join(f"{j}: {s} {text!r}" for j, s, text in everything)
    # the 一次性告知: every material, on every notice shown
    notices = [(listed, text) for v in heard.values() for s, text, listed in v if s == "notice"]
    assert notices, "no journey showed the notice: nothing was listened for"
    for listed, text in notices:
        assert listed and all(material in text for material in listed), (listed, text)
    # the outcome of each step
    for screen, keys in OUTCOMES.items():
        texts = [text for _, s, text in everything if s == screen]
        assert texts, f"no journey reached {screen}: its outcome was not listened for"
        assert all(ZH[key] in text for text in texts for key in keys), (screen, texts)
    instant = " ".join(text for _, text, _ in heard["instant"])
    assert ZH["payment.paid"] in instant  # 缴费成功
    # the choices on screen
    rating = [text for _, s, text in everything if s == "rating"]
    levels = [ZH[f"rating.level{n}"] for n in range(1, 6)]
    assert rating and all(level in text for text in rating for level in levels)
    notice = [text for _, s, text in everything if s == "notice"]
    assert all(ZH["notice.accept"] in text and ZH["notice.print"] in text for text in notice)
    # and nothing of the planted people, whole or masked
    leaks = [(j, s, secret) for j, s, text in everything for secret in people if secret in text]
    assert leaks == []


def test_an_error_is_said_with_what_to_do_next(ui: tuple[Any, Any]) -> None:
    """即时办 with the platform down: the problem, what to do, and the choices."""
    app, pilot = ui
    code = "33102300GJ-GG-0001"  # 住房公积金缴存证明: free, instant
    trip = Trip(app, pilot, None)
    trip.apply("gjj", code, "instant")
    trip.answer_form({"purpose": "record"})
    with platform_down(app), listening(app, pilot) as ear:
        pilot.tap("review-confirm")
        trip.wait("problem", timeout=30)
    said = ear.said_on("problem")
    for key in ("error.upstream.live", "problem.advice", "problem.retry", "problem.leave"):
        assert ZH[key] in said, (key, said)
    app.finish()
    pilot.wait_screen("attract")


def test_a_receipt_that_did_not_print_is_said_so_in_either_language(
    ui: tuple[Any, Any],
) -> None:
    """承诺办 with the printer out of paper: accepted, not printed, what to do, and the
    reprint button; and the notice's materials in English after a tap on the language."""
    app, pilot = ui
    code = "33102300MZ-JF-0001"  # 高龄津贴申领
    trip = Trip(app, pilot, None)
    trip.open_matter("gljt", code)
    trip.start(code, "promised")
    trip.wait("identity")
    with listening(app, pilot) as ear:
        trip.identify()
        trip.wait("notice")
        pilot.tap("lang")
        pilot.step(3)
    english = ear.said_on("notice")
    assert all(m.name.get("en") in english for m in app.flow.materials), english
    assert EN["notice.accept"] in english
    pilot.tap("lang")
    pilot.tap("notice-accept")
    trip.wait("form")
    script.fill_form(app, pilot)
    pilot.tap("form-next")
    trip.wait("capture")
    script.capture_required(app, pilot)
    trip.wait("review")
    with paper_out(app), listening(app, pilot) as ear:
        pilot.tap("review-confirm")
        trip.wait("receipt", timeout=60)
    said = ear.said_on("receipt")
    for key in ("voice.receipt", "error.printer.paper_out", "receipt.reprint"):
        assert ZH[key] in said, (key, said)
    assert ZH["receipt.not_printed_advice"] in said and ZH["receipt.printed"] not in said
    app.finish()
    pilot.wait_screen("attract")
