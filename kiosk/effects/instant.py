"""即时办's effects: the payment order and its QR code, the live application and its
certificate, and printing the certificate (masked).

Keys are the flow's own (fixed when the flow began), so a retry after a cut connection
is the same payment order and the same case, never a second one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.flows.instant import InstantFlow
from kiosk.flows.intents import CertificateReady, PaymentUpdate, Printed
from kiosk.intake.accept import applicant_of
from kiosk.intake.submissions import submission_kind
from kiosk.receipts.certificate import certificate_slip
from kiosk.upstream.case_models import PaymentRequest
from kiosk.upstream.models import Application

if TYPE_CHECKING:
    from kiosk.effects import Effects
    from kiosk.session import Session

POLL_S = 1.0  # between payment status questions
POLL_FOR_S = 6.0  # one CheckPayment effect asks for this long, then the flow asks again


class InstantEffects:
    def __init__(
        self,
        ctx: Effects,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ctx = ctx
        self.sleep, self.clock = sleep, clock

    def create_payment(self, session: Session) -> PaymentUpdate:
        flow = session.flow_as(InstantFlow)
        site = self.ctx.settings.site
        req = PaymentRequest(flow.matter.code, flow.fee_fen, site.station_id, case_ref=flow.key)
        payment = self.ctx.client.create_payment(req, f"{flow.key}.pay{flow.payment_round}")
        return PaymentUpdate(payment)

    def check_payment(self, session: Session, payment_id: str) -> PaymentUpdate:
        """Ask until paid or expired, for up to POLL_FOR_S; the flow asks again after."""
        deadline = self.clock() + POLL_FOR_S
        while True:
            payment = self.ctx.client.payment_status(payment_id)
            if payment.status != "pending" or self.clock() >= deadline:
                return PaymentUpdate(payment)
            self.sleep(POLL_S)

    def fetch_certificate(self, session: Session) -> CertificateReady:
        flow = session.flow_as(InstantFlow)
        identity = session.person()
        matter = flow.matter
        site = self.ctx.settings.site
        how = submission_kind(session)
        client = self.ctx.client
        case_no = client.issue_case(
            f"{flow.key}.case", matter.code, region_code=site.region_code
        ).case_no
        app = Application(
            matter_code=matter.code,
            matter_name=matter.name.get("zh_CN"),
            department=matter.department.name.get("zh_CN"),
            applicant=applicant_of(identity, session.answers.get("phone")),
            answers=dict(session.answers),
            channel=how.channel,
            station_id=site.station_id,
            region_code=site.region_code,
            materials=[],
            case_no=case_no,
            agent=how.agent,
            mode="instant",
            promised_days=0,
            payment_id=flow.payment.payment_id if flow.payment is not None else None,
        )
        client.submit_application(app, f"{flow.key}.app")
        return CertificateReady(case_no, client.certificate_content(case_no))

    def print_certificate(self, session: Session) -> Printed:
        flow = session.flow_as(InstantFlow)
        doc = certificate_slip(
            flow.certificate,
            station_name=self.ctx.settings.site.station_name,
            printed_at=self.ctx.intake.now().replace(tzinfo=None),
        )
        ok, key = self.ctx.intake.print_document(doc)
        return Printed(ok, key)
