"""Intents of the handling modes and services beyond 承诺办 (those are in base.py):
what the citizen says, and what an effect reports back."""

from __future__ import annotations

import dataclasses as dc
from typing import Any

from kiosk.flows.signal import Signal

# ---- the citizen ---------------------------------------------------------------------


class Retry(Signal):
    """Try the step that failed again."""


@dc.dataclass(frozen=True)
class Choose:
    """A choice by value: a complaint category, a slot, a case from a list."""

    value: str


class Confirm(Signal):
    """Yes to what the screen asks (a slot, a cancellation)."""


class PrintRequested(Signal):
    """Print (again) what the screen shows."""


@dc.dataclass(frozen=True)
class TextEntered:
    text: str = dc.field(repr=False)


@dc.dataclass(frozen=True)
class PhoneEntered:
    phone: str = dc.field(repr=False)  # "" = no contact given


@dc.dataclass(frozen=True)
class WriteComment:
    """A bad rating's "say more": the level chosen so far comes along."""

    level: int


class StartScan(Signal):
    """Look for a QR code with the camera."""


@dc.dataclass(frozen=True)
class NumberEntered:
    number: str


class UseIdCard(Signal):
    """Find the person's cases by their ID card."""


class CancelRequested(Signal):
    """Cancel the appointment shown."""


@dc.dataclass(frozen=True)
class ConsentGiven:
    """``method``: "screen" (the citizen confirms here) or "paper" (a signed
    authorisation is captured). ``relationship`` is set when the person present acts
    for another household member (e.g. "child", "spouse")."""

    method: str
    relationship: str = ""


# ---- effects reporting back ----------------------------------------------------------


@dc.dataclass(frozen=True)
class Failed:
    """An effect failed; ``key`` is the message for the citizen, ``retry`` whether
    trying again can help (the platform was unreachable, not a refusal)."""

    key: str
    retry: bool = False
    code: str = ""  # the platform's problem code, when it refused


@dc.dataclass(frozen=True)
class PaymentUpdate:
    payment: Any  # kiosk.upstream.case_models.Payment


@dc.dataclass(frozen=True)
class CertificateReady:
    case_no: str
    certificate: Any  # kiosk.upstream.case_models.Certificate


@dc.dataclass(frozen=True)
class Printed:
    ok: bool
    key: str | None = None  # why not, when it did not print


@dc.dataclass(frozen=True)
class SlotsLoaded:
    slots: tuple[Any, ...]  # kiosk.upstream.service_models.Slot


@dc.dataclass(frozen=True)
class Booked:
    appointment: Any  # kiosk.upstream.service_models.Appointment
    printed: bool
    key: str | None = None


@dc.dataclass(frozen=True)
class AppointmentsFound:
    appointments: tuple[Any, ...]  # kiosk.upstream.service_models.Appointment


@dc.dataclass(frozen=True)
class Scanned:
    code: Any  # kiosk.receipts.qrcodes.ScannedCode


@dc.dataclass(frozen=True)
class Found:
    cases: tuple[Any, ...]  # kiosk.tracking.CaseView


@dc.dataclass(frozen=True)
class AppointmentLoaded:
    appointment: Any


@dc.dataclass(frozen=True)
class OwnerChecked:
    """True: the applicant; False: someone else; None: unknown (platform down)."""

    owner: bool | None


@dc.dataclass(frozen=True)
class Filed:
    reference: str  # the local reference, on paper at once
    remote_id: str | None  # the platform's id when it answered at once
    printed: bool
    key: str | None = None
