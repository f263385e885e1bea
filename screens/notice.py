"""一次性告知: every material the matter needs, told at once before anything else."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.flows.base import NoticeAccepted
from kiosk.flows.machine import CapturesMaterials
from screens.base import KioskScreen
from screens.text import txt


class NoticeScreen(KioskScreen):
    status = StringProperty("")

    def render(self) -> None:
        app = self.app
        flow = app.flow
        body = self.ids.body
        body.clear_widgets()
        if not isinstance(flow, CapturesMaterials):
            return
        lang = app.lang
        for material in flow.materials:
            tag = app.tr("guide.required" if material.required else "guide.optional")
            body.add_widget(Factory.KLabel(text=f"• {txt(material.name, lang)}（{tag}）"))
            hint = txt(material.note, lang)
            if hint:
                body.add_widget(Factory.HintLabel(text=hint))

    def spoken(self) -> list[str]:
        """The prompt, then every material the matter needs (一次性告知), each with its
        note, then how printing the notice went."""
        app = self.app
        said = super().spoken()
        flow = app.flow
        if isinstance(flow, CapturesMaterials):
            lang = app.lang
            for n, material in enumerate(flow.materials, 1):
                tag = app.tr("guide.required" if material.required else "guide.optional")
                said.append(app.tr("voice.material", n=n, name=txt(material.name, lang), tag=tag))
                said.append(txt(material.note, lang))
        return [*said, self.status]

    def accept(self) -> None:
        self.app.runner.send(NoticeAccepted())

    def print_notice(self) -> None:
        app = self.app
        session = app.session
        self.status = app.tr("notice.printing")
        app.worker.run(
            lambda: app.core.intake.print_notice(session),
            lambda ok: setattr(
                self, "status", app.tr("notice.printed" if ok else "error.printer.generic")
            ),
        )

    def reset(self) -> None:
        self.status = ""
        self.ids.body.clear_widgets()
