"""承诺办 as a step machine, driven with no Kivy at all, on the shipped catalogue."""

from __future__ import annotations

import pytest

from kiosk.catalogue import Catalogue, Matter
from kiosk.errors import FlowError
from kiosk.flows import base
from kiosk.flows.base import Abort, Invalid, Next, Step
from kiosk.flows.intents import TextEntered, WriteComment
from kiosk.flows.promised import PromisedFlow
from kiosk.session import Session, Submission
from tests.support.allowance import ANSWERS, capture_required

from .conftest import page, person


@pytest.fixture(scope="module")
def matter(catalogue: Catalogue) -> Matter:
    return catalogue.search("gljt")[0]


@pytest.fixture
def flow(session: Session, matter: Matter) -> PromisedFlow:
    return PromisedFlow(session, matter)


def to_form(flow: PromisedFlow) -> None:
    flow.handle(base.Identified(person()))
    flow.handle(base.NoticeAccepted())


def to_materials(flow: PromisedFlow) -> None:
    to_form(flow)
    flow.handle(base.FormSubmitted(ANSWERS))


def to_review(flow: PromisedFlow) -> None:
    to_materials(flow)
    capture_required(flow, page)


def test_matter_is_the_old_age_allowance(matter: Matter) -> None:
    assert matter.name.get("zh_CN") == "高龄津贴申领"
    assert "promised" in matter.modes


def test_whole_journey(flow: PromisedFlow) -> None:
    assert flow.step is Step.IDENTITY
    assert flow.handle(base.Identified(person())) == Next(Step.NOTICE)
    assert flow.handle(base.NoticeAccepted()) == Next(Step.FORM)
    assert flow.handle(base.FormSubmitted(ANSWERS)) == Next(Step.MATERIALS)
    capture_required(flow, page)
    assert flow.step is Step.REVIEW
    submit = flow.handle(base.ReviewConfirmed())
    assert submit == Next(Step.SUBMIT) and type(submit.effect).__name__ == "SubmitApplication"
    sub = Submission("LS-1", provisional=True, printed=True)
    assert flow.handle(base.Submitted(sub)) == Next(Step.RECEIPT)
    assert flow.session.submission is sub
    assert flow.handle(base.Continue()) == Next(Step.RATING)
    assert flow.handle(base.Rated(5)) == Next(Step.DONE)
    assert flow.session.rating == 5


def test_identity_known_already_starts_at_the_notice(session: Session, matter: Matter) -> None:
    session.identity = person()
    flow = PromisedFlow(session, matter)
    assert flow.step is Step.NOTICE
    assert flow.handle(base.Back()) == Abort("flow.cancelled")


def test_bad_form_is_refused_with_field_keys(flow: PromisedFlow) -> None:
    to_form(flow)
    answers = ANSWERS | {"phone": "12345"}
    result = flow.handle(base.FormSubmitted(answers))
    assert isinstance(result, Invalid)
    assert result.errors == {"phone": "form.error.phone"}
    assert flow.step is Step.FORM
    assert flow.session.answers == {}


def test_agent_fields_become_required_when_an_agent_applies(flow: PromisedFlow) -> None:
    to_form(flow)
    result = flow.handle(base.FormSubmitted(ANSWERS | {"applicant": "agent"}))
    assert isinstance(result, Invalid)
    assert {"agent_relationship", "agent_name", "agent_id_number"} <= set(result.errors)


def test_required_material_cannot_be_skipped(flow: PromisedFlow) -> None:
    to_materials(flow)
    first = flow.current_material
    assert first.required
    assert flow.handle(base.NextMaterial()) == Invalid({first.code: "materials.error.required"})
    wrong = page("not-this-one")
    assert flow.handle(base.PageCaptured(wrong)) == Invalid({"_": "materials.error.wrong_material"})
    flow.handle(base.PageCaptured(page(first.code)))
    flow.handle(base.PageCaptured(page(first.code)))
    assert len(flow.pages_for(first.code)) == 2
    flow.handle(base.Retake())
    assert len(flow.pages_for(first.code)) == 1


def test_back_walks_through_materials_then_form(flow: PromisedFlow) -> None:
    to_materials(flow)
    flow.handle(base.PageCaptured(page(flow.current_material.code)))
    flow.handle(base.NextMaterial())
    assert flow.material_index == 1
    assert flow.handle(base.Back()) == Next(Step.MATERIALS)
    assert flow.material_index == 0
    assert flow.handle(base.Back()) == Next(Step.FORM)


def test_submit_failure_returns_to_review(flow: PromisedFlow) -> None:
    to_review(flow)
    flow.handle(base.ReviewConfirmed())
    result = flow.handle(base.SubmitFailed("error.generic"))
    assert result == Invalid({"_": "error.generic"})
    assert flow.step is Step.REVIEW
    assert flow.handle(base.Back()) == Next(Step.MATERIALS)


def test_no_way_back_after_submission(flow: PromisedFlow) -> None:
    to_review(flow)
    flow.handle(base.ReviewConfirmed())
    flow.handle(base.Submitted(Submission("LS-1", provisional=True, printed=False)))
    assert flow.handle(base.Back()) == Invalid({"_": "flow.error.no_back"})
    assert flow.step is Step.RECEIPT


def test_rating_levels_are_checked_and_a_bad_rating_says_why(flow: PromisedFlow) -> None:
    """A 1 or 2 without a reason would be refused by the platform (GB/T 39734-2020
    annex A) and so lost: the flow asks for a choice or the citizen's own words."""
    flow.step = Step.RATING
    assert flow.handle(base.Rated(0)) == Invalid({"level": "rating.error.level"})
    assert flow.handle(base.Rated(1)) == Invalid({"reasons": "rating.error.reason"})
    done = flow.handle(base.Rated(1, ("too_slow",)))
    assert done == Next(Step.DONE) and done.effect.reasons == ("too_slow",)
    assert flow.session.rating == 1


def test_a_bad_rating_may_say_why_in_the_citizens_own_words(flow: PromisedFlow) -> None:
    flow.step = Step.RATING
    assert flow.handle(WriteComment(2)) == Next(Step.COMPOSE)
    assert flow.handle(base.Back()) == Next(Step.RATING)
    flow.handle(WriteComment(2))
    assert flow.handle(TextEntered("  排队太久  ")) == Next(Step.RATING)
    assert flow.rating_level == 2 and flow.compose_spec()[1] == "排队太久"
    done = flow.handle(base.Rated(2))
    assert done == Next(Step.DONE) and done.effect.comment == "排队太久"


def test_an_intent_out_of_sequence_is_a_flow_error(flow: PromisedFlow) -> None:
    with pytest.raises(FlowError):
        flow.handle(base.ReviewConfirmed())
