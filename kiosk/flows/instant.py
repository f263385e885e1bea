"""即时办: matters finished on the spot, such as printing a 参保证明.

identity → (form) → (materials the card reader did not give) → (fee: the platform's
payment QR code, paid by phone) → fetch the certificate live → show it (masked) and
print it at once (again on request; a printer that is down is said plainly, the
certificate stays on screen) → 好差评 → done.

The platform must be reachable: an instant matter cannot be queued. When it is not,
the citizen is told so plainly (Step.PROBLEM) and may try again; nothing is half done,
because the application and the payment carry idempotency keys fixed for this flow.
"""

from __future__ import annotations

import uuid
from typing import Any

from kiosk.catalogue.model import MaterialSource
from kiosk.flows.base import Abort, Intent, Invalid, Next, Step, Transition
from kiosk.flows.effects import CheckPayment, CreatePayment, FetchCertificate, PrintCertificate
from kiosk.flows.intents import CertificateReady, PaymentUpdate, Retry
from kiosk.flows.kinds import FlowKind
from kiosk.flows.machine import PrintSteps
from kiosk.flows.promised import PromisedFlow
from kiosk.session import Session

READ_FROM_CARD = ("idcard", "smartcard")


class InstantFlow(PrintSteps, PromisedFlow):
    kind = FlowKind.INSTANT

    def __init__(self, session: Session, matter: Any) -> None:
        self.key = uuid.uuid4().hex  # idempotency: a retry is the same application
        self.payment: Any = None
        self.payment_round = 0  # a new order (and key) after one expired
        self.case_no = ""
        self.certificate: Any = None
        super().__init__(session, matter)

    @property
    def fee_fen(self) -> int:
        return int(self.matter.fee.amount_fen)

    @property
    def materials(self) -> list[Any]:
        """Required materials the identity step did not already provide."""
        return [m for m in self.matter.materials if m.required and not self._from_card(m)]

    def _from_card(self, material: Any) -> bool:
        identity = self.session.identity
        return (
            material.code == "id_card"
            and MaterialSource.CARD_READER in material.source_ok
            and (identity is None or identity.source in READ_FROM_CARD)
        )

    def _has_notice(self) -> bool:
        return bool(self.materials)

    def _after_review(self) -> Transition:
        if self.fee_fen > 0 and not (self.payment and self.payment.paid):
            return Next(Step.PAYMENT, effect=CreatePayment())
        return Next(Step.FETCH, effect=FetchCertificate())

    # -- payment --

    def _on_payment(self, intent: Intent) -> Transition:
        if isinstance(intent, PaymentUpdate):
            self.payment = intent.payment
            if intent.payment.paid:
                return Next(Step.FETCH, effect=FetchCertificate())
            if intent.payment.status == "expired":
                self.notice = "payment.error.expired"
                return Next(Step.PAYMENT)
            return Next(Step.PAYMENT, effect=CheckPayment(intent.payment.payment_id))
        if isinstance(intent, Retry):  # a new order after the old one expired
            self.notice = ""
            self.payment_round += 1
            return Next(Step.PAYMENT, effect=CreatePayment())
        return self._failed(intent)

    # -- the certificate --

    def _on_fetch(self, intent: Intent) -> Transition:
        if isinstance(intent, CertificateReady):
            self.case_no, self.certificate = intent.case_no, intent.certificate
            return Next(Step.CERTIFICATE, effect=PrintCertificate())
        return self._failed(intent)

    def _on_certificate(self, intent: Intent) -> Transition:
        return self._print_or_continue(intent, PrintCertificate(), to=Step.RATING)

    def _on_problem(self, intent: Intent) -> Transition:
        if self.fee_fen > 0 and not (self.payment and self.payment.paid):
            return self._retry(intent, Step.PAYMENT, CreatePayment())
        return self._retry(intent, Step.FETCH, FetchCertificate())

    def _back(self) -> Transition:
        if self.step is Step.PAYMENT and not (self.payment and self.payment.paid):
            return Next(Step.REVIEW)
        if self.step is Step.PROBLEM:
            return Abort("flow.cancelled")
        if self.step in (Step.PAYMENT, Step.FETCH, Step.CERTIFICATE):
            return Invalid({"_": "flow.error.no_back"})
        return super()._back()
