"""Who is signed in for 帮办代办 at this kiosk, and the consent of the citizen served.

The desk outlives citizen sessions (an agent serves one villager after another) but not
the agent's absence: ``idle_s`` without activity signs the agent out. Each sign-in,
failed sign-in and sign-out is audited. A staff card (devices/smartcard, when wired in)
signs in through :meth:`StaffDesk.sign_in_card` with the same PIN.
"""

from __future__ import annotations

import dataclasses as dc
import logging
import time
from collections.abc import Callable

from devices.idcard import decode_photo
from kiosk.masking import mask_id_number, mask_name
from kiosk.staff.accounts import StaffError, StaffMember, StaffStore
from kiosk.staff.audit import AuditLog

log = logging.getLogger(__name__)

CONSENT_METHODS = ("screen", "paper")


@dc.dataclass(frozen=True)
class Consent:
    """The citizen's consent to assisted handling. ``relationship`` is set when the
    person present acts for another household member (then ``method`` is paper: the
    member is not there to confirm on screen)."""

    method: str  # screen | paper
    at: float
    relationship: str = ""

    def __post_init__(self) -> None:
        if self.method not in CONSENT_METHODS:
            raise ValueError(f"consent method must be one of {CONSENT_METHODS}")
        if self.relationship and self.method != "paper":
            raise ValueError("acting for a household member needs a signed paper authorisation")


@dc.dataclass(frozen=True)
class AssistContext:
    """Held by the citizen's session (wiped with it): who serves, on what consent."""

    staff: StaffMember
    consent: Consent
    biometric: bool = False  # the citizen agreed (separately) to their chip photo being shown


def chip_photo(identity: object, decoder: str) -> bytes | None:
    """The citizen's ID card photo as BMP bytes, for the agent's eyes once the citizen has
    agreed; None when there is none (not read from an ID card) or no licensed decoder
    library is configured (``devices.idcard_photo_decoder``). Never stored or logged."""
    wlt = getattr(identity, "photo_wlt", b"")
    if not wlt or not decoder:
        return None

    return decode_photo(wlt, decoder)


def masked_subject(identity: object, relationship: str = "") -> str:
    """The citizen as the audit log may show them."""
    if identity is None:
        return ""
    text = f"{mask_name(identity.name)} {mask_id_number(identity.id_number)}"  # type: ignore[attr-defined]
    return f"{text} ({relationship})" if relationship else text


class StaffDesk:
    def __init__(
        self,
        store: StaffStore,
        audit: AuditLog,
        station_id: str,
        *,
        idle_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store, self.audit, self.station_id = store, audit, station_id
        self.idle_s, self._clock = idle_s, clock
        self._member: StaffMember | None = None
        self._last = 0.0

    @property
    def current(self) -> StaffMember | None:
        """The signed-in agent, or None (after ``idle_s`` of inactivity: signed out)."""
        if self._member is not None and self._clock() - self._last > self.idle_s:
            self.sign_out(reason="idle")
        return self._member

    def touch(self) -> None:
        if self._member is not None:
            self._last = self._clock()

    def sign_in_pin(self, staff_no: str, pin: str) -> StaffMember:
        return self._sign_in(
            staff_no, lambda: self.store.verify_pin(staff_no, pin, self.station_id)
        )

    def sign_in_card(self, card_id: str, pin: str) -> StaffMember:
        return self._sign_in("card", lambda: self.store.verify_card(card_id, pin, self.station_id))

    def _sign_in(self, who: str, verify: Callable[[], StaffMember]) -> StaffMember:
        try:
            member = verify()
        except StaffError as exc:
            self.audit.record(who, "sign_in", outcome="refused", detail=exc.key)
            log.warning("staff sign-in refused: %s", exc.key)
            raise
        if self._member is not None and self._member.staff_no != member.staff_no:
            self.sign_out(reason="replaced")
        self._member, self._last = member, self._clock()
        self.audit.record(member.staff_no, "sign_in")
        log.info("staff %s signed in", member.staff_no)
        return member

    def sign_out(self, reason: str = "") -> None:
        if self._member is None:
            return
        self.audit.record(self._member.staff_no, "sign_out", detail=reason)
        log.info("staff %s signed out (%s)", self._member.staff_no, reason or "asked")
        self._member = None
