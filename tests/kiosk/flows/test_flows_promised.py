"""承诺办 as a step machine, driven with no Kivy at all, on the shipped catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import CATALOGUE_FILE
from kiosk.catalogue import Matter, load_catalogue
from kiosk.errors import FlowError
from kiosk.flows.base import (
    Abort,
    Back,
    Continue,
    FormSubmitted,
    Identified,
    Invalid,
    Next,
    NextMaterial,
    NoticeAccepted,
    PageCaptured,
    Rated,
    Retake,
    ReviewConfirmed,
    Step,
    SubmitFailed,
    Submitted,
)
from kiosk.flows.intents import TextEntered, WriteComment
from kiosk.flows.promised import PromisedFlow
from kiosk.identity import Identity
from kiosk.session import CapturedPage, Session, Submission

GOOD_ANSWERS = {
    "applicant": "self",
    "phone": "13800138000",
    "payment_card_number": "6222020200112233446",
    "bank": "rcb",
    "address": "演示县东湖镇东湖村3组",
}


@pytest.fixture(scope="module")
def matter() -> Matter:
    catalogue = load_catalogue(CATALOGUE_FILE)
    return catalogue.search("gljt")[0]


def new_flow(tmp_path: Path, matter: Matter) -> PromisedFlow:
    session = Session(tmp_path, language="zh_CN", elderly=False, clock=lambda: 0.0)
    return PromisedFlow(session, matter)


def person() -> Identity:
    return Identity("idcard", "resident", "110101194501011236", "测试甲")


def page(code: str) -> CapturedPage:
    return CapturedPage(code, b"jpeg", 1654, 2339)


def valid_answers(matter: Matter) -> dict[str, str]:
    keys = {f.key for f in matter.fields}
    return {k: v for k, v in GOOD_ANSWERS.items() if k in keys}


def capture_all_required(flow: PromisedFlow) -> None:
    while flow.step is Step.MATERIALS:
        material = flow.current_material
        if material.required:
            assert flow.handle(PageCaptured(page(material.code))) == Next(Step.MATERIALS)
        flow.handle(NextMaterial())


def test_matter_is_the_old_age_allowance(matter: Matter) -> None:
    assert matter.name.get("zh_CN") == "高龄津贴申领"
    assert "promised" in matter.modes


def test_whole_journey(tmp_path: Path, matter: Matter) -> None:
    flow = new_flow(tmp_path, matter)
    assert flow.step is Step.IDENTITY
    assert flow.handle(Identified(person())) == Next(Step.NOTICE)
    assert flow.handle(NoticeAccepted()) == Next(Step.FORM)
    assert flow.handle(FormSubmitted(valid_answers(matter))) == Next(Step.MATERIALS)
    capture_all_required(flow)
    assert flow.step is Step.REVIEW
    submit = flow.handle(ReviewConfirmed())
    assert submit == Next(Step.SUBMIT) and type(submit.effect).__name__ == "SubmitApplication"
    sub = Submission("LS-1", provisional=True, printed=True)
    assert flow.handle(Submitted(sub)) == Next(Step.RECEIPT)
    assert flow.session.submission is sub
    assert flow.handle(Continue()) == Next(Step.RATING)
    assert flow.handle(Rated(5)) == Next(Step.DONE)
    assert flow.session.rating == 5


def test_identity_known_already_starts_at_the_notice(tmp_path: Path, matter: Matter) -> None:
    session = Session(tmp_path, language="zh_CN", elderly=False, clock=lambda: 0.0)
    session.identity = person()
    flow = PromisedFlow(session, matter)
    assert flow.step is Step.NOTICE
    assert flow.handle(Back()) == Abort("flow.cancelled")


def test_bad_form_is_refused_with_field_keys(tmp_path: Path, matter: Matter) -> None:
    flow = new_flow(tmp_path, matter)
    flow.handle(Identified(person()))
    flow.handle(NoticeAccepted())
    answers = valid_answers(matter) | {"phone": "12345"}
    result = flow.handle(FormSubmitted(answers))
    assert isinstance(result, Invalid)
    assert result.errors == {"phone": "form.error.phone"}
    assert flow.step is Step.FORM
    assert flow.session.answers == {}


def test_agent_fields_become_required_when_an_agent_applies(tmp_path: Path, matter: Matter) -> None:
    flow = new_flow(tmp_path, matter)
    flow.handle(Identified(person()))
    flow.handle(NoticeAccepted())
    result = flow.handle(FormSubmitted(valid_answers(matter) | {"applicant": "agent"}))
    assert isinstance(result, Invalid)
    assert {"agent_relationship", "agent_name", "agent_id_number"} <= set(result.errors)


def test_required_material_cannot_be_skipped(tmp_path: Path, matter: Matter) -> None:
    flow = new_flow(tmp_path, matter)
    flow.handle(Identified(person()))
    flow.handle(NoticeAccepted())
    flow.handle(FormSubmitted(valid_answers(matter)))
    first = flow.current_material
    assert first.required
    assert flow.handle(NextMaterial()) == Invalid({first.code: "materials.error.required"})
    wrong = page("not-this-one")
    assert flow.handle(PageCaptured(wrong)) == Invalid({"_": "materials.error.wrong_material"})
    flow.handle(PageCaptured(page(first.code)))
    flow.handle(PageCaptured(page(first.code)))
    assert len(flow.pages_for(first.code)) == 2
    flow.handle(Retake())
    assert len(flow.pages_for(first.code)) == 1


def test_back_walks_through_materials_then_form(tmp_path: Path, matter: Matter) -> None:
    flow = new_flow(tmp_path, matter)
    flow.handle(Identified(person()))
    flow.handle(NoticeAccepted())
    flow.handle(FormSubmitted(valid_answers(matter)))
    flow.handle(PageCaptured(page(flow.current_material.code)))
    flow.handle(NextMaterial())
    assert flow.material_index == 1
    assert flow.handle(Back()) == Next(Step.MATERIALS)
    assert flow.material_index == 0
    assert flow.handle(Back()) == Next(Step.FORM)


def test_submit_failure_returns_to_review(tmp_path: Path, matter: Matter) -> None:
    flow = new_flow(tmp_path, matter)
    flow.handle(Identified(person()))
    flow.handle(NoticeAccepted())
    flow.handle(FormSubmitted(valid_answers(matter)))
    capture_all_required(flow)
    flow.handle(ReviewConfirmed())
    result = flow.handle(SubmitFailed("error.generic"))
    assert result == Invalid({"_": "error.generic"})
    assert flow.step is Step.REVIEW
    assert flow.handle(Back()) == Next(Step.MATERIALS)


def test_no_way_back_after_submission(tmp_path: Path, matter: Matter) -> None:
    flow = new_flow(tmp_path, matter)
    flow.handle(Identified(person()))
    flow.handle(NoticeAccepted())
    flow.handle(FormSubmitted(valid_answers(matter)))
    capture_all_required(flow)
    flow.handle(ReviewConfirmed())
    flow.handle(Submitted(Submission("LS-1", provisional=True, printed=False)))
    assert flow.handle(Back()) == Invalid({"_": "flow.error.no_back"})
    assert flow.step is Step.RECEIPT


def test_rating_levels_are_checked_and_a_bad_rating_says_why(
    tmp_path: Path, matter: Matter
) -> None:
    """A 1 or 2 without a reason would be refused by the platform (GB/T 39734-2020
    annex A) and so lost: the flow asks for a choice or the citizen's own words."""
    flow = new_flow(tmp_path, matter)
    flow.step = Step.RATING
    assert flow.handle(Rated(0)) == Invalid({"level": "rating.error.level"})
    assert flow.handle(Rated(1)) == Invalid({"reasons": "rating.error.reason"})
    done = flow.handle(Rated(1, ("too_slow",)))
    assert done == Next(Step.DONE) and done.effect.reasons == ("too_slow",)
    assert flow.session.rating == 1


def test_a_bad_rating_may_say_why_in_the_citizens_own_words(tmp_path: Path, matter: Matter) -> None:
    flow = new_flow(tmp_path, matter)
    flow.step = Step.RATING
    assert flow.handle(WriteComment(2)) == Next(Step.COMPOSE)
    assert flow.handle(Back()) == Next(Step.RATING)
    flow.handle(WriteComment(2))
    assert flow.handle(TextEntered("  排队太久  ")) == Next(Step.RATING)
    assert flow.rating_level == 2 and flow.compose_spec()[1] == "排队太久"
    done = flow.handle(Rated(2))
    assert done == Next(Step.DONE) and done.effect.comment == "排队太久"


def test_an_intent_out_of_sequence_is_a_flow_error(tmp_path: Path, matter: Matter) -> None:
    flow = new_flow(tmp_path, matter)
    with pytest.raises(FlowError):
        flow.handle(ReviewConfirmed())
