"""Matter detail: the 办事指南 — conditions, materials, time limit, fees, place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.catalogue import HandlingMode
from kiosk.flows.start import offered_modes
from screens.base import KioskScreen
from screens.text import fen_to_yuan, txt
from screens.widgets import KButton

if TYPE_CHECKING:
    from screens.app import KioskApp


class MatterScreen(KioskScreen):
    voiced = ("device_note",)
    matter_code = StringProperty("")
    matter_name = StringProperty("")
    device_note = StringProperty("")  # a device this matter needs is down (needs.*)
    blocked = BooleanProperty(False)

    def show(self, code: str) -> None:
        self.matter_code = code

    def render_key(self) -> Any:
        usable = self.app.core.usable_devices()
        return (self.matter_code, self.app.lang, self.app.elderly, usable)

    def render(self) -> None:
        if not self.matter_code:
            return
        app = self.app
        matter = app.core.catalogue.get(self.matter_code)
        lang = app.lang
        self.matter_name = txt(matter.name, lang)
        found = app.core.matter_availability(self.matter_code)
        self.blocked = not found.ok
        notes = [f"needs.blocked.{k}" for k in found.blocked_by]
        notes += [f"needs.degraded.{k}" for k in found.degraded_by]
        self.device_note = "\n".join(app.tr(key) for key in notes)
        body = self.ids.body
        body.clear_widgets()
        for title, lines in self.sections(matter, lang):
            body.add_widget(Factory.SectionTitle(text=title))
            for line in lines:
                body.add_widget(Factory.KLabel(text=line))
        self.ids.scroll.scroll_y = 1
        self._render_modes(matter)

    def _render_modes(self, matter: Any) -> None:
        """One start button per handling mode, the kiosk's preferred first (tid "apply");
        greyed out when a device the matter needs is down."""
        box = self.ids.modes
        box.clear_widgets()
        for i, mode in enumerate(offered_modes(matter)):
            # a device this matter needs is down: only the guidance to the phone still works
            blocked = self.blocked and mode is not HandlingMode.SELF_SERVICE
            button = KButton(
                tid="apply" if i == 0 else f"apply-{mode}",
                kind="primary" if i == 0 else "secondary",
                text=self.app.tr(f"guide.mode.{mode}"),
                disabled=blocked,
                opacity=0.4 if blocked else 1,
            )
            button.bind(on_release=lambda _b, m=mode: self.apply(m))
            box.add_widget(button)

    def sections(self, matter: Any, lang: str) -> list[tuple[str, list[str]]]:
        tr = self.app.tr
        materials = [
            f"• {txt(m.name, lang)}（{tr('guide.required' if m.required else 'guide.optional')}）"
            for m in matter.materials
        ]
        fee = matter.fee
        fee_text = (
            tr("guide.free")
            if fee.amount_fen == 0
            else tr("guide.fee_amount", yuan=fen_to_yuan(fee.amount_fen))
        )
        return [
            (tr("guide.department"), [txt(matter.department.name, lang)]),
            (tr("guide.conditions"), [f"• {txt(c, lang)}" for c in matter.conditions]),
            (tr("guide.materials"), materials),
            (
                tr("guide.time_limit"),
                [tr("guide.promised_days", days=matter.promised_days)],
            ),
            (tr("guide.fees"), [fee_text]),
            (tr("guide.visits"), [tr("guide.visits_n", n=matter.visits)]),
            (tr("guide.place"), [txt(matter.place, lang), txt(matter.hours, lang)]),
            (tr("guide.legal_basis"), [txt(matter.legal_basis, lang)]),
        ]

    def apply(self, mode: HandlingMode | None = None) -> None:
        """Start the matter as ``mode`` (the kiosk's preferred mode when None)."""
        if not self.blocked or mode is HandlingMode.SELF_SERVICE:
            self.app.runner.start_matter(self.matter_code, mode)

    def reset(self) -> None:
        self.matter_code = ""
        self.matter_name = ""
        self.device_note = ""
        self.blocked = False
        self.ids.body.clear_widgets()
        self.ids.modes.clear_widgets()


def open_matter(app: KioskApp, code: str) -> None:
    """Show matter ``code``'s 办事指南."""
    screen = app.nav.screen("matter")
    assert isinstance(screen, MatterScreen)
    screen.show(code)
    app.nav.go("matter")
