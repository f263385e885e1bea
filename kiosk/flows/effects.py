"""Work a flow asks for when it reaches a step: plain data, run by the app.

A flow returns ``Next(step, effect=...)``; the app runs the effect off the UI thread
through :class:`kiosk.effects.Effects`, which performs it against the real kiosk, and
hands its outcome back to the flow as an intent (kiosk/flows/intents.py). Flows stay
pure and their tests check which effect they ask.
"""

from __future__ import annotations

import dataclasses as dc

from kiosk.flows.signal import Signal


class SubmitApplication(Signal):
    """Save → print the receipt → send (promised, deferred, correction)."""


class CreatePayment(Signal):
    """Ask the platform for a payment order for the matter's fee."""


@dc.dataclass(frozen=True)
class CheckPayment:
    payment_id: str


class FetchCertificate(Signal):
    """Submit the 即时办 application live and fetch its certificate."""


class PrintCertificate(Signal):
    """Print the certificate shown (masked as on screen)."""


class PrintGuide(Signal):
    """The full 办事指南 on paper, with the mobile channel's QR code."""


class LoadSlots(Signal):
    """The matter's open appointment slots at this station."""


@dc.dataclass(frozen=True)
class BookSlot:
    slot_id: str


class FindAppointments(Signal):
    """The bookings of the person in the session still ahead (to cancel one)."""


@dc.dataclass(frozen=True)
class ScanQr:
    """Watch the QR camera until a code is read (or the time is up). ``ignore``: a code
    just refused, still held up, is not read again."""

    ignore: str = dc.field(default="", repr=False)


@dc.dataclass(frozen=True)
class FindByNumber:
    number: str  # a case number, a provisional number, or an appointment number


class FindByIdentity(Signal):
    """Every case of the person in the session."""


@dc.dataclass(frozen=True)
class LoadCase:
    case_no: str


@dc.dataclass(frozen=True)
class LoadAppointment:
    appointment_id: str


@dc.dataclass(frozen=True)
class CancelAppointment:
    appointment_id: str


@dc.dataclass(frozen=True)
class CheckOwner:
    """Is the person in the session the applicant of the case to be corrected?"""

    case_no: str


class FileComplaint(Signal):
    """File the complaint written in the flow (through the outbox) and print its slip."""


@dc.dataclass(frozen=True)
class SendRating:
    level: int
    reasons: tuple[str, ...] = ()
    comment: str = dc.field(default="", repr=False)


class RecordConsent(Signal):
    """The citizen's consent to assisted handling, into the audit log."""


class CaptureFace(Signal):
    """The live capture with its liveness check (人证核验), from the camera."""


class VerifyFace(Signal):
    """Compare the capture with the photo on record (the platform's, or the chip's) and,
    on a match, put the 资格认证 on record."""


class CertifyByAgent(Signal):
    """The signed-in agent checked the card and the person: the 资格认证 on record."""


class PrintCertification(Signal):
    """The result slip: 认证成功, valid until the platform's date."""


Effect = (
    SubmitApplication
    | CreatePayment
    | CheckPayment
    | FetchCertificate
    | PrintCertificate
    | PrintGuide
    | LoadSlots
    | BookSlot
    | FindAppointments
    | ScanQr
    | FindByNumber
    | FindByIdentity
    | LoadCase
    | LoadAppointment
    | CancelAppointment
    | CheckOwner
    | FileComplaint
    | SendRating
    | RecordConsent
    | CaptureFace
    | VerifyFace
    | CertifyByAgent
    | PrintCertification
)
