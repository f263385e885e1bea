"""Submitting (承诺办, 延时办, 退回补正: all through the outbox, never lost) and checking
that the person correcting a case is its applicant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.flows.base import SubmitFailed, Submitted
from kiosk.flows.intents import OwnerChecked
from kiosk.intake.accept import applicant_of
from kiosk.upstream.errors import PlatformError

if TYPE_CHECKING:
    from kiosk.effects import Effects
    from kiosk.session import Session


def submit(ctx: Effects, session: Session) -> Submitted | SubmitFailed:
    return Submitted(ctx.intake.submit(session))


def check_owner(ctx: Effects, session: Session, case_no: str) -> OwnerChecked:
    """True/False from the platform's list of the person's cases; None when it cannot
    be asked (the platform checks again when the correction arrives)."""
    try:
        cases = ctx.client.search_cases(applicant=applicant_of(session.person()))
    except PlatformError:
        return OwnerChecked(None)
    return OwnerChecked(any(c.case_no == case_no for c in cases))
