"""退回补正 (exactly the missing materials, to the same case) and 延时办 (who, where,
when, why, a number to call back) as step machines."""

from __future__ import annotations

from kiosk.catalogue import Catalogue
from kiosk.flows import base
from kiosk.flows.base import Abort, Invalid, Next, Step
from kiosk.flows.correction import CorrectionFlow
from kiosk.flows.deferred import DeferredFlow
from kiosk.flows.effects import CheckOwner, SubmitApplication
from kiosk.flows.intents import OwnerChecked
from kiosk.flows.kinds import FlowKind
from kiosk.session import Session, Submission

from .conftest import ALLOWANCE, PENSION_CHECK, page, person

CASE = "33011020260101000010"


def test_a_correction_asks_for_exactly_the_missing_materials(
    session: Session, catalogue: Catalogue
) -> None:
    session.identity = person()
    missing = ["household_register", "bank_statement"]  # the second is not in the catalogue
    flow = CorrectionFlow(session, catalogue.get(ALLOWANCE), CASE, missing, owner_known=True)
    assert flow.step is Step.NOTICE and flow.kind == "correction"
    assert [m.code for m in flow.materials] == missing
    assert flow.materials[1].name.get("zh_CN").startswith("补充材料")
    assert flow.handle(base.NoticeAccepted()) == Next(Step.MATERIALS)  # no form again
    assert flow.handle(base.NextMaterial()) == Invalid(
        {"household_register": "materials.error.required"}
    )
    for code in missing:
        flow.handle(base.PageCaptured(page(code)))
        flow.handle(base.NextMaterial())
    assert flow.step is Step.REVIEW
    submit = flow.handle(base.ReviewConfirmed())
    assert isinstance(submit.effect, SubmitApplication)
    assert flow.handle(base.Submitted(Submission(CASE, False, True, kind="correction"))) == Next(
        Step.RECEIPT
    )
    assert flow.handle(base.Continue()) == Next(Step.RATING)
    assert flow.handle(base.Rated(5)) == Next(Step.DONE)


def test_a_correction_found_by_number_checks_the_card_is_the_applicants(
    session: Session, catalogue: Catalogue
) -> None:
    flow = CorrectionFlow(session, catalogue.get(ALLOWANCE), CASE, ["household_register"])
    assert flow.step is Step.IDENTITY
    check = flow.handle(base.Identified(person()))
    assert check == Next(Step.SEARCHING) and check.effect == CheckOwner(CASE)
    assert flow.handle(OwnerChecked(False)) == Next(Step.PROBLEM)
    assert flow.problem == "correction.error.not_applicant" and session.identity is None
    assert flow.handle(base.Back()) == Abort("flow.cancelled")


def test_unknown_ownership_goes_on_and_the_platform_decides(
    session: Session, catalogue: Catalogue
) -> None:
    session.identity = person()  # a card is in, but the case came from a typed number
    flow = CorrectionFlow(session, catalogue.get(ALLOWANCE), CASE, ["household_register"])
    assert flow.step is Step.SEARCHING and flow.start_effect == CheckOwner(CASE)
    assert flow.handle(OwnerChecked(None)) == Next(Step.NOTICE)


DEFERRED = {
    "service": "home_visit",
    "for_whom": "family",
    "family_name": "测试乙",
    "reason": "bedridden",
    "when": "weekend",
    "address": "东湖村三组",
    "phone": "13800138000",
}


def test_a_home_visit_request_asks_who_where_when_why_and_a_phone(
    session: Session, catalogue: Catalogue
) -> None:
    flow = DeferredFlow(session, catalogue.get(PENSION_CHECK))
    assert flow.handle(base.Identified(person())) == Next(Step.FORM)  # nothing to capture
    assert [f.key for f in flow.fields] == list(DEFERRED)
    missing_address = {k: v for k, v in DEFERRED.items() if k != "address"}
    assert flow.handle(base.FormSubmitted(missing_address)) == Invalid(
        {"address": "form.error.required"}
    )
    after_hours = missing_address | {"service": "after_hours"}
    assert flow.handle(base.FormSubmitted(after_hours)) == Next(Step.REVIEW)  # no visit: no address
    flow.handle(base.Back())
    assert flow.step is Step.FORM
    no_name = {k: v for k, v in DEFERRED.items() if k != "family_name"}
    no_name_error = Invalid({"family_name": "form.error.required"})
    assert flow.handle(base.FormSubmitted(no_name)) == no_name_error
    assert flow.handle(base.FormSubmitted(DEFERRED)) == Next(Step.REVIEW)
    assert session.answers["phone"] == "13800138000"
    assert isinstance(flow.handle(base.ReviewConfirmed()).effect, SubmitApplication)
    assert flow.kind is FlowKind.DEFERRED
