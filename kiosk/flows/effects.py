"""Work a flow asks for when it reaches a step: plain data, run by the app.

A flow returns ``Next(step, effect=...)``; the app runs the effect off the UI thread
through :class:`kiosk.effects.Effects`, which performs it against the real kiosk, and
hands its outcome back to the flow as an intent (kiosk/flows/intents.py). Flows stay
pure and their tests check which effect they ask.
"""

from __future__ import annotations

import dataclasses as dc


@dc.dataclass(frozen=True)
class SubmitApplication:
    """Save → print the receipt → send (promised, deferred, correction)."""


@dc.dataclass(frozen=True)
class CreatePayment:
    """Ask the platform for a payment order for the matter's fee."""


@dc.dataclass(frozen=True)
class CheckPayment:
    payment_id: str


@dc.dataclass(frozen=True)
class FetchCertificate:
    """Submit the 即时办 application live and fetch its certificate."""


@dc.dataclass(frozen=True)
class PrintCertificate:
    pass


@dc.dataclass(frozen=True)
class PrintGuide:
    """The full 办事指南 on paper, with the mobile channel's QR code."""


@dc.dataclass(frozen=True)
class LoadSlots:
    pass


@dc.dataclass(frozen=True)
class BookSlot:
    slot_id: str


@dc.dataclass(frozen=True)
class FindAppointments:
    """The bookings of the person in the session still ahead (to cancel one)."""


@dc.dataclass(frozen=True)
class ScanQr:
    """Watch the QR camera until a code is read (or the time is up). ``ignore``: a code
    just refused, still held up, is not read again."""

    ignore: str = dc.field(default="", repr=False)


@dc.dataclass(frozen=True)
class FindByNumber:
    number: str  # a case number, a provisional number, or an appointment number


@dc.dataclass(frozen=True)
class FindByIdentity:
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


@dc.dataclass(frozen=True)
class FileComplaint:
    pass


@dc.dataclass(frozen=True)
class SendRating:
    level: int
    reasons: tuple[str, ...] = ()
    comment: str = dc.field(default="", repr=False)


@dc.dataclass(frozen=True)
class RecordConsent:
    """The citizen's consent to assisted handling, into the audit log."""


@dc.dataclass(frozen=True)
class CaptureFace:
    """The live capture with its liveness check (人证核验), from the camera."""


@dc.dataclass(frozen=True)
class VerifyFace:
    """Compare the capture with the photo on record (the platform's, or the chip's) and,
    on a match, put the 资格认证 on record."""


@dc.dataclass(frozen=True)
class CertifyByAgent:
    """The signed-in agent checked the card and the person: the 资格认证 on record."""


@dc.dataclass(frozen=True)
class PrintCertification:
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
