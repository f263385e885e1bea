"""资格认证's result: 认证成功 and until when it holds (the platform's date), the way it
was done, and the slip printed at once; a printer that is down is said plainly, and the
result stays on the screen."""

from __future__ import annotations

import datetime as dt

from kivy.properties import StringProperty

from kiosk.flows.certification import CertificationFlow
from kiosk.receipts.labels import fmt_date
from screens.outcome import PrintedAtOnceScreen


class CertifiedScreen(PrintedAtOnceScreen):
    printed_key = "face.certified.printed"
    valid_until = StringProperty("")
    method = StringProperty("")
    number = StringProperty("")

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
        self.show_print(flow.printed, flow.print_problem)

    def spoken(self) -> list[str]:
        """认证成功; until when it holds and how it was done; whether the slip printed.
        Not the certification's number: said aloud in a service hall, it is of no use."""
        return [*super().spoken(), self.valid_until, self.method, self.app.tr(self.print_status)]

    def reset(self) -> None:
        self.valid_until = self.method = self.number = ""
        self.show_print(None, None)
