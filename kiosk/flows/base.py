"""Intents, transitions and the shape every flow shares."""

from __future__ import annotations

import dataclasses as dc
import enum
from typing import Any

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


# ---- intents: what the citizen (or an effect) says -------------------------------------


@dc.dataclass(frozen=True)
class Identified:
    identity: Identity


@dc.dataclass(frozen=True)
class NoticeAccepted:
    pass


@dc.dataclass(frozen=True)
class FormSubmitted:
    answers: dict[str, str]


@dc.dataclass(frozen=True)
class PageCaptured:
    page: CapturedPage


@dc.dataclass(frozen=True)
class Retake:
    pass


@dc.dataclass(frozen=True)
class NextMaterial:
    pass


@dc.dataclass(frozen=True)
class ReviewConfirmed:
    pass


@dc.dataclass(frozen=True)
class Submitted:
    submission: Submission


@dc.dataclass(frozen=True)
class SubmitFailed:
    key: str


@dc.dataclass(frozen=True)
class Continue:
    pass


@dc.dataclass(frozen=True)
class Rated:
    level: int  # 5 非常满意 … 1 非常不满意
    reasons: tuple[str, ...] = ()
    comment: str = ""


@dc.dataclass(frozen=True)
class Back:
    pass


Intent = Any  # one of the dataclasses above


# ---- transitions: what the flow answers --------------------------------------------------


@dc.dataclass(frozen=True)
class Next:
    step: Step


@dc.dataclass(frozen=True)
class Invalid:
    """The intent was refused; ``errors`` maps a field (or ``"_"``) to a message key."""

    errors: dict[str, str]


@dc.dataclass(frozen=True)
class Abort:
    key: str


Transition = Next | Invalid | Abort
