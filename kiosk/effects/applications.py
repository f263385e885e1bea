"""Submitting (承诺办, 延时办, 退回补正: all through the outbox, never lost) and checking
that the person correcting a case is its applicant."""

from __future__ import annotations

from typing import Any

from kiosk.flows.base import SubmitFailed, Submitted
from kiosk.flows.intents import OwnerChecked
from kiosk.intake.accept import ID_TYPES
from kiosk.upstream.errors import PlatformError
from kiosk.upstream.models import Applicant


def submit(ctx: Any, session: Any) -> Submitted | SubmitFailed:
    return Submitted(ctx.intake.submit(session))


def check_owner(ctx: Any, session: Any, case_no: str) -> OwnerChecked:
    """True/False from the platform's list of the person's cases; None when it cannot
    be asked (the platform checks again when the correction arrives)."""
    identity = session.identity
    applicant = Applicant(
        ID_TYPES.get(identity.id_type, identity.id_type), identity.id_number, identity.name
    )
    try:
        cases = ctx.client.search_cases(applicant=applicant)
    except PlatformError:
        return OwnerChecked(None)
    return OwnerChecked(any(c.case_no == case_no for c in cases))
