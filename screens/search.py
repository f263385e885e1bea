"""Search by Chinese, pinyin or pinyin initials, typed on our own keyboard."""

from __future__ import annotations

from kivy.properties import StringProperty

from screens.base import KioskScreen
from screens.matter import open_matter
from screens.text import txt
from screens.widgets import Tile


class SearchScreen(KioskScreen):
    query = StringProperty("")
    shown_query = StringProperty("▏")

    def on_query(self, _screen: object, value: str) -> None:
        self.shown_query = value.upper() + "▏"

    def on_key(self, key: str) -> None:
        if key == "back":
            self.query = self.query[:-1]
        elif key == "clear":
            self.query = ""
        elif key == "space":
            self.query += " "
        else:
            self.query += key.lower()
        self.render()

    def type_text(self, text: str) -> None:
        self.query += text
        self.render()

    def render_key(self) -> object:
        return (self.query, self.app.lang, self.app.elderly)

    def render(self) -> None:
        app = self.app
        results = self.ids.results
        results.clear_widgets()
        if not self.query.strip():
            matters = app.core.popular(app.sz("list_items"))
        else:
            matters = app.core.catalogue.search(self.query, limit=app.sz("list_items"))
        self.ids.empty.opacity = 0 if matters or not self.query.strip() else 1
        for matter in matters:
            tile = Tile(
                tid=f"result-{matter.code}",
                title=txt(matter.name, app.lang),
                subtitle=txt(matter.department.name, app.lang),
            )
            tile.bind(on_release=lambda _t, code=matter.code: open_matter(app, code))
            results.add_widget(tile)

    def reset(self) -> None:
        self.query = ""
