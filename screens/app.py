"""The Kivy application: screen manager, navigation, idle handling, device events.

Attributes flow down (the app tells screens what to render), intents flow up (screens
call :meth:`KioskApp.send`). Blocking work runs in a worker thread and reports back on the
UI thread through :meth:`KioskApp.run_bg`.
"""

from __future__ import annotations

import dataclasses as dc
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.errors import IdentityRejected, describe
from kiosk.flows.base import Abort, Invalid, Next, Step, SubmitFailed, Submitted
from kiosk.flows.effects import SubmitApplication
from kiosk.i18n import Translator
from kiosk.identity import identity_from_record
from kiosk.session import EndReason, IdlePhase
from screens import modes, services, theme
from screens.base import KioskScreen
from screens.idle import IdleOverlay
from screens.registry import SCREENS

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent

STEP_SCREENS = {
    Step.IDENTITY: "identity",
    Step.NOTICE: "notice",
    Step.FORM: "form",
    Step.MATERIALS: "capture",
    Step.REVIEW: "review",
    Step.SUBMIT: "submit",
    Step.RECEIPT: "receipt",
    Step.RATING: "rating",
    Step.DONE: "done",
    **modes.MODE_SCREENS,
    Step.CONSENT: "consent",
}
# 帮办代办: the consent flow ends on the separate biometric consent, then the agent's
# citizen goes home to pick matters; leaving it returns to the agent's desk.
ASSIST_SCREENS = {**STEP_SCREENS, Step.DONE: "biometric"}


@dc.dataclass(frozen=True)
class Liveness:
    """What the UI thread tells the system's supervisor (terminal/system/watchdog.py)."""

    ready: Callable[[], object]
    alive: Callable[[], object]
    interval_s: float


class KioskApp(App):
    lang = StringProperty("zh_CN")
    elderly = BooleanProperty(False)

    def __init__(self, runtime: Any, liveness: Liveness | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime
        self.liveness = liveness
        self.title = "便民服务终端"
        self.translator = Translator(runtime.settings.ui.language)
        self.lang = runtime.settings.ui.language
        self.elderly = runtime.settings.ui.elderly_default
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="kiosk-worker")
        self._history: list[str] = []
        self.sm: ScreenManager | None = None
        self.restart_requested = False
        self.idle_view: IdleOverlay | None = None

    # ---- helpers the .kv files call ----

    def tr(self, key: str, *_deps: Any, **values: Any) -> str:
        """Translate ``key``; extra positional args only make kv re-evaluate on change."""
        return self.translator(key, **values)

    def station_name(self, *_deps: Any) -> str:
        site = self.runtime.settings.site
        return site.station_name_en if self.lang == "en" else site.station_name

    def sz(self, name: str, *_deps: Any) -> int:
        return int(getattr(theme.sizes(self.elderly), name))

    @property
    def session(self) -> Any:
        return self.runtime.sessions.current

    @property
    def flow(self) -> Any:
        return self.session.flow

    # ---- building ----

    def build(self) -> ScreenManager:
        Builder.load_file(str(HERE / "common.kv"))
        Builder.load_file(str(HERE / "idle.kv"))
        self.sm = ScreenManager(transition=NoTransition())
        self.screen("attract")  # the others are built on first use (start-up time)
        self.sm.bind(current=lambda _sm, name: self.speak(name))
        self.idle_view = IdleOverlay()
        Window.bind(on_touch_down=self._on_any_touch)
        Window.bind(on_request_close=self._refuse_close, on_keyboard=self._swallow_keys)
        Window.clearcolor = theme.PALETTE.rgba("background")
        self.runtime.sessions.on_end(self._on_session_end)
        for source in ("idcard", "smartcard"):
            self.runtime.on_card(self._card_listener(source), source=source)
        Clock.schedule_interval(self._tick, 0.5)
        Clock.schedule_once(lambda _dt: self.runtime.warm_up(), 2.0)
        if self.liveness is not None:  # ready once the first frame is up; alive while
            live = self.liveness  # this thread runs (a hung UI stops the pings)
            Clock.schedule_once(lambda _dt: live.ready(), 0)
            Clock.schedule_interval(lambda _dt: live.alive(), live.interval_s)
        return self.sm

    def on_stop(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    # ---- navigation ----

    def screen(self, name: str) -> KioskScreen:
        """The screen called ``name``, loading its .kv and building it the first time."""
        assert self.sm is not None
        if not self.sm.has_screen(name):
            cls, kv = SCREENS[name]
            Builder.load_file(str(HERE / kv))
            self.sm.add_widget(cls(name=name))
        return self.sm.get_screen(name)  # type: ignore[return-value]

    def go(self, name: str, *, remember: bool = True) -> None:
        assert self.sm is not None
        self.screen(name)
        if remember and self.sm.current != name:
            self._history.append(self.sm.current)
        self.sm.current = name

    @property
    def current_screen(self) -> KioskScreen:
        assert self.sm is not None
        return self.sm.current_screen  # type: ignore[return-value]

    def back(self) -> None:
        if self.current_screen.on_back():
            return
        flow_screens = {*STEP_SCREENS.values(), *services.SCREENS.values()}
        if self.flow is not None and self.current_screen.name in flow_screens:
            self.send_back()
            return
        if self._history:
            assert self.sm is not None
            self.sm.current = self._history.pop()

    def home(self) -> None:
        self._history.clear()
        self.go("home", remember=False)

    def speak(self, prompt: str) -> None:
        """Say the screen's (or overlay's) prompt aloud; never anything personal."""
        self.runtime.voice.say(self.translator(f"voice.{prompt}"), self.lang)

    def finish(self) -> None:
        self.runtime.sessions.end(EndReason.FINISHED)

    def toggle_language(self) -> None:
        lang = "en" if self.lang == "zh_CN" else "zh_CN"
        self.translator.set_language(lang)  # before the property: kv re-reads texts on it
        self.lang = lang
        self.session.language = self.lang
        self.current_screen.render()
        self.speak(self.current_screen.name)

    def toggle_elderly(self) -> None:
        self.elderly = not self.elderly
        self.session.elderly = self.elderly
        self.current_screen.render()

    # ---- the journey ----

    def show_matter(self, code: str) -> None:
        self.screen("matter").show(code)  # type: ignore[attr-defined]
        self.go("matter")

    def start_flow(self, matter_code: str, mode: str = "") -> None:
        """Begin ``matter_code`` as ``mode`` (default: the kiosk's preferred mode)."""
        matter = self.runtime.catalogue.get(matter_code)
        flow = modes.make_flow(self, matter, mode or modes.offered_modes(matter)[0])
        self.go(STEP_SCREENS[flow.step])
        self.current_screen.render()
        modes.run_effect(self, flow.start_effect)

    def step_screen(self, step: Step) -> str:
        """The screen that renders ``step`` of the current flow."""
        flow = self.flow
        if flow is not None and flow.mode == "assist":
            return ASSIST_SCREENS[step]
        return services.screen_for(flow, step, STEP_SCREENS)

    def start_assist(self) -> None:
        """The signed-in agent starts serving a citizen: identity, then consent."""
        from kiosk.flows.assist import ConsentFlow

        member = self.runtime.desk.current
        if member is None:
            self.go("staff_signin", remember=False)
            return
        flow = ConsentFlow(self.session, member, clock=self.runtime.audit.clock)
        self.go(self.step_screen(flow.step))

    step_screens = STEP_SCREENS

    def send(self, intent: Any) -> Any:
        flow = self.flow
        result = flow.handle(intent)
        if isinstance(result, Next):
            name = self.step_screen(result.step)
            self.go(name, remember=False)
            if (
                result.step in (Step.MATERIALS, Step.DONE)
                or result.step in modes.MODE_SCREENS
                or name in services.SCREENS.values()
            ):
                self.current_screen.render()
            if isinstance(result.effect, SubmitApplication):
                self._submit()
            modes.run_effect(self, result.effect)  # none for a submission: done above
        elif isinstance(result, Invalid):
            if flow.step is not Step.SUBMIT:
                self.go(self.step_screen(flow.step), remember=False)
            self.current_screen.show_errors(result.errors)
        elif isinstance(result, Abort):
            self.session.flow = None
            if flow.mode == "assist":
                self.go("staff_desk", remember=False)
            else:
                self.go("home" if services.is_service(flow) else "matter", remember=False)
        return result

    def send_back(self) -> None:
        from kiosk.flows.base import Back

        self.send(Back())

    def _submit(self) -> None:
        session = self.session

        def done(outcome: Any) -> None:
            if session is self.session and self.flow is not None:
                self.send(outcome if isinstance(outcome, Submitted) else SubmitFailed(outcome.key))

        def failed(exc: BaseException) -> None:
            problem = describe(exc)
            log.error("submission failed: %s", problem.log)
            if session is self.session and self.flow is not None:
                self.send(SubmitFailed(problem.key))

        from kiosk.flows.effects import SubmitApplication

        # through the effects: an agent's submission is audited there
        self.run_bg(lambda: self.runtime.effects.run(SubmitApplication(), session), done, failed)

    # ---- background work ----

    def run_bg(
        self,
        fn: Callable[[], Any],
        on_ok: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        def work() -> None:
            try:
                value = fn()
            except Exception as exc:  # reported on the UI thread
                if on_error is not None:
                    Clock.schedule_once(lambda _dt, e=exc: on_error(e))
                else:
                    log.exception("background task failed")
                return
            Clock.schedule_once(lambda _dt: on_ok(value))

        self._pool.submit(work)

    # ---- devices ----

    def _card_listener(self, source: str) -> Any:
        def from_thread(event: str, record: Any) -> None:
            Clock.schedule_once(lambda _dt: self._card_event(event, record, source))

        return from_thread

    def _card_event(self, event: str, record: Any, source: str = "idcard") -> None:
        session = self.session
        claim = getattr(self.current_screen, "on_card", None)
        if claim is not None and claim(event, record, source):
            return  # maintenance and out of service take the card themselves
        if event == "error":
            if self.sm is not None and self.sm.current == "identity":
                self.current_screen.problem = describe(record).key
            return
        if event == "removed":
            if session.identity is not None and session.identity.source == source:
                self.runtime.sessions.end(EndReason.CARD_REMOVED)
            return
        if event != "inserted" or record is None:
            return
        if source == "smartcard" and self.sm is not None and self.sm.current == "staff_signin":
            self.current_screen.card_presented(record)  # type: ignore[attr-defined]
            return
        if session.identity is not None:
            return
        try:
            identity = identity_from_record(record)
        except IdentityRejected as exc:  # a bank card, or a card that keeps its data shut
            if self.sm is not None and self.sm.current == "identity":
                self.current_screen.problem = exc.key
            return
        self.runtime.sessions.touch()
        flow = session.flow
        if flow is not None and (flow.step is Step.IDENTITY or flow.step is Step.LOOKUP):
            from kiosk.flows.base import Identified

            self.send(Identified(identity))
        else:
            session.identity = identity
            if self.sm is not None and self.sm.current == "attract":
                self.home()
            self.current_screen.render()

    # ---- idle and the end of a session ----

    def _on_any_touch(self, _window: Any, touch: Any) -> bool:
        if getattr(touch, "button", "left") not in ("left", None):
            return True  # right/middle clicks and wheels do nothing on a kiosk
        self.runtime.sessions.touch()
        self.runtime.desk.touch()  # an agent at work is not idle
        return False

    # ---- lockdown: citizens cannot leave the app ----

    def _refuse_close(self, *_args: Any, **_kwargs: Any) -> bool:
        """Alt+F4, the window's close button, a stray SIGTERM to the window: refused."""
        log.info("a request to close the window was refused")
        return True

    def _swallow_keys(self, _window: Any, key: int, _scancode: int, _text: Any, mods: Any) -> bool:
        """Escape, Alt+Tab, F-keys and every other key combination: eaten. Our own
        keypads are on screen; a physical keyboard has nothing to do here."""
        return True

    def in_session(self) -> bool:
        return self.sm is not None and self.sm.current not in ("attract", "outofservice")

    def _tick(self, _dt: float) -> None:
        assert self.idle_view is not None
        if not self.in_session():
            self.runtime.sessions.restart_idle()
            self.idle_view.hide()
            return
        state = self.runtime.sessions.idle.state()
        if state.phase is IdlePhase.EXPIRED:
            self.idle_view.hide()
            self.runtime.sessions.end(EndReason.TIMEOUT)
        elif state.phase is IdlePhase.WARNING:
            if not self.idle_view.shown:
                self.speak("idle")
            self.idle_view.show(state.remaining)
        else:
            self.idle_view.hide()

    def extend_session(self) -> None:
        self.runtime.sessions.idle.extend()
        assert self.idle_view is not None
        self.idle_view.hide()

    def _on_session_end(self, reason: EndReason) -> None:
        """Called by the session manager after the wipe: reset every screen."""
        assert self.sm is not None and self.idle_view is not None
        self.runtime.voice.stop()
        self.runtime.desk.sign_out(reason=str(reason))  # the agent leaves with the session
        self.idle_view.hide()
        for screen in self.sm.screens:
            screen.reset()  # type: ignore[attr-defined]
            screen.forget()  # type: ignore[attr-defined]
        self.translator.set_language(self.runtime.settings.ui.language)
        self.lang = self.runtime.settings.ui.language
        self.elderly = self.runtime.settings.ui.elderly_default
        self._history.clear()
        self.go("attract", remember=False)
        self.current_screen.render()
        log.info("screens reset after session end (%s)", reason)
        if self.runtime.between_sessions() is not None:
            log.info("a new fleet configuration is active: restarting to load it")
            self.restart_requested = True
            self.stop()
