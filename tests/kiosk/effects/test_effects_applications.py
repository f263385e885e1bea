"""Submitting through the outbox: an agent's application on the assisted channel and in
the audit log, a correction (退回补正) to the same case, a 延时办 request whose receipt
says who calls back by when."""

from __future__ import annotations

from kiosk.appointments import AppointmentRules
from kiosk.flows import base
from kiosk.flows.assist import ConsentFlow
from kiosk.flows.base import Next, Step
from kiosk.flows.correction import CorrectionFlow
from kiosk.flows.deferred import DeferredFlow
from kiosk.flows.effects import FindByNumber, RecordConsent, SendRating, SubmitApplication
from kiosk.flows.intents import ConsentGiven, NumberEntered
from kiosk.flows.promised import PromisedFlow
from kiosk.flows.tracking import TrackingFlow
from kiosk.session import EndReason
from terminal.runtime import Runtime
from tests.support.allowance import ALLOWANCE, ANSWERS, CITIZEN, capture_required, scanned_page

from .conftest import flush, printed_text, run

PENSION_CHECK = "33102300RS-GG-0003"


def apply(rt: Runtime) -> PromisedFlow:
    session = rt.sessions.current
    session.identity = session.identity or CITIZEN
    flow = PromisedFlow(session, rt.catalogue.get(ALLOWANCE))
    flow.handle(base.NoticeAccepted())
    assert flow.handle(base.FormSubmitted(ANSWERS)) == Next(Step.MATERIALS)
    capture_required(flow)
    assert isinstance(flow.handle(base.ReviewConfirmed()).effect, SubmitApplication)
    assert run(rt, SubmitApplication()) == Next(Step.RECEIPT)
    return flow


def test_an_agent_applies_for_a_citizen_on_the_assisted_channel_and_it_is_audited(
    runtime: Runtime,
) -> None:
    runtime.staff.add("A-007", "李代办", "208731", runtime.settings.site.station_id)
    member = runtime.desk.sign_in_pin("A-007", "208731")
    session = runtime.sessions.current
    consent = ConsentFlow(session, member, clock=lambda: 0.0)
    assert consent.step is Step.IDENTITY  # the citizen's own card first
    assert consent.handle(base.Identified(CITIZEN)) == Next(Step.CONSENT)
    assert consent.handle(ConsentGiven("screen")).effect == RecordConsent()
    assert session.assist is not None and session.assist.staff.staff_no == "A-007"
    run(runtime, RecordConsent())
    flow = apply(runtime)
    flow.handle(base.Continue())
    assert isinstance(flow.handle(base.Rated(5)).effect, SendRating)
    run(runtime, SendRating(5))
    flush(runtime)
    number = session.submission.number
    case_no = runtime.outbox.lookup(number).case_no
    stored = runtime.sandbox.application(case_no)
    assert stored["channel"] == "assisted"
    rating = runtime.sandbox.db.query("SELECT body FROM ratings")[0][0]
    assert '"staff": {"id": "A-007", "name": "李代办"}' in rating and case_no in rating
    entries = runtime.audit.query()
    actions = [(e.action, e.outcome) for e in entries]
    assert actions == [("sign_in", "ok"), ("consent", "ok"), ("submit", "ok"), ("rating", "ok")]
    submit = entries[2]
    assert submit.subject == "王** 1101**********1236" and submit.matter_code == ALLOWANCE
    assert submit.reference == number and submit.staff_no == "A-007"
    assert runtime.audit.verify()


def test_a_returned_case_is_corrected_at_this_kiosk_and_goes_to_the_same_case(
    runtime: Runtime,
) -> None:
    apply(runtime)
    number = runtime.sessions.current.submission.number
    flush(runtime)
    case_no = runtime.outbox.lookup(number).case_no
    runtime.sandbox.set_review_outcome(case_no, "returned", ["household_register"])
    runtime.sandbox.set_review_speed(1e9)  # the department has decided
    runtime.sessions.end(EndReason.FINISHED)
    session = runtime.sessions.current
    tracking = TrackingFlow(session, AppointmentRules(), lambda: runtime.intake.now())
    tracking.handle(NumberEntered(case_no))
    assert run(runtime, FindByNumber(case_no)) == Next(Step.CASE)
    view = tracking.case
    assert view.status == "returned" and view.missing == ("household_register",)
    assert view.rag == "action"
    fix = CorrectionFlow(session, runtime.catalogue.get(ALLOWANCE), case_no, view.missing)
    assert fix.step is Step.IDENTITY
    session.identity = CITIZEN
    fix.step = Step.NOTICE  # the owner check is covered in the flow tests
    fix.handle(base.NoticeAccepted())
    fix.handle(base.PageCaptured(scanned_page("household_register")))
    fix.handle(base.NextMaterial())
    fix.handle(base.ReviewConfirmed())
    assert run(runtime, SubmitApplication()) == Next(Step.RECEIPT)
    submission = session.submission
    assert submission.number == case_no and submission.kind == "correction"
    assert "补正材料已收到" in printed_text(runtime)
    flush(runtime)
    corrections = runtime.sandbox.corrections(case_no)
    assert corrections[0]["materials"] == ["household_register"]
    assert all(a["complete"] for a in corrections[0]["attachments"])
    assert runtime.sandbox.application(case_no)["status"] == "completed"


def test_a_home_visit_receipt_says_who_calls_back_by_when(runtime: Runtime) -> None:
    session = runtime.sessions.current
    session.identity = CITIZEN
    flow = DeferredFlow(session, runtime.catalogue.get(PENSION_CHECK))
    flow.handle(
        base.FormSubmitted(
            {
                "service": "home_visit",
                "for_whom": "self",
                "reason": "bedridden",
                "when": "any",
                "address": "东湖村三组",
                "phone": "13912345678",
            }
        )
    )
    flow.handle(base.ReviewConfirmed())
    run(runtime, SubmitApplication())
    sub = session.submission
    assert sub.kind == "deferred" and sub.callback_org == "演示镇便民服务中心"
    assert sub.callback_by and not sub.promised_date
    text = printed_text(runtime)
    assert "演示镇便民服务中心将在" in text and "139****5678" in text
    assert "13912345678" not in text
    flush(runtime)
    case_no = runtime.outbox.lookup(sub.number).case_no
    stored = runtime.sandbox.application(case_no)
    assert stored["form"]["service"] == "home_visit"
    assert runtime.sandbox.applications()[0]["matter_code"] == PENSION_CHECK
