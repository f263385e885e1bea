"""Intents, transitions and the shape every flow shares."""

from __future__ import annotations

import dataclasses as dc
import enum

from kiosk.flows.effects import Effect
from kiosk.flows.signal import Signal
from kiosk.identity import Identity
from kiosk.session import CapturedPage, Submission


class Step(enum.StrEnum):
    IDENTITY = "identity"
    NOTICE = "notice"
    FORM = "form"
    MATERIALS = "materials"
    REVIEW = "review"
    SUBMIT = "submit"
    RECEIPT = "receipt"
    RATING = "rating"
    DONE = "done"
    # 即时办
    PAYMENT = "payment"  # the fee and the platform's payment QR code
    FETCH = "fetch"  # waiting for the platform's certificate
    CERTIFICATE = "certificate"  # shown (masked), printed on request
    # 预约办
    SLOTS = "slots"
    CONFIRM = "confirm"
    BOOKING = "booking"
    BOOKED = "booked"
    MINE = "mine"  # the person's bookings still ahead, to cancel one
    # 自助办
    GUIDE = "guide"
    # 办件查询
    LOOKUP = "lookup"  # scan, type a number, or the ID card
    SCAN = "scan"
    SEARCHING = "searching"
    CASES = "cases"
    CASE = "case"
    APPOINTMENT = "appointment"
    # 意见投诉 (COMPOSE also takes a bad rating's comment)
    CATEGORY = "category"
    COMPOSE = "compose"
    CONTACT = "contact"
    TICKET = "ticket"
    # 帮办代办
    CONSENT = "consent"
    # 资格认证 by face (人证核验), and its ways without the face
    FACE_CONSENT = "face_consent"  # the separate consent before the camera starts
    FACE = "face"  # the live capture: quality gate, liveness, one frame
    VERIFYING = "verifying"  # the platform (or the chip photo) compares; certifying
    CERTIFIED = "certified"  # the result, valid until the platform's date; the slip
    FACE_OTHER = "face_other"  # an agent, or a home visit (上门认证)
    AGENT_CHECK = "agent_check"  # the signed-in agent checks the card and the person
    # anywhere: the platform is needed live and is not there, or the like
    PROBLEM = "problem"


# ---- intents: what the citizen (or an effect) says -------------------------------------


@dc.dataclass(frozen=True)
class Identified:
    identity: Identity


class NoticeAccepted(Signal):
    """The citizen has read the 一次性告知 and goes on."""


@dc.dataclass(frozen=True)
class FormSubmitted:
    answers: dict[str, str]


@dc.dataclass(frozen=True)
class PageCaptured:
    page: CapturedPage


class Retake(Signal):
    """Capture the current material again."""


class NextMaterial(Signal):
    """On to the next material (an optional one may be left out)."""


class ReviewConfirmed(Signal):
    """The citizen confirms what the review screen shows."""


@dc.dataclass(frozen=True)
class Submitted:
    submission: Submission


@dc.dataclass(frozen=True)
class SubmitFailed:
    key: str


class Continue(Signal):
    """On from a screen that only tells (a receipt, a ticket, a case)."""


@dc.dataclass(frozen=True)
class Rated:
    level: int  # 5 非常满意 … 1 非常不满意
    reasons: tuple[str, ...] = ()
    comment: str = ""


class Back(Signal):
    """The header's back button."""


Intent = object  # one of the dataclasses above, or of kiosk.flows.intents


# ---- transitions: what the flow answers --------------------------------------------------


@dc.dataclass(frozen=True)
class Next:
    """Go to ``step``. ``effect`` (kiosk.flows.effects) is work the app runs in the
    background on arrival; its outcome comes back as an intent. Not part of equality:
    where a step is reached is what a transition *is*."""

    step: Step
    effect: Effect | None = dc.field(default=None, compare=False)


@dc.dataclass(frozen=True)
class Invalid:
    """The intent was refused; ``errors`` maps a field (or ``"_"``) to a message key."""

    errors: dict[str, str]


@dc.dataclass(frozen=True)
class Abort:
    key: str


Transition = Next | Invalid | Abort
