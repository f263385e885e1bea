"""Journeys counted from the flows themselves (no Kivy): the funnel, abandonment at each
step and why, completion, time per step, and the facts on the way."""

from __future__ import annotations

import dataclasses as dc
from typing import Any

import pytest

from kiosk.appointments import AppointmentRules
from kiosk.catalogue import Catalogue
from kiosk.flows import base
from kiosk.flows.base import Step
from kiosk.flows.complaint import ComplaintFlow
from kiosk.flows.intents import Choose, Failed, Filed, PhoneEntered, Scanned, StartScan, TextEntered
from kiosk.flows.promised import PromisedFlow
from kiosk.flows.tracking import TrackingFlow
from kiosk.receipts.qrcodes import CodeKind, ScannedCode
from kiosk.session import EndReason, Submission
from kiosk.usage.vocabulary import AbandonReason
from tests.support.allowance import ALLOWANCE, ANSWERS, CITIZEN, capture_required, scanned_page
from tests.support.usage import rows, total

from .conftest import NOW, Kiosk

PROMISED = [Step.IDENTITY, Step.NOTICE, Step.FORM, Step.MATERIALS, Step.REVIEW,
            Step.SUBMIT, Step.RECEIPT, Step.RATING]  # fmt: skip
SECONDS = 30  # spent at every step


def walk(kiosk: Kiosk, flow: PromisedFlow, until: Step) -> None:
    """Take ``flow`` to ``until``, ``SECONDS`` at each step."""
    said: dict[Step, Any] = {
        Step.IDENTITY: base.Identified(CITIZEN),
        Step.NOTICE: base.NoticeAccepted(),
        Step.FORM: base.FormSubmitted(ANSWERS),
        Step.REVIEW: base.ReviewConfirmed(),
        Step.SUBMIT: base.Submitted(Submission("LS-1", provisional=True, printed=True)),
        Step.RECEIPT: base.Continue(),
        Step.RATING: base.Rated(5),
    }
    while flow.step is not until:
        kiosk.clock.advance(SECONDS)
        if flow.step is Step.MATERIALS:
            capture_required(flow)
        else:
            flow.handle(said[flow.step])


def start(kiosk: Kiosk, catalogue: Catalogue, code: str = ALLOWANCE) -> PromisedFlow:
    kiosk.sessions.begin()
    return PromisedFlow(kiosk.sessions.current, catalogue.get(code))


@pytest.mark.parametrize("step", PROMISED)
def test_a_journey_left_at_each_step_is_counted_there(
    kiosk: Kiosk, catalogue: Catalogue, step: Step
) -> None:
    flow = start(kiosk, catalogue)
    walk(kiosk, flow, step)
    kiosk.clock.advance(120)
    kiosk.sessions.end(EndReason.TIMEOUT)
    docs = kiosk.docs()
    journey = {"flow": "promised", "matter": ALLOWANCE}
    assert total(docs, "journeys_started", **journey) == 1
    reached = PROMISED[: PROMISED.index(step) + 1]
    assert rows(docs, "steps_reached") == {
        tuple(sorted({**journey, "step": str(s)}.items())): 1 for s in reached
    }
    done = step in (Step.RECEIPT, Step.RATING)  # the receipt is what it was for
    assert total(docs, "journeys_completed", **journey) == int(done)
    abandoned = rows(docs, "journeys_abandoned")
    where = {**journey, "step": str(step), "reason": "timeout"}
    assert abandoned == ({} if done else {tuple(sorted(where.items())): 1})
    # the time at the step where it was left counts too, as one visit
    assert total(docs, "step_seconds", step=str(step)) == 120
    assert total(docs, "step_visits", **journey) == len(reached)
    assert total(docs, "sessions_ended", reason="timeout") == 1


def test_a_whole_journey_once_with_its_time_rating_and_identity(
    kiosk: Kiosk, catalogue: Catalogue
) -> None:
    flow = start(kiosk, catalogue)
    walk(kiosk, flow, Step.DONE)
    kiosk.sessions.end(EndReason.FINISHED)
    docs = kiosk.docs()
    assert total(docs, "sessions_started") == 1
    assert total(docs, "journeys_completed", flow="promised", matter=ALLOWANCE) == 1
    assert total(docs, "journeys_abandoned") == 0
    assert total(docs, "ratings", flow="promised", matter=ALLOWANCE, level=5) == 1
    for step in PROMISED:
        assert total(docs, "step_seconds", step=str(step)) == SECONDS, step
        assert total(docs, "step_visits", step=str(step)) == 1, step
    assert total(docs, "identity_proven", method="id_card") == 1
    assert total(docs, "sessions_using") == 0
    assert [d["hour"] for d in docs] == ["2026-01-05T09:00:00+08:00"]


def test_backing_out_and_going_elsewhere(kiosk: Kiosk, catalogue: Catalogue) -> None:
    kiosk.sessions.begin()
    session = kiosk.sessions.current
    session.identity = CITIZEN  # laid on the reader at the attract screen
    flow = PromisedFlow(session, catalogue.get(ALLOWANCE))
    assert flow.step is Step.NOTICE
    flow.handle(base.Back())  # out of the journey at its first step
    tracking = TrackingFlow(session, AppointmentRules(), lambda: NOW)
    tracking.handle(StartScan())
    start(kiosk, catalogue)  # home, and another matter: the look-up is left
    kiosk.sessions.end(EndReason.CARD_REMOVED)
    left = rows(kiosk.docs(), "journeys_abandoned")
    assert left == {
        (("flow", "promised"), ("matter", ALLOWANCE), ("reason", "back"), ("step", "notice")): 1,
        (("flow", "tracking"), ("reason", "left"), ("step", "scan")): 1,
        (("flow", "promised"), ("matter", ALLOWANCE), ("reason", "card_removed"),
         ("step", "notice")): 1,
    }  # fmt: skip
    assert total(kiosk.docs(), "journeys_started") == 3
    assert total(kiosk.docs(), "sessions_started") == 1  # one citizen, three journeys


def test_retakes_complaints_and_failed_scans(kiosk: Kiosk, catalogue: Catalogue) -> None:
    flow = start(kiosk, catalogue)
    walk(kiosk, flow, Step.MATERIALS)
    code = flow.current_material.code
    flow.handle(base.PageCaptured(scanned_page(code)))
    flow.handle(base.Retake())
    flow.handle(base.Retake())  # nothing left to retake: still counted as the citizen asked
    session = kiosk.sessions.current
    complaint = ComplaintFlow(session)
    complaint.handle(Choose("efficiency"))
    complaint.handle(TextEntered("等了很久没有人管"))
    complaint.handle(PhoneEntered(""))
    complaint.handle(Filed("LS-C-1", None, printed=False, key="error.printer.paper_out"))
    tracking = TrackingFlow(session, AppointmentRules(), lambda: NOW)
    tracking.handle(StartScan())
    tracking.handle(Failed("scan.error.timeout"))
    tracking.handle(StartScan())
    tracking.handle(Scanned(ScannedCode(CodeKind.LOOKALIKE, "https://evil.example/r")))
    tracking.handle(Scanned(ScannedCode(CodeKind.TOKEN, "WIFI:S:cafe;;")))
    kiosk.sessions.end(EndReason.FINISHED)
    docs = kiosk.docs()
    assert total(docs, "captures_retaken", flow="promised", matter=ALLOWANCE) == 2
    assert rows(docs, "complaints_filed") == {(("category", "efficiency"),): 1}
    assert total(docs, "journeys_completed", flow="complaint") == 1
    assert rows(docs, "qr_scans_failed") == {
        (("reason", "timeout"),): 1,
        (("reason", "not_ours"),): 1,
        (("reason", "not_a_receipt"),): 1,
    }


def test_identity_modes_and_voice_per_session(kiosk: Kiosk, catalogue: Catalogue) -> None:
    kiosk.voice[0] = True
    kiosk.sessions.begin()
    session = kiosk.sessions.current
    session.elderly = True  # 长辈版 on, then off again: it was used
    session.elderly = False
    session.language = "en"
    session.identity = dc.replace(CITIZEN, source="smartcard")
    kiosk.sessions.end(EndReason.FINISHED)
    kiosk.sessions.begin()
    kiosk.sessions.current.identity = dc.replace(CITIZEN, source="typed")
    kiosk.sessions.current.assist = object()  # type: ignore[assignment]  # an agent acts
    kiosk.sessions.end(EndReason.FINISHED)
    docs = kiosk.docs()
    assert rows(docs, "identity_proven") == {
        (("method", "social_security_card"),): 1,
        (("method", "agent"),): 1,
    }
    assert rows(docs, "sessions_using") == {
        (("feature", "elderly"),): 1,
        (("feature", "english"),): 1,
        (("feature", "voice"),): 2,
    }


def test_journeys_begun_by_an_agent_are_assisted(kiosk: Kiosk, catalogue: Catalogue) -> None:
    kiosk.sessions.begin()
    kiosk.sessions.current.assist = object()  # type: ignore[assignment]
    start(kiosk, catalogue)
    kiosk.sessions.end(EndReason.FINISHED)
    start(kiosk, catalogue)  # the next citizen alone
    kiosk.sessions.end(EndReason.FINISHED)
    docs = kiosk.docs()
    assert total(docs, "journeys_started") == 2
    assert total(docs, "journeys_assisted", flow="promised", matter=ALLOWANCE) == 1


def test_a_session_nobody_began_counts_nothing(kiosk: Kiosk) -> None:
    kiosk.sessions.end(EndReason.TIMEOUT)  # the attract screen timing out, say
    assert kiosk.docs() == []


def test_counts_fall_in_the_hour_they_happen(kiosk: Kiosk, catalogue: Catalogue) -> None:
    walk(kiosk, start(kiosk, catalogue), Step.FORM)
    kiosk.wall.advance(hours=1)  # 10:10: the citizen is still at the form
    kiosk.sessions.end(EndReason.TIMEOUT)
    by_hour = {d["hour"]: d for d in kiosk.docs()}
    nine, ten = by_hour["2026-01-05T09:00:00+08:00"], by_hour["2026-01-05T10:00:00+08:00"]
    assert total([nine], "sessions_started") == 1 and total([ten], "sessions_started") == 0
    assert total([ten], "journeys_abandoned", step="form") == 1


def test_every_way_a_session_ends_is_a_way_to_leave_a_journey() -> None:
    assert {str(r) for r in EndReason} <= {str(r) for r in AbandonReason}


def test_a_fault_in_counting_never_breaks_the_journey_or_the_wipe(
    kiosk: Kiosk, catalogue: Catalogue
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk gone")

    kiosk.recorder.journeys.count = broken
    kiosk.recorder.journeys.flush = broken
    flow = start(kiosk, catalogue)
    walk(kiosk, flow, Step.FORM)  # the flow goes on
    session = kiosk.sessions.current
    kiosk.sessions.end(EndReason.TIMEOUT)
    assert session.identity is None and session.flow is None  # wiped all the same
