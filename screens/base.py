"""The base of every screen: render from the session, reset to nothing."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.uix.screenmanager import Screen


class KioskScreen(Screen):
    """A screen renders the current session/flow state and forwards intents.

    It keeps no personal data of its own: :meth:`reset` clears whatever it showed, and
    the app calls it on every screen when a session ends.
    """

    @property
    def app(self) -> Any:
        return App.get_running_app()

    def on_pre_enter(self, *args: Any) -> None:
        self.render()

    def render(self) -> None:
        """Fill the widgets from the session; called on entry and on language change."""

    def reset(self) -> None:
        """Clear every widget that showed something about the citizen."""

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show field errors (message keys) from an :class:`Invalid` transition."""

    def on_back(self) -> bool:
        """Handle the header's back button; False lets the app go to the previous screen."""
        return False
