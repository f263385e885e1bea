"""Accepted: the number, a QR code for progress lookup, and whether the receipt printed."""

from __future__ import annotations

import numpy as np
import qrcode
from kivy.properties import BooleanProperty, StringProperty

from screens.images import texture_from_bgr
from screens.outcome import OutcomeScreen, print_outcome


def qr_array(payload: str, box: int = 8) -> np.ndarray:
    code = qrcode.QRCode(border=2, box_size=box)
    code.add_data(payload)
    code.make(fit=True)
    image = code.make_image().get_image().convert("L")
    return np.asarray(image)


class ReceiptScreen(OutcomeScreen):
    number = StringProperty("")
    number_label = StringProperty("")
    promised = StringProperty("")
    reprinting = BooleanProperty(False)

    def render(self) -> None:
        app = self.app
        sub = app.session.submission
        if sub is None:
            return
        self.number = sub.number
        self.number_label = app.tr("receipt.provisional" if sub.provisional else "receipt.number")
        if sub.kind == "deferred":  # 延时办: who calls back, by when
            self.promised = app.tr("receipt.callback", org=sub.callback_org, date=sub.callback_by)
        else:
            self.promised = app.tr("receipt.promised", date=sub.promised_date)
        self.print_ok = sub.printed
        self.print_status = print_outcome(
            app.tr, sub.printed, sub.print_problem, "receipt.printed", "receipt.not_printed_advice"
        )
        self.ids.qr.texture = texture_from_bgr(qr_array(sub.qr_payload or sub.number))
        self.ids.qr.texture.mag_filter = "nearest"

    def spoken(self) -> list[str]:
        """Accepted; whether the receipt printed (and what to do if not); by when."""
        sub = self.app.session.submission
        said = super().spoken()
        if sub is not None and sub.provisional:
            said.append(self.number_label)  # offline: a provisional number, and why
        return [*said, self.print_status, self.promised]

    def reprint(self) -> None:
        """The citizen or staff fixed the printer (paper loaded): try the kept receipt."""
        sub = self.app.session.submission
        if sub is None or self.reprinting:
            return
        session = self.app.session
        self.reprinting = True
        self.print_status = self.app.tr("receipt.reprinting")

        def done(printed: bool) -> None:
            self.reprinting = False
            if self.app.session is not session:
                return  # the session ended meanwhile: show nothing of it
            sub.printed = printed
            self.print_ok = printed
            self.print_status = self.app.tr(
                "receipt.printed" if printed else "receipt.reprint_failed"
            )

        self.app.worker.run(lambda: self.app.core.intake.reprint(sub.number), done)

    def reset(self) -> None:
        self.ids.qr.texture = None
        for name in ("number", "number_label", "promised", "print_status"):
            setattr(self, name, "")
        self.print_ok = True
        self.reprinting = False
