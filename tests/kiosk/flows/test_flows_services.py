"""办件查询, 意见投诉, 自助办 and the 帮办 consent as step machines, bad input included."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.appointments import AppointmentRules
from kiosk.catalogue import Catalogue
from kiosk.flows.assist import ConsentFlow
from kiosk.flows.base import (
    Abort,
    Back,
    Continue,
    Identified,
    Invalid,
    Next,
    NextMaterial,
    PageCaptured,
    Step,
)
from kiosk.flows.complaint import ComplaintFlow
from kiosk.flows.effects import (
    CancelAppointment,
    FileComplaint,
    FindByIdentity,
    FindByNumber,
    LoadAppointment,
    LoadCase,
    PrintGuide,
    RecordConsent,
    ScanQr,
)
from kiosk.flows.intents import (
    AppointmentLoaded,
    CancelRequested,
    Choose,
    ConsentGiven,
    Failed,
    Filed,
    Found,
    NumberEntered,
    PhoneEntered,
    PrintRequested,
    Retry,
    Scanned,
    StartScan,
    TextEntered,
    UseIdCard,
)
from kiosk.flows.selfservice import SelfServiceFlow
from kiosk.flows.tracking import TrackingFlow
from kiosk.receipts.qrcodes import CodeKind, ScannedCode
from kiosk.session import Session
from kiosk.staff import StaffMember
from kiosk.tracking import CaseView, TimelineEntry
from kiosk.upstream.service_models import Appointment

from .conftest import NOW, PAYMENT, page, person

CASE = "33011020260101000010"


def view(number: str = CASE, timeline: bool = True) -> CaseView:
    steps = (TimelineEntry("2026-01-01T09:00:00+08:00", "received"),) if timeline else ()
    return CaseView(number, number, "M", "高龄津贴申领", "received", steps, None, (), "green")


def tracking(session: Session) -> TrackingFlow:
    return TrackingFlow(session, AppointmentRules(), lambda: NOW)


def test_a_scanned_receipt_finds_its_case(session: Session) -> None:
    flow = tracking(session)
    assert flow.handle(StartScan()) == Next(Step.SCAN, effect=ScanQr())
    ours = ScannedCode(CodeKind.RECEIPT, "https://…", number=CASE)
    find = flow.handle(Scanned(ours))
    assert find == Next(Step.SEARCHING) and find.effect == FindByNumber(CASE)
    assert flow.handle(Found((view(),))) == Next(Step.CASE)
    assert flow.handle(Back()) == Next(Step.LOOKUP)


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        (CodeKind.LOOKALIKE, "tracking.error.not_ours"),
        (CodeKind.TOKEN, "tracking.error.not_a_receipt"),
    ],
)
def test_a_code_that_is_not_our_receipt_keeps_the_camera_on_with_a_message(
    session: Session, kind: CodeKind, key: str
) -> None:
    flow = tracking(session)
    flow.handle(StartScan())
    again = flow.handle(Scanned(ScannedCode(kind, "https://evil.example/bjcx?n=1")))
    assert again == Next(Step.SCAN) and again.effect == ScanQr("https://evil.example/bjcx?n=1")
    assert flow.notice == key


def test_an_unknown_or_malformed_number_comes_back_to_the_lookup(session: Session) -> None:
    flow = tracking(session)
    assert flow.handle(NumberEntered("1/2")) == Invalid({"number": "tracking.error.number_format"})
    find = flow.handle(NumberEntered(" ls-demo-0001-20260101-0001 "))
    assert find.effect == FindByNumber("LS-DEMO-0001-20260101-0001")
    assert flow.handle(Found(())) == Next(Step.LOOKUP)
    assert flow.notice == "tracking.error.unknown"
    flow.handle(NumberEntered(CASE))
    back = flow.handle(Failed("tracking.error.unknown", code="case_not_found"))
    assert back == Next(Step.LOOKUP)


def test_the_id_card_lists_the_persons_cases(session: Session) -> None:
    flow = tracking(session)
    assert flow.handle(UseIdCard()) == Next(Step.IDENTITY)
    search = flow.handle(Identified(person()))
    assert search.effect == FindByIdentity() and flow.by_identity
    assert flow.handle(Found((view("A1", False), view("B2", False)))) == Next(Step.CASES)
    assert flow.handle(Choose("B2")).effect == LoadCase("B2")
    assert flow.handle(Found((view("B2"),))) == Next(Step.CASE)
    assert flow.handle(Back()) == Next(Step.CASES)


def test_no_case_for_the_person_and_a_platform_down_are_told(session: Session) -> None:
    session.identity = person()
    flow = tracking(session)
    flow.handle(UseIdCard())
    assert flow.handle(Found(())) == Next(Step.LOOKUP)
    assert flow.notice == "tracking.error.none_for_person"
    flow.handle(UseIdCard())
    assert flow.handle(Failed("tracking.error.offline", retry=True)) == Next(Step.PROBLEM)
    assert flow.handle(Retry()).effect == FindByIdentity()


def _appt(hours_ahead: float, status: str = "booked") -> Appointment:
    start = (NOW + dt.timedelta(hours=hours_ahead)).isoformat()
    return Appointment("A00000001", "S1", "M", start, start, status)


def test_an_appointment_slip_can_be_cancelled_while_the_rules_allow(session: Session) -> None:
    flow = tracking(session)
    assert flow.handle(NumberEntered("a00000001")).effect == LoadAppointment("A00000001")
    assert flow.handle(AppointmentLoaded(_appt(1))) == Next(Step.APPOINTMENT)
    assert flow.handle(CancelRequested()) == Invalid({"_": "appointment.error.cancel_too_late"})
    flow.appointment = _appt(30)
    assert flow.handle(CancelRequested()).effect == CancelAppointment("A00000001")
    assert flow.handle(AppointmentLoaded(_appt(30, "cancelled"))) == Next(Step.APPOINTMENT)
    assert flow.handle(CancelRequested()) == Invalid({"_": "appointment.error.not_booked"})
    assert flow.handle(Continue()) == Next(Step.DONE)


def test_a_complaint_has_a_category_words_and_an_optional_phone(session: Session) -> None:
    flow = ComplaintFlow(session)
    assert flow.handle(Choose("bribery")) == Invalid({"category": "complaint.error.category"})
    assert flow.handle(Choose("efficiency")) == Next(Step.COMPOSE)
    assert flow.handle(TextEntered("太慢")) == Invalid({"text": "complaint.error.too_short"})
    assert flow.handle(TextEntered("  排队 等了 一个小时 ")) == Next(Step.CONTACT)
    assert flow.text == "排队 等了 一个小时"
    assert flow.handle(PhoneEntered("12345")) == Invalid({"phone": "form.error.phone"})
    assert flow.handle(Back()) == Next(Step.COMPOSE)
    flow.handle(TextEntered("排队等了一个小时"))
    file = flow.handle(PhoneEntered(""))  # no contact: fine
    assert file == Next(Step.SUBMIT) and file.effect == FileComplaint()
    assert flow.handle(Filed("TS-demo-0001-20260101-0001", None, True)) == Next(Step.TICKET)
    assert flow.handle(Back()) == Invalid({"_": "flow.error.no_back"})
    assert flow.handle(Continue()) == Next(Step.DONE)


def test_self_service_shows_the_way_and_prints_the_guide(
    session: Session, catalogue: Catalogue
) -> None:
    flow = SelfServiceFlow(session, catalogue.get(PAYMENT), "https://m.example/matter/x")
    assert flow.step is Step.GUIDE
    assert flow.handle(PrintRequested()) == Next(Step.GUIDE, effect=PrintGuide())
    assert flow.handle(Continue()) == Next(Step.DONE)
    assert flow.handle(Back()) == Abort("flow.cancelled")


STAFF = StaffMember("A-007", "李代办", "demo-0001")


def test_consent_on_screen_is_recorded_with_the_agent(session: Session) -> None:
    flow = ConsentFlow(session, STAFF, clock=lambda: 1234.0)
    assert flow.handle(Identified(person())) == Next(Step.CONSENT)
    done = flow.handle(ConsentGiven("screen"))
    assert done == Next(Step.DONE) and done.effect == RecordConsent()
    assert session.assist.staff == STAFF and session.assist.consent.method == "screen"
    assert session.assist.consent.at == 1234.0


def test_acting_for_a_household_member_needs_a_signed_paper(session: Session) -> None:
    session.identity = person()
    flow = ConsentFlow(session, STAFF, clock=lambda: 0.0)
    assert flow.step is Step.CONSENT
    refused = flow.handle(ConsentGiven("screen", relationship="child"))
    assert refused == Invalid({"_": "consent.error.paper_needed"})
    assert flow.handle(ConsentGiven("paper", "neighbour")) == Invalid(
        {"relationship": "consent.error.relationship"}
    )
    assert flow.handle(ConsentGiven("paper", "child")) == Next(Step.MATERIALS)
    assert flow.handle(NextMaterial()) == Invalid({"authorisation": "materials.error.required"})
    flow.handle(PageCaptured(page("authorisation")))
    assert flow.handle(NextMaterial()) == Next(Step.DONE)
    assert session.assist.consent.relationship == "child"
    assert len(session.pages["authorisation"]) == 1  # it travels with the application
    session.wipe()
    assert session.assist is None
