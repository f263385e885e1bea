"""Chinese line breaking (禁则) on the screens, measured on the lines Kivy really laid out.

Issue 19, item 3: on the payment screen "。" wrapped onto a line of its own, because
Kivy breaks a line without spaces wherever the width runs out. The labels now break
their text by the rule paper follows too (kiosk/linebreak.py), in both sizes and both
languages; these tests read the lines from each label's laid-out text, not from what
the label was asked to show.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from kivy.factory import Factory
from kivy.metrics import dp
from kivy.uix.label import Label

from config import I18N_DIR
from kiosk.i18n import load_messages
from kiosk.linebreak import break_lines
from screens.pilot import walk
from screens.registry import SCREENS
from screens.theme import sizes
from terminal.demo.journeys.steps import Trip
from tests.support.linebreak import break_faults

CREDIT_REPORT = "33102300ZX-GG-0001"  # 个人信用报告查询打印: a fee, so the payment screen


def laid_out(label: Label) -> list[str]:
    """The lines Kivy laid the label's text out in (its core label's layout)."""
    return ["".join(word.text for word in line.words) for line in label._label._cached_lines]


def wrapping_labels(root: Any) -> Iterator[Label]:
    """Labels under ``root`` that wrap their text in their width."""
    for widget in walk(root):
        if (
            isinstance(widget, Label)
            and widget.text_size[0] is not None
            and not widget.shorten
            and not widget.markup
        ):
            yield widget


def screen_faults(app: Any, pilot: Any) -> dict[str, list[str]]:
    """Every forbidden break on the current screen, by the label's text."""
    pilot.step(3)
    found = {}
    for label in wrapping_labels(app.nav.current_screen):
        if not label.text:
            continue
        lines = laid_out(label)
        faults = break_faults(lines)
        faults += [f"{word!r} split" for word in ("App",) if _split(word, label, lines)]
        if faults:
            found[label.text] = faults
    return found


def _split(word: str, label: Label, lines: list[str]) -> bool:
    return word in label.text and not any(word in line for line in lines)


def test_the_payment_screen_keeps_punctuation_and_words_together(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    trip = Trip(app, pilot, None)
    trip.apply("xybg", CREDIT_REPORT, "instant")
    trip.answer_form({"purpose": "loan"})
    pilot.tap("review-confirm")
    trip.wait("payment")
    pilot.wait_until(lambda: app.flow.payment is not None, "the payment order")
    how = next(w for w in wrapping_labels(app.nav.current_screen) if "App" in w.text)
    assert "。" in how.text
    seen = {}
    for lang in ("zh_CN", "en"):
        for elderly in (False, True):
            if app.elderly != elderly:
                pilot.tap("elderly")
            pilot.step(3)
            seen[lang, elderly] = laid_out(how)
            assert screen_faults(app, pilot) == {}, (lang, elderly)
        pilot.tap("lang")
        pilot.tap("elderly")
    # the sentence really wrapped in each case: the rule was put to the test
    assert all(len(lines) > 1 for lines in seen.values()), seen
    assert not any("。" in lines for lines in seen.values())
    app.finish()
    pilot.wait_screen("attract")


ZH = load_messages("zh_CN", I18N_DIR)
EN = load_messages("en", I18N_DIR)
LONG = sorted({text for messages in (ZH, EN) for text in messages.values() if len(text) > 12})


@pytest.mark.parametrize("elderly", [False, True], ids=["normal", "elderly"])
def test_every_message_wraps_by_the_rules_and_as_the_rule_says(
    ui: tuple[Any, Any], elderly: bool
) -> None:
    """Every translated text of both languages, in a screen label at the widths the
    screens give them, in both sizes: the lines Kivy lays out are the rule's lines (Kivy's
    own wrapping never acts), and no line breaks against 禁则."""
    app, _pilot = ui
    label = Factory.KLabel(size_hint_x=None)
    label.font_size = dp(sizes(elderly).body_text)
    app.nav.current_screen.add_widget(label)
    bad = {}
    try:
        for width in (260, 420, 620):
            label.width = width
            for text in LONG:
                label.text = text
                label.texture_update()
                lines = laid_out(label)
                room = width - label.padding[0] - label.padding[2]
                measure = label._label.get_extents
                expected = break_lines(text, lambda line, m=measure, r=room: m(line)[0] <= r)
                if lines != expected or break_faults(lines):
                    bad[width, text] = lines
    finally:
        app.nav.current_screen.remove_widget(label)
    assert bad == {}


def test_every_label_that_wraps_on_any_screen_breaks_by_the_rules(ui: tuple[Any, Any]) -> None:
    """Apply them wherever text wraps: every screen is built, and each label in it that
    wraps in its width is one that follows 禁则."""
    app, _pilot = ui
    plain = [
        f"{name}: {type(label).__name__} {label.text!r}"
        for name in SCREENS
        for label in wrapping_labels(app.nav.screen(name))
        if not hasattr(label, "broken_text")
    ]
    assert plain == []
