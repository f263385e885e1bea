"""Platform errors as the citizen hears them: one place maps a problem code to a
message key, and says whether trying again can help."""

from __future__ import annotations

from kiosk.errors import describe
from kiosk.flows.intents import Failed
from kiosk.upstream.errors import AuthError, PlatformRejected, PlatformUnavailable

LIVE = "error.upstream.live"  # the matter needs the platform now, and it is not there

KEYS = {
    "case_not_found": "tracking.error.unknown",
    "appointment_not_found": "tracking.error.unknown_appointment",
    "slot_full": "appointment.error.slot_taken",
    "slot_unavailable": "appointment.error.slot_taken",
    "already_booked_that_day": "appointment.error.one_per_day",
    "cancel_too_late": "appointment.error.cancel_too_late",
    "payment_not_completed": "payment.error.not_paid",
    "payment_not_found": "payment.error.not_paid",
    "certificate_not_ready": "instant.error.not_ready",
    "certificate_not_available": "instant.error.not_ready",
    "not_applicant": "correction.error.not_applicant",
    "case_not_returned": "correction.error.not_returned",
}


def failed(exc: BaseException) -> Failed:
    """The intent that tells a flow an effect failed."""
    if isinstance(exc, (PlatformUnavailable, AuthError)):
        return Failed(LIVE, retry=True, code=exc.code)
    if isinstance(exc, PlatformRejected):
        return Failed(KEYS.get(exc.code, "error.upstream.rejected"), code=exc.code)
    return Failed(describe(exc).key)
