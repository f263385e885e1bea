"""意见投诉, first: what it is about. The citizen need not say who they are."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.flows.intents import Choose
from kiosk.upstream.service_models import COMPLAINT_CATEGORIES
from screens.base import KioskScreen
from screens.widgets import KButton


class ComplaintCategoryScreen(KioskScreen):
    voiced = ("notice",)
    notice = StringProperty("")
    errors_shown_in = "notice"

    def render(self) -> None:
        app = self.app
        grid = self.ids.grid
        grid.clear_widgets()
        self.notice = ""
        chosen = getattr(app.flow, "category", "")
        for category in COMPLAINT_CATEGORIES:
            button = KButton(
                tid=f"category-{category}",
                text=app.tr(f"complaint.category.{category}"),
                selected=category == chosen,
            )
            button.bind(on_release=lambda _b, c=category: app.runner.send(Choose(c)))
            grid.add_widget(button)

    def reset(self) -> None:
        self.ids.grid.clear_widgets()
        self.notice = ""
