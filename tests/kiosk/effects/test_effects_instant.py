"""即时办 against the sandbox platform: the fee's payment order and QR, the certificate
fetched live and printed masked, and a platform that is down told plainly."""

from __future__ import annotations

from kiosk.flows.base import FormSubmitted, Next, ReviewConfirmed, Step
from kiosk.flows.effects import CheckPayment, CreatePayment, FetchCertificate, PrintCertificate
from kiosk.flows.instant import InstantFlow
from kiosk.flows.intents import Failed, PrintRequested
from sandbox.app import SandboxPlatform
from terminal.runtime import Runtime
from tests.support.allowance import CITIZEN

from .conftest import printed_text, run

CERT = "33102300RS-GG-0002"
ANSWERS = {"record": "certificate", "from_date": "2020-01-01", "to_date": "2025-12-31"}


def start(rt: Runtime, fee_fen: int = 0) -> InstantFlow:
    import dataclasses as dc

    from kiosk.catalogue import Fee, Text

    session = rt.sessions.current
    session.identity = CITIZEN
    matter = rt.catalogue.get(CERT)
    if fee_fen:
        matter = dc.replace(matter, fee=Fee(fee_fen, Text("工本费")))
    flow = InstantFlow(session, matter)
    flow.handle(FormSubmitted(ANSWERS))
    return flow


def test_the_certificate_is_fetched_live_shown_and_printed_masked(runtime: Runtime) -> None:
    flow = start(runtime)
    assert isinstance(flow.handle(ReviewConfirmed()).effect, FetchCertificate)
    assert run(runtime, FetchCertificate()) == Next(Step.CERTIFICATE)
    kinds = {f.kind: f.value for f in flow.certificate.fields}
    assert kinds["id_number"] == CITIZEN.id_number  # the kiosk masks it, not the platform
    assert flow.handle(PrintRequested()).effect == PrintCertificate()
    run(runtime, PrintCertificate())
    assert flow.printed is True
    text = printed_text(runtime)
    assert "1101**********1236" in text and "王**" in text
    assert CITIZEN.id_number not in text and "王秀英" not in text
    stored = runtime.sandbox.application(flow.case_no)
    assert stored["status"] == "completed" and stored["channel"] == "kiosk"


def test_a_retry_after_a_cut_connection_is_the_same_case(runtime: Runtime) -> None:
    flow = start(runtime)
    flow.handle(ReviewConfirmed())
    run(runtime, FetchCertificate())
    first = flow.case_no
    flow.step = Step.FETCH  # as if the answer had been lost and the citizen retried
    run(runtime, FetchCertificate())
    assert flow.case_no == first
    assert len(runtime.sandbox.applications()) == 1


def test_a_fee_is_paid_by_qr_then_the_certificate_comes(runtime: Runtime) -> None:
    flow = start(runtime, fee_fen=1000)
    assert isinstance(flow.handle(ReviewConfirmed()).effect, CreatePayment)
    poll = run(runtime, CreatePayment())
    assert poll.effect == CheckPayment(flow.payment.payment_id)
    assert flow.payment.qr.endswith(flow.payment.payment_id) and flow.payment.amount_fen == 1000
    sandbox: SandboxPlatform = runtime.sandbox
    sandbox.pay(flow.payment.payment_id)  # the citizen's phone pays
    fetch = run(runtime, CheckPayment(flow.payment.payment_id))
    assert fetch == Next(Step.FETCH)
    assert run(runtime, FetchCertificate()) == Next(Step.CERTIFICATE)


def test_an_unpaid_order_is_asked_about_again_without_blocking_for_ever(runtime: Runtime) -> None:
    flow = start(runtime, fee_fen=500)
    flow.handle(ReviewConfirmed())
    run(runtime, CreatePayment())
    ticks = iter(range(100))
    runtime.effects.instant.clock = lambda: float(next(ticks))
    runtime.effects.instant.sleep = lambda _s: None
    again = run(runtime, CheckPayment(flow.payment.payment_id))
    assert again == Next(Step.PAYMENT) and isinstance(again.effect, CheckPayment)


def test_a_platform_that_is_down_is_a_clear_message_not_a_queue(runtime: Runtime) -> None:
    flow = start(runtime)
    flow.handle(ReviewConfirmed())
    runtime.sandbox.stop()
    outcome = runtime.effects.run(FetchCertificate(), runtime.sessions.current)
    assert outcome == Failed("error.upstream.live", retry=True, code=outcome.code)
    assert flow.handle(outcome) == Next(Step.PROBLEM)
    assert runtime.outbox.depth() == 0  # nothing was queued for later
