"""The kiosk layer's exception tree and the one place errors become message keys.

A citizen sees a plain-words message (a translation key); the technician sees a log line
with the technical detail. Device and platform errors from the layers below are mapped
here too, so no screen interprets exceptions itself.
"""

from __future__ import annotations

import dataclasses as dc
from collections.abc import Callable

from devices.face.errors import FaceError, ModelMissing
from devices.smartcard.errors import PinRejected
from devices.status import DeviceError
from kiosk.upstream.errors import AuthError, PlatformRejected, PlatformUnavailable


class KioskError(Exception):
    """Base of the kiosk layer's errors. ``key`` is the message key the citizen sees."""

    key = "error.generic"


class DeviceMissing(KioskError):
    """The device a step needs was not opened (see the technician's device list)."""

    key = "error.device.missing"


class SessionEnded(KioskError):
    key = "error.session_ended"


class FlowError(KioskError):
    """An intent that the current step cannot take (a programming or sequencing error)."""

    key = "error.generic"


class IdentityRejected(KioskError):
    key = "error.identity_rejected"


class NotAnIdentityCard(IdentityRejected):
    """A bank card: it carries payment data only and cannot prove who the citizen is."""

    key = "error.smartcard.bank_card"


class PersonalDataLocked(IdentityRejected):
    """A social-security card whose personal data needs a PIN or a PSAM not offered."""

    key = "error.smartcard.locked"


@dc.dataclass(frozen=True)
class Problem:
    """What went wrong: a message key for the citizen (with the values its text needs,
    e.g. ``tries`` for a wrong PIN) and a log line for the technician."""

    key: str
    log: str
    params: dict[str, int | str] = dc.field(default_factory=dict)

    def text(self, tr: Callable[..., str]) -> str:
        """The message in words, through a translator (``kiosk.i18n.Translator``)."""
        return tr(self.key, **self.params)


_DEVICE_KEYS = {
    "timeout": "error.device.timeout",
    "noDevice": "error.device.missing",
    "protocolError": "error.device.read_failed",
    "paperOut": "error.printer.paper_out",
    "coverOpen": "error.printer.cover_open",
    "noCard": "error.idcard.no_card",
    "cardRemoved": "error.idcard.removed",
    "unsupportedCard": "error.idcard.unsupported",
    "invalidCardData": "error.idcard.invalid",
    "cardAuthFailed": "error.idcard.invalid",
    "samNotAuthorised": "error.device.generic",
    "samFault": "error.device.generic",
    "samError": "error.device.read_failed",
    "samTransmissionError": "error.device.read_failed",
    "checksumError": "error.device.read_failed",
    "truncatedFrame": "error.device.read_failed",
    "badLength": "error.device.read_failed",
    "malformedFrame": "error.device.read_failed",
    "frameError": "error.device.read_failed",
    # PC/SC cards (devices.smartcard.errors)
    "pcscUnavailable": "error.device.missing",
    "readerMissing": "error.device.missing",
    "readerBusy": "error.device.generic",
    "noSmartcard": "error.smartcard.no_card",
    "smartcardRemoved": "error.smartcard.removed",
    "cardUnresponsive": "error.smartcard.unsupported",
    "unsupportedSmartcard": "error.smartcard.unsupported",
    "invalidSmartcardData": "error.smartcard.invalid",
    "cardStatus": "error.device.read_failed",
    "fileNotFound": "error.device.read_failed",
    "cardLocked": "error.smartcard.locked",
    "pinBlocked": "error.smartcard.pin_blocked",
    "apduError": "error.device.read_failed",
    "tlvError": "error.device.read_failed",
}


# the platform's problem codes (kiosk/upstream/openapi.yaml) the citizen hears of
_PLATFORM_KEYS = {
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
    "no_reference": "face.failed.no_reference",
    "verification_mismatch": "face.failed.no_match",
}
UPSTREAM_LIVE = "error.upstream.live"  # the platform is needed now and is not there


def describe(exc: BaseException) -> Problem:
    """Map any exception to (message key for the citizen, log text for the technician)."""
    log = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, KioskError):
        return Problem(exc.key, log)
    if isinstance(exc, PinRejected):  # 63Cx: x more tries, and none left means blocked
        if exc.tries_left > 0:
            return Problem("error.smartcard.pin_wrong", log, {"tries": exc.tries_left})
        return Problem("error.smartcard.pin_blocked", log)
    if isinstance(exc, DeviceError):
        return Problem(_DEVICE_KEYS.get(exc.code, "error.device.generic"), log)
    if isinstance(exc, (PlatformUnavailable, AuthError)):
        return Problem(UPSTREAM_LIVE, log)
    if isinstance(exc, PlatformRejected):
        return Problem(_PLATFORM_KEYS.get(exc.code, "error.upstream.rejected"), log)
    if isinstance(exc, FaceError):  # the face model: not installed, or no usable face
        return Problem(
            "face.error.model" if isinstance(exc, ModelMissing) else "face.failed.position", log
        )
    key = getattr(exc, "message_key", None)
    if isinstance(key, str):
        return Problem(key, log)
    return Problem("error.generic", log)
