"""资格认证's result: 认证成功 and until when it holds (the platform's date), the way it
was done, and the slip printed at once; a printer that is down is said plainly, and the
result stays on the screen."""

from __future__ import annotations

import datetime as dt

from kivy.properties import BooleanProperty, StringProperty

from kiosk.flows.base import Continue
from kiosk.flows.certification import CertificationFlow
from kiosk.flows.intents import PrintRequested
from kiosk.receipts.labels import fmt_date
from screens.base import KioskScreen


class CertifiedScreen(KioskScreen):
    valid_until = StringProperty("")
    method = StringProperty("")
    number = StringProperty("")
    print_status = StringProperty("certificate.printing")  # message key
    print_ok = BooleanProperty(True)
    can_print = BooleanProperty(False)

    def render(self) -> None:
        flow = self.running(CertificationFlow)
        cert = flow.certification if flow is not None else None
        if flow is None or cert is None:
            return
        app = self.app
        until = fmt_date(dt.date.fromisoformat(cert.valid_until), app.lang)
        self.valid_until = app.tr("face.certified.valid_until", date=until)
        self.method = app.tr(f"face.certified.method.{cert.method}")
        self.number = app.tr("face.certified.number", number=cert.certification_id)
        if flow.printed is None:
            self.print_status, self.print_ok, self.can_print = "certificate.printing", True, False
        elif flow.printed:
            self.print_status, self.print_ok, self.can_print = "face.certified.printed", True, True
        else:
            self.print_status = flow.print_problem or "error.printer.generic"
            self.print_ok, self.can_print = False, True

    def spoken(self) -> list[str]:
        """认证成功; until when it holds and how it was done; whether the slip printed.
        Not the certification's number: said aloud in a service hall, it is of no use."""
        return [*super().spoken(), self.valid_until, self.method, self.app.tr(self.print_status)]

    def print_again(self) -> None:
        self.can_print, self.print_status, self.print_ok = False, "certificate.printing", True
        self.app.runner.send(PrintRequested())

    def proceed(self) -> None:
        self.app.runner.send(Continue())

    def on_back(self) -> bool:
        return True

    def reset(self) -> None:
        self.valid_until = self.method = self.number = ""
        self.print_status, self.print_ok, self.can_print = "certificate.printing", True, False
