"""Reading a social-security card: SELECT the SSSE application, EF05, then EF06 if allowed.

What needs what (research §3.1; confirm with the provincial 人社 department):

* EF05, the card-level data (card number, region, version, dates), is readable by any
  terminal once SSSE is selected.
* EF06, the personal data (social-security number = citizen ID number, name, sex, nation,
  birthplace, birth date), is card- and region-dependent. Some cards allow it freely (the
  Xinjiang sample reads it with no authentication); most need either
  - the citizen's **PIN**: ``VERIFY 00 20 00 00 Lc <PIN in BCD>`` (:class:`PinUnlock`), or
  - a **PSAM** (the 人社 security module in the kiosk's SAM slot) proving the terminal:
    ``GET CHALLENGE`` from the card, the PSAM turns it into a cryptogram with its
    diversified keys, ``EXTERNAL AUTHENTICATE`` gives it to the card
    (:class:`PsamUnlock` around any object with the :class:`Psam` interface; the key
    derivation is provincial and lives in the PSAM, not here).
* Without either, the record is returned with ``personal=None`` and
  ``personal_access=LOCKED``: the card is recognised but cannot identify the citizen.
"""

from __future__ import annotations

import logging
from typing import Protocol

from devices.smartcard.apdu import (
    external_authenticate,
    get_challenge,
    read_record,
    read_record_by_id,
    select_by_fid,
    select_by_name,
    verify_pin,
)
from devices.smartcard.bcd import encode_digits
from devices.smartcard.channel import CardChannel
from devices.smartcard.errors import AccessDenied
from devices.smartcard.records import PersonalAccess, SocialSecurityRecord, SscPersonal
from devices.smartcard.sscfiles import (
    EF05,
    EF05_SFI,
    EF06,
    EF06_FID,
    SSSE_DF_NAME,
    decode_ef05,
    decode_ef06,
    record_value,
    with_personal,
)

log = logging.getLogger(__name__)


class Unlock(Protocol):
    """A way to open EF06: :class:`PinUnlock` or :class:`PsamUnlock`."""

    access: PersonalAccess

    def open(self, channel: CardChannel, card_id: str) -> None: ...


class Psam(Protocol):
    """The kiosk's PSAM: turns the card's challenge into the external-auth cryptogram."""

    key_ref: int

    def authenticate(self, card_id: str, challenge: bytes) -> bytes: ...


class PinUnlock:
    """Open EF06 with the citizen's PIN (typed on the kiosk's own PIN pad)."""

    access = PersonalAccess.PIN

    def __init__(self, pin: str) -> None:
        if not (pin.isdigit() and 4 <= len(pin) <= 12):
            raise ValueError("a PIN is 4 to 12 digits")
        self._block = encode_digits(pin)

    def open(self, channel: CardChannel, card_id: str) -> None:
        channel.check(verify_pin(self._block), "VERIFY PIN")

    def __repr__(self) -> str:
        return "PinUnlock(…)"


class PsamUnlock:
    """Open EF06 by external authentication with a PSAM."""

    access = PersonalAccess.PSAM

    def __init__(self, psam: Psam) -> None:
        self.psam = psam

    def open(self, channel: CardChannel, card_id: str) -> None:
        challenge = channel.check(get_challenge(8), "GET CHALLENGE")
        cryptogram = self.psam.authenticate(card_id, challenge)
        channel.check(external_authenticate(self.psam.key_ref, cryptogram), "EXTERNAL AUTH")


def select_ssse(channel: CardChannel) -> bytes:
    """SELECT SSSE by DF name; FileNotFound (6A82) when the card has no such application."""
    return channel.check(select_by_name(SSSE_DF_NAME), "SELECT SSSE")


def read_social_security(
    channel: CardChannel, *, unlock: Unlock | None = None, selected: bool = False
) -> SocialSecurityRecord:
    """The whole read; ``selected`` when :func:`select_ssse` has just succeeded."""
    if not selected:
        select_ssse(channel)
    values = {
        spec.field: record_value(
            spec, channel.check(read_record(spec.tag, sfi=EF05_SFI, le=spec.size + 2), spec.field)
        )
        for spec in EF05
    }
    card = decode_ef05(values)
    person, access = _read_personal(channel, card.card_id, unlock)
    log.info("smartcard: social-security card read, personal data %s", access)
    return with_personal(card, person, access)


def _read_personal(
    channel: CardChannel, card_id: str, unlock: Unlock | None
) -> tuple[SscPersonal | None, PersonalAccess]:
    channel.check(select_by_fid(EF06_FID), "SELECT EF06")
    try:
        return _read_ef06(channel), PersonalAccess.OPEN
    except AccessDenied:
        if unlock is None:
            return None, PersonalAccess.LOCKED
    unlock.open(channel, card_id)
    channel.check(select_by_fid(EF06_FID), "SELECT EF06")
    return _read_ef06(channel), unlock.access


def _read_ef06(channel: CardChannel) -> SscPersonal:
    values = {
        spec.field: record_value(
            spec, channel.check(read_record_by_id(spec.tag, le=spec.size + 2), spec.field)
        )
        for spec in EF06
    }
    return decode_ef06(values)
