"""Every screen: English from anywhere, 长辈版 sizes on real widgets, clear messages."""

from __future__ import annotations

from typing import Any

from kivy.metrics import dp
from kivy.uix.label import Label

from config import I18N_DIR
from kiosk.i18n import load_messages
from screens import theme
from screens.matter import open_matter
from screens.pilot import walk
from screens.widgets import KButton, Tile

EN = load_messages("en", I18N_DIR)
MATTER = "33102300MZ-JF-0001"


def walk_to(app: Any, pilot: Any, name: str) -> None:
    """Reach ``name`` the way a citizen would, from the attract screen: search is a way
    off home, the others follow one another."""
    ways = {
        "home": lambda: pilot.tap("start"),
        "search": lambda: pilot.tap("search"),
        "matter": lambda: open_matter(app, MATTER),
        "identity": lambda: pilot.tap("apply"),
        "notice": lambda: app.core.simulation.lay_test_card("elder"),
        "form": lambda: pilot.tap("notice-accept"),
        "capture": lambda: skip_to_capture(app),
    }
    path = ["home", "search"] if name == "search" else [w for w in ways if w != "search"]
    for screen in path:
        ways[screen]()
        pilot.wait_screen(screen)
        if screen == name:
            return


def skip_to_capture(app: Any) -> None:
    """From the form straight to the materials: what is answered does not matter here."""
    app.session.flow.step = app.session.flow.step.__class__.MATERIALS
    app.nav.go("capture")


def test_english_is_one_tap_away_on_every_screen(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    for name in ["attract", "home", "search", "matter", "identity", "notice", "form", "capture"]:
        if app.session.identity is not None:
            app.core.simulation.take_test_card()  # the citizen takes the card: the session ends
            watcher = app.core.hardware._watcher
            pilot.wait_until(lambda w=watcher: not w.card_present, "the reader to see no card")
        elif pilot.screen != "attract":
            app.finish()
        pilot.wait_screen("attract")
        if name != "attract":
            walk_to(app, pilot, name)
        assert pilot.screen == name
        pilot.tap("lang")
        pilot.step(3)
        texts = pilot.texts()
        assert app.lang == "en", name
        assert "中文" in texts, name  # the switch back
        if name != "attract":
            assert EN["nav.finish"] in texts, name
        assert not any(t == "结束办理" for t in texts), name
        pilot.tap("lang")
        assert app.lang == "zh_CN"


def test_elderly_mode_on_real_widgets(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    pilot.tap("elderly")
    assert app.elderly
    pilot.tap("start")
    pilot.wait_screen("home")
    screen = app.nav.sm.current_screen
    tiles = [w for w in walk(screen) if isinstance(w, Tile)]
    assert len(tiles) == theme.ELDERLY.home_items
    targets = [
        w for w in walk(screen) if isinstance(w, (KButton, Tile)) and w.opacity and not w.disabled
    ]
    assert targets
    for w in targets:
        assert w.height >= dp(60) - 0.5 and w.width >= dp(60) - 0.5, (w, w.size)
    sizes = [w.font_size for w in walk(screen) if isinstance(w, Label) and w.text]
    assert max(sizes) >= dp(30)
    assert min(sizes) >= dp(18)
    app.finish()
    pilot.wait_screen("attract")
    assert not app.elderly  # the next citizen starts from the site's default
    pilot.tap("elderly")  # … and can switch it on again (a hidden box once ate this tap)
    assert app.elderly
    pilot.tap("elderly")
    assert not app.elderly


def test_a_bad_form_value_is_explained_in_plain_words(ui: tuple[Any, Any]) -> None:
    app, pilot = ui
    walk_to(app, pilot, "notice")
    pilot.tap("notice-accept")
    pilot.wait_screen("form")
    pilot.tap("field-applicant")
    pilot.tap("choice-self")
    pilot.tap("field-phone")
    pilot.type("12345")
    pilot.tap("form-next")
    pilot.step(3)
    assert pilot.screen == "form"
    screen = app.nav.sm.current_screen
    assert screen.active == "phone"
    assert screen.error_text == "请填写11位手机号码"  # from the translations, not a code
    assert screen.errors["phone"] == "form.error.phone"


def test_a_missing_document_camera_is_told_and_the_kiosk_keeps_running(
    ui: tuple[Any, Any],
) -> None:
    app, pilot = ui
    hardware = app.core.hardware
    camera = hardware.docscan
    hardware.docscan = None
    try:
        walk_to(app, pilot, "capture")
        pilot.tap("capture-shoot")
        screen = app.nav.sm.current_screen
        pilot.wait_until(lambda: screen.error_text, "an error message")
        assert screen.error_text == app.tr("error.device.missing")
        assert pilot.screen == "capture"
    finally:
        hardware.docscan = camera


def test_every_screen_speaks_its_prompt(ui: tuple[Any, Any], state_dir: Any) -> None:
    app, pilot = ui
    voice = app.core.voice
    assert voice.enabled
    before = voice.spoken
    walk_to(app, pilot, "identity")
    assert voice.spoken >= before + 3  # home, matter, identity
    voice.wait()
    latest = sorted((state_dir / "voice").glob("prompt-*.wav"))[-1]
    assert latest.read_bytes()[:4] == b"RIFF" and latest.stat().st_size > 10_000


def test_no_key_or_click_leaves_the_app(ui: tuple[Any, Any]) -> None:
    from kivy.core.window import Window

    app, pilot = ui
    walk_to(app, pilot, "home")
    for key, mods in [(27, []), (9, ["alt"]), (285, ["alt"]), (283, ["ctrl", "alt"])]:
        assert Window.dispatch("on_keyboard", key, 0, None, mods) is True  # Esc, Alt+Tab ...
    assert Window.dispatch("on_request_close") is True  # Alt+F4, the close button
    pilot.step(3)
    assert pilot.screen == "home" and app.nav.sm is not None
    search = pilot.find("search")
    x, y = search.to_window(*search.center)
    from kivy.base import EventLoop

    from screens.pilot import _Touch

    touch = _Touch(x, y)
    touch.button = "right"
    EventLoop.post_dispatch_input("begin", touch)
    EventLoop.post_dispatch_input("end", touch)
    pilot.step(3)
    assert pilot.screen == "home"  # a right click taps nothing
