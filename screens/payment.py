"""即时办's fee: the amount and the platform's payment QR code, to be paid by phone.
The flow asks the platform until it is paid (then fetches the certificate) or the
order expires (then a new order is one tap away)."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.flows.instant import InstantFlow
from kiosk.flows.intents import Retry
from screens.base import KioskScreen
from screens.images import texture_from_bgr
from screens.receipt import qr_array
from screens.text import fen_to_yuan


class PaymentScreen(KioskScreen):
    amount = StringProperty("")
    status = StringProperty("payment.creating")  # message key
    expired = BooleanProperty(False)
    _shown_id = ""

    def render(self) -> None:
        flow = self.running(InstantFlow)
        if flow is None:
            return
        self.amount = fen_to_yuan(flow.fee_fen)
        payment = flow.payment
        self.expired = flow.notice == "payment.error.expired"
        if self.expired:
            self.status = "payment.error.expired"
        elif payment is None:
            self.status = "payment.creating"
        else:
            self.status = "payment.waiting"
        paid_for = payment.payment_id if payment is not None and not self.expired else ""
        if paid_for != self._shown_id:
            self._shown_id = paid_for
            texture = texture_from_bgr(qr_array(payment.qr, box=6)) if paid_for else None
            if texture is not None:
                texture.mag_filter = "nearest"
            self.ids.qr.texture = texture

    def spoken(self) -> list[str]:
        """The prompt and the amount; an expired code is said with what to do next."""
        tr = self.app.tr
        said = super().spoken()
        if self.amount:
            said.append(tr("payment.amount_label") + "：" + tr("payment.amount", yuan=self.amount))
        return [*said, tr(self.status)] if self.expired else said

    def new_order(self) -> None:
        self.app.runner.send(Retry())

    def reset(self) -> None:
        self.ids.qr.texture = None
        self._shown_id = ""
        self.amount, self.status, self.expired = "", "payment.creating", False
