"""自助办: a matter done on the phone or online. How to do it, a QR code that opens the
matter on the province's mobile channel, the full 办事指南, printed on request."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.flows.base import Continue
from kiosk.flows.intents import PrintRequested
from kiosk.flows.selfservice import SelfServiceFlow
from kiosk.guide import guide_sections
from screens.base import KioskScreen
from screens.images import texture_from_bgr
from screens.receipt import qr_array
from screens.text import txt


class SelfGuideScreen(KioskScreen):
    voiced_keys = ("print_status",)
    matter_name = StringProperty("")
    print_status = StringProperty("")  # message key, "" before any printing
    print_ok = BooleanProperty(True)
    printing = BooleanProperty(False)

    def render(self) -> None:
        app = self.app
        flow = self.running(SelfServiceFlow)
        if flow is None:
            return
        self.matter_name = txt(flow.matter.name, app.lang)
        body = self.ids.body
        body.clear_widgets()
        for heading, lines in guide_sections(flow.matter):  # the provincial guide, in Chinese
            body.add_widget(Factory.GuideHeading(text=heading))
            for line in lines:
                body.add_widget(Factory.KLabel(text=line))
        self.ids.qr.texture = texture_from_bgr(qr_array(flow.mobile_url, box=6))
        self.ids.qr.texture.mag_filter = "nearest"
        self.printing = False
        if flow.printed is None:
            self.print_status, self.print_ok = "", True
        elif flow.printed:
            self.print_status, self.print_ok = "selfservice.printed", True
        else:
            self.print_status, self.print_ok = flow.print_problem or "error.printer.generic", False

    def print_guide(self) -> None:
        self.printing, self.print_status, self.print_ok = True, "selfservice.printing", True
        self.app.runner.send(PrintRequested())

    def finish(self) -> None:
        self.app.runner.send(Continue())

    def reset(self) -> None:
        self.ids.body.clear_widgets()
        self.ids.qr.texture = None
        self.matter_name = self.print_status = ""
        self.print_ok, self.printing = True, False
