"""即时办 as a step machine: fee and payment QR first when there is a fee, the
certificate fetched live, shown, printed on request; a platform that is down is told."""

from __future__ import annotations

from kiosk.catalogue import Catalogue
from kiosk.flows import base, intents
from kiosk.flows.base import Abort, Invalid, Next, Step
from kiosk.flows.effects import CheckPayment, CreatePayment, FetchCertificate, PrintCertificate
from kiosk.flows.instant import InstantFlow
from kiosk.session import Session
from kiosk.upstream.case_models import Payment

from .conftest import CERTIFICATE, person, with_fee

ANSWERS = {"record": "certificate", "from_date": "2020-01-01", "to_date": "2025-12-31"}


def order(status: str = "pending") -> Payment:
    return Payment("P0000000001", 1000, status, "https://pay.example.gov.cn/p/P1", "2026-01-01")


def to_review(flow: InstantFlow) -> None:
    assert flow.handle(base.Identified(person())) == Next(Step.FORM)  # no 告知: the card is enough
    assert flow.handle(base.FormSubmitted(ANSWERS)) == Next(Step.REVIEW)


def test_a_free_certificate_is_fetched_shown_printed_and_rated(
    session: Session, catalogue: Catalogue
) -> None:
    flow = InstantFlow(session, catalogue.get(CERTIFICATE))
    assert flow.materials == []  # the ID card read by the reader is the only material
    to_review(flow)
    fetch = flow.handle(base.ReviewConfirmed())
    assert fetch == Next(Step.FETCH) and isinstance(fetch.effect, FetchCertificate)
    shown = flow.handle(intents.CertificateReady("330110", object()))
    assert shown == Next(Step.CERTIFICATE) and isinstance(shown.effect, PrintCertificate)
    printing = flow.handle(intents.PrintRequested())
    assert isinstance(printing.effect, PrintCertificate)
    assert flow.handle(intents.Printed(False, "error.printer.paper_out")) == Next(Step.CERTIFICATE)
    assert flow.print_problem == "error.printer.paper_out"
    assert flow.handle(base.Back()) == Invalid({"_": "flow.error.no_back"})
    assert flow.handle(base.Continue()) == Next(Step.RATING)  # printing is optional
    assert flow.handle(base.Rated(4)) == Next(Step.DONE)
    assert flow.case_no == "330110"


def test_a_fee_is_paid_by_the_platforms_qr_code_before_anything_is_fetched(
    session: Session, catalogue: Catalogue
) -> None:
    flow = InstantFlow(session, with_fee(catalogue.get(CERTIFICATE), 1000))
    to_review(flow)
    pay = flow.handle(base.ReviewConfirmed())
    assert pay == Next(Step.PAYMENT) and isinstance(pay.effect, CreatePayment)
    poll = flow.handle(intents.PaymentUpdate(order()))
    assert poll == Next(Step.PAYMENT) and poll.effect == CheckPayment("P0000000001")
    assert flow.handle(base.Back()) == Next(Step.REVIEW)  # unpaid: may still go back
    flow.handle(base.ReviewConfirmed())
    flow.handle(intents.PaymentUpdate(order()))
    fetch = flow.handle(intents.PaymentUpdate(order("paid")))
    assert fetch == Next(Step.FETCH) and isinstance(fetch.effect, FetchCertificate)


def test_an_expired_payment_order_is_said_and_a_new_one_made(
    session: Session, catalogue: Catalogue
) -> None:
    flow = InstantFlow(session, with_fee(catalogue.get(CERTIFICATE), 1000))
    to_review(flow)
    flow.handle(base.ReviewConfirmed())
    assert flow.handle(intents.PaymentUpdate(order("expired"))) == Next(Step.PAYMENT)
    assert flow.notice == "payment.error.expired"
    again = flow.handle(intents.Retry())
    assert isinstance(again.effect, CreatePayment) and flow.payment_round == 1


def test_a_platform_that_is_down_is_told_plainly_and_can_be_tried_again(
    session: Session, catalogue: Catalogue
) -> None:
    flow = InstantFlow(session, catalogue.get(CERTIFICATE))
    to_review(flow)
    flow.handle(base.ReviewConfirmed())
    key = "instant.error.offline"
    assert flow.handle(intents.Failed(key, retry=True)) == Next(Step.PROBLEM)
    assert flow.problem == key
    retry = flow.handle(intents.Retry())
    assert retry == Next(Step.FETCH) and isinstance(retry.effect, FetchCertificate)
    flow.handle(intents.Failed(key, retry=True))
    assert flow.handle(base.Back()) == Abort("flow.cancelled")


def test_an_id_card_typed_or_scanned_is_not_taken_for_a_card_read(
    session: Session, catalogue: Catalogue
) -> None:
    session.identity = person(source="typed")
    flow = InstantFlow(session, catalogue.get(CERTIFICATE))
    assert [m.code for m in flow.materials] == ["id_card"]
    assert flow.step is Step.NOTICE
