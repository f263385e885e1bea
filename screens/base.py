"""The base of every screen: render from the session, reset to nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.hardware import CardEvent, CardPayload, CardSource

if TYPE_CHECKING:
    from screens.app import KioskApp

F = TypeVar("F")


class KioskScreen(Screen):
    """A screen renders the current session/flow state and forwards intents.

    It keeps no personal data of its own: :meth:`reset` clears whatever it showed, and
    the app calls it on every screen when a session ends.
    """

    @property
    def app(self) -> KioskApp:
        app: KioskApp = App.get_running_app()
        return app

    def running(self, kind: type[F]) -> F | None:
        """The session's flow when it is a ``kind`` (else None: nothing to render)."""
        flow = self.app.flow
        return flow if isinstance(flow, kind) else None

    _rendered: object = None

    def on_pre_enter(self, *args: object) -> None:
        key = self.render_key()
        if key is None or key != self._rendered:
            self.render()
            self._rendered = key

    def render_key(self) -> object:
        """What the screen's content depends on; entering again with the same key skips
        the rebuild (screen changes stay fast). None: always render."""
        return None

    def forget(self) -> None:
        """Called with :meth:`reset` when a session ends."""
        self._rendered = None

    def render(self) -> None:
        """Fill the widgets from the session; called on entry and on language change."""

    def reset(self) -> None:
        """Clear every widget that showed something about the citizen."""

    # What the voice reads after the prompt, when it is shown: properties holding text,
    # and properties holding a message key (an error and what to do next, an outcome).
    voiced: tuple[str, ...] = ()
    voiced_keys: tuple[str, ...] = ()

    def spoken(self) -> list[str]:
        """What the voice says on this screen now, before the choices on it (which
        screens/announcer.py reads off the buttons): the screen's prompt, then what it
        shows of the citizen's progress, such as the outcome of a step, an error and what
        to do next, or a list to prepare. Translated text, never personal data."""
        tr = self.app.tr
        said = [tr(f"voice.{self.name}")]
        said += [str(getattr(self, name)) for name in self.voiced]
        keys = (getattr(self, name) for name in self.voiced_keys)
        return said + [tr(key) for key in keys if key]

    # The text property a refused step's errors are shown in; None: not shown.
    errors_shown_in: str | None = None

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show field errors (message keys) from an :class:`Invalid` transition."""
        if self.errors_shown_in is not None:
            shown = "\n".join(self.app.tr(k) for k in errors.values())
            setattr(self, self.errors_shown_in, shown)

    def on_back(self) -> bool:
        """Handle the header's back button; False lets the app go to the previous screen."""
        return False

    # ---- cards (screens/cards.py) ----

    def on_card(self, event: CardEvent, payload: CardPayload, source: CardSource) -> bool:
        """True: this screen takes the card event itself (nothing else happens)."""
        return False

    def card_refused(self, key: str) -> None:
        """A card was laid down that cannot prove who the citizen is (message ``key``)."""

    def identity_arrived(self) -> None:
        """A card proved who the citizen is while no flow asked for it."""
        self.render()


class ErrorLineScreen(KioskScreen):
    """A screen with one line for what went wrong and what to do next: a refused
    step's errors (message keys) land on it translated, and the voice reads it."""

    voiced: tuple[str, ...] = ("error_text",)
    errors_shown_in = "error_text"
    error_text = StringProperty("")
