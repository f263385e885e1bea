"""The Kivy application: the window, the language and 长辈版 the screens read, and the end
of a session.

The app is handed the kiosk core (screens/core.py) and joins the parts that each do one
thing: :class:`~screens.navigator.Navigator` (which screen shows),
:class:`~screens.runner.FlowRunner` (the session's flow and its effects),
:class:`~screens.cards.CardRouter` (card events), :class:`~screens.idle.IdleWatch` (the
idle warning) and :class:`~screens.worker.Worker` (blocking work off the UI thread).
Screens reach them as ``app.nav``, ``app.runner`` and ``app.worker``.
"""

from __future__ import annotations

import dataclasses as dc
import logging
from collections.abc import Callable
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.input.motionevent import MotionEvent
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import ScreenManager

from kiosk.i18n import Translator
from kiosk.session import EndReason
from screens import theme
from screens.announcer import Announcer
from screens.cards import CardRouter
from screens.core import KioskCore, OnSession
from screens.idle import IdleOverlay, IdleWatch
from screens.navigator import Navigator
from screens.runner import FlowRunner
from screens.worker import Worker

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
WARM_UP_AFTER_S = 2.0  # the pinyin index is built once the first screen is up
RESTART_CHECK_S = 5.0  # how often the attract screen asks whether a new version waits


@dc.dataclass(frozen=True)
class Liveness:
    """What the UI thread tells the system's supervisor (terminal/system/watchdog.py)."""

    ready: Callable[[], object]
    alive: Callable[[], object]
    interval_s: float


class KioskApp(OnSession, App):
    lang = StringProperty("zh_CN")
    elderly = BooleanProperty(False)

    def __init__(self, core: KioskCore, liveness: Liveness | None = None) -> None:
        super().__init__()
        self.core = core
        self.liveness = liveness
        self.title = "便民服务终端"
        self.translator = Translator(core.settings.ui.language)
        self.lang = core.settings.ui.language
        self.elderly = core.settings.ui.elderly_default
        # the rules every screen and the idle overlay use, before any of them is made
        Builder.load_file(str(HERE / "common.kv"))
        Builder.load_file(str(HERE / "idle.kv"))
        self.worker = Worker()
        self.nav = Navigator()
        self.runner = FlowRunner(core, self.nav, self.worker)
        self.announcer = Announcer(core, self.nav)
        self.runner.changed = self.announcer.changed
        self.cards = CardRouter(core, self.nav, self.runner)
        self.idle = IdleWatch(core.sessions, IdleOverlay(), self.in_session, self.speak)
        self.restart_requested = False

    # ---- what the .kv files call ----

    def tr(self, key: str, *_deps: object, **values: object) -> str:
        """Translate ``key``; extra positional args only make kv re-evaluate on change."""
        return self.translator(key, **values)

    def station_name(self, *_deps: object) -> str:
        site = self.core.settings.site
        return site.station_name_en if self.lang == "en" else site.station_name

    def sz(self, name: str, *_deps: object) -> int:
        return int(getattr(theme.sizes(self.elderly), name))

    # ---- building ----

    def build(self) -> ScreenManager:
        self.nav.screen("attract")  # the others are built on first use (start-up time)
        self.nav.sm.bind(current=lambda *_: self.announcer.arrived())
        Window.bind(on_touch_down=self._on_any_touch)
        Window.bind(on_request_close=self._refuse_close, on_keyboard=self._swallow_keys)
        Window.clearcolor = theme.PALETTE.rgba("background")
        self.core.sessions.on_end(self._on_session_end)
        self.cards.listen()
        Clock.schedule_interval(lambda _dt: self.idle.tick(), 0.5)
        Clock.schedule_interval(lambda _dt: self.announcer.announce(), 0.5)
        Clock.schedule_once(lambda _dt: self.core.warm_up(), WARM_UP_AFTER_S)
        Clock.schedule_interval(lambda _dt: self._restart_if_due(), RESTART_CHECK_S)
        if self.liveness is not None:  # ready once the first frame is up; alive while
            live = self.liveness  # this thread runs (a hung UI stops the pings)
            Clock.schedule_once(lambda _dt: live.ready(), 0)
            Clock.schedule_interval(lambda _dt: live.alive(), live.interval_s)
        return self.nav.sm

    def on_stop(self) -> None:
        self.worker.stop()

    # ---- the header's buttons ----

    def back(self) -> None:
        if self.nav.current_screen.on_back() or self.runner.back():
            return
        self.nav.previous()

    def home(self) -> None:
        self.core.sessions.begin()  # a citizen is here (counted once per session)
        self.nav.forget()
        self.nav.go("home", remember=False)

    def speak(self, prompt: str) -> None:
        """Say an overlay's prompt aloud (the screens speak through the announcer)."""
        self.core.voice.say(self.translator(f"voice.{prompt}"), self.lang)

    def finish(self) -> None:
        self.core.sessions.end(EndReason.FINISHED)

    def extend_session(self) -> None:
        self.idle.extend()

    def toggle_language(self) -> None:
        lang = "en" if self.lang == "zh_CN" else "zh_CN"
        self.translator.set_language(lang)  # before the property: kv re-reads texts on it
        self.lang = lang
        self.session.language = self.lang
        self.nav.current_screen.render()
        self.announcer.arrived()  # all of it again, in the other language

    def toggle_elderly(self) -> None:
        self.elderly = not self.elderly
        self.session.elderly = self.elderly
        self.nav.current_screen.render()

    def in_session(self) -> bool:
        return self.nav.current not in ("attract", "outofservice")

    def _restart_if_due(self) -> None:
        """Another software version is switched in (terminal/updater): restart onto it,
        never while a citizen (or a technician, or an agent) is being served."""
        if self.restart_requested or self.in_session() or not self.core.restart_due():
            return
        log.info("another software version is ready: restarting onto it")
        self.restart_requested = True
        self.stop()

    # ---- touches and lockdown: citizens cannot leave the app ----

    def _on_any_touch(self, _window: object, touch: MotionEvent) -> bool:
        if getattr(touch, "button", "left") not in ("left", None):
            return True  # right/middle clicks and wheels do nothing on a kiosk
        self.core.sessions.touch()
        self.core.desk.touch()  # an agent at work is not idle
        return False

    def _refuse_close(self, *_args: object, **_kwargs: object) -> bool:
        """Alt+F4, the window's close button, a stray SIGTERM to the window: refused."""
        log.info("a request to close the window was refused")
        return True

    def _swallow_keys(self, *_args: object) -> bool:
        """Escape, Alt+Tab, F-keys and every other key combination: eaten. Our own
        keypads are on screen; a physical keyboard has nothing to do here."""
        return True

    # ---- the end of a session ----

    def _on_session_end(self, reason: EndReason) -> None:
        """Called by the session manager after the wipe: reset every screen."""
        self.core.voice.stop()
        self.announcer.forget()
        self.core.desk.sign_out(reason=str(reason))  # the agent leaves with the session
        self.idle.overlay.hide()
        for screen in self.nav.screens:
            screen.reset()
            screen.forget()
        self.translator.set_language(self.core.settings.ui.language)
        self.lang = self.core.settings.ui.language
        self.elderly = self.core.settings.ui.elderly_default
        self.nav.forget()
        self.nav.show("attract")
        log.info("screens reset after session end (%s)", reason)
        if self.core.between_sessions() is not None:
            log.info("a new fleet configuration is active: restarting to load it")
            self.restart_requested = True
            self.stop()
