"""Home: this site's popular matters, search, and who is signed in (masked)."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from screens.base import KioskScreen
from screens.matter import open_matter
from screens.text import txt
from screens.widgets import Tile


class HomeScreen(KioskScreen):
    greeting = StringProperty("")

    def render_key(self) -> Any:
        app = self.app
        identity = app.session.identity
        masked = identity.masked_name if identity else None
        usable = app.core.usable_devices()
        return (app.lang, app.elderly, masked, app.session.assist, usable)

    def render(self) -> None:
        app = self.app
        identity = app.session.identity
        self.greeting = (
            app.tr("home.greeting", name=identity.masked_name)
            if identity is not None
            else app.tr("home.greeting_anonymous")
        )
        assist = app.session.assist
        if assist is not None:  # 帮办代办: say who acts for whom
            self.greeting += "\n" + app.tr("home.assisted_by", number=assist.staff.staff_no)
        grid = self.ids.grid
        grid.clear_widgets()
        limit = app.sz("home_items")
        for matter in app.core.popular(limit):
            grid.add_widget(self._tile(matter))

    def _tile(self, matter: Any) -> Tile:
        lang = self.app.lang
        subtitle = txt(matter.department.name, lang)
        blocked = self.app.core.matter_availability(matter.code).blocked_by
        if blocked:  # a device it needs is down: it says so (the matter screen says more)
            subtitle = self.app.tr(f"needs.blocked.{blocked[0]}")
        tile = Tile(tid=f"matter-{matter.code}", title=txt(matter.name, lang), subtitle=subtitle)
        tile.bind(on_release=lambda _t, code=matter.code: self.open_matter(code))
        return tile

    def open_matter(self, code: str) -> None:
        open_matter(self.app, code)

    def open_tracking(self) -> None:
        self.app.runner.start_tracking()

    def open_complaint(self) -> None:
        self.app.runner.start_complaint()

    def reset(self) -> None:
        self.greeting = ""
