"""即时办's result: the certificate from the platform, shown masked as on paper, printed
at once; when the printer is down the citizen is told so and the certificate stays on
the screen (with its verification code, which checks it on the portal)."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.flows.instant import InstantFlow
from kiosk.receipts.certificate import masked
from screens.outcome import PrintedAtOnceScreen
from screens.theme import PALETTE


class CertificateScreen(PrintedAtOnceScreen):
    title = StringProperty("")
    verify = StringProperty("")

    def render(self) -> None:
        flow = self.running(InstantFlow)
        cert = flow.certificate if flow is not None else None
        if flow is None or cert is None:
            return
        self.title = cert.title
        self.verify = self.app.tr("certificate.verify", code=cert.verify_code)
        body = self.ids.body
        body.clear_widgets()
        body.add_widget(Factory.KLabel(text=cert.issuer, color=self._muted()))
        for field in cert.fields:
            body.add_widget(Factory.KLabel(text=f"{field.label}：{masked(field)}"))
        if not any(f.value == cert.case_no for f in cert.fields):  # said once is enough
            case_line = self.app.tr("certificate.case_no", number=cert.case_no)
            body.add_widget(Factory.KLabel(text=case_line))
        self.show_print(flow.printed, flow.print_problem)

    def spoken(self) -> list[str]:
        """Ready; whether it printed, and what to do when it did not. Never its fields:
        they are the citizen's."""
        said = [*super().spoken(), self.app.tr(self.print_status)]
        if not self.print_ok:
            said.append(self.app.tr("certificate.not_printed_advice"))
        return said

    def _muted(self) -> list[float]:

        return list(PALETTE.rgba("muted"))

    def reset(self) -> None:
        self.ids.body.clear_widgets()
        self.title = self.verify = ""
        self.show_print(None, None)
