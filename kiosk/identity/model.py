"""Who the citizen is, as the kiosk holds it for one session.

Built from whichever device proved it (ID card reader, PC/SC card, QR e-ID). A
social-security card proves identity only with its personal data (EF06: the
social-security number is the citizen ID number); a bank card never does. Its repr
masks everything, so an accidental log line or traceback cannot carry personal data.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from typing import Any

from devices.idcard.records import is_valid_citizen_id
from kiosk.errors import IdentityRejected, NotAnIdentityCard, PersonalDataLocked
from kiosk.masking import mask_id_number, mask_name


@dc.dataclass(frozen=True, repr=False)
class Identity:
    source: str  # "idcard" | "smartcard" | "qr" | "typed"
    id_type: str  # "resident" | "foreign_permanent" | "hmt_permit"
    id_number: str
    name: str
    sex: str = ""
    birth: dt.date | None = None
    address: str = ""
    valid_until: dt.date | None = None
    # The chip photo, WLT-compressed as read (ID card only): biometric data, kept only
    # in this session and shown only after the citizen's separate consent.
    photo_wlt: bytes = dc.field(default=b"", compare=False)

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    def age_on(self, day: dt.date) -> int | None:
        if self.birth is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth.month, self.birth.day)
        return day.year - self.birth.year - int(before_birthday)

    def __repr__(self) -> str:
        return f"Identity(source={self.source!r}, id={self.masked_id!r})"


def identity_from_idcard(record: Any) -> Identity:
    """From a ``devices.idcard`` record (duck-typed: devices must stay independent)."""
    sex = getattr(record, "sex", "")
    return Identity(
        source="idcard",
        id_type=str(getattr(record, "card_type", "resident")),
        id_number=record.id_number,
        name=record.name,
        sex=str(getattr(sex, "label", sex)),
        birth=getattr(record, "birth", None),
        address=getattr(record, "address", ""),
        valid_until=getattr(record, "valid_until", None),
        photo_wlt=bytes(getattr(record, "photo_wlt", b"")),
    )


def identity_from_smartcard(record: Any) -> Identity:
    """From a ``devices.smartcard`` record (duck-typed, as above).

    A social-security card whose EF06 was read gives the holder's identity, valid until
    the card expires. :class:`PersonalDataLocked` if the card kept EF06 shut (it needs
    the citizen's PIN or a PSAM); :class:`NotAnIdentityCard` for a bank card, which is
    for payment data only.
    """
    kind = str(getattr(record, "kind", ""))
    if kind != "social_security":
        raise NotAnIdentityCard(f"a {kind or 'unknown'} card cannot identify a citizen")
    person = getattr(record, "personal", None)
    if person is None:
        raise PersonalDataLocked("the card's personal data needs a PIN or a PSAM")
    sex = getattr(person, "sex", "")
    return Identity(
        source="smartcard",
        id_type="resident",
        id_number=person.id_number,
        name=person.name,
        sex=str(getattr(sex, "label", sex)),
        birth=getattr(person, "birth", None),
        valid_until=getattr(record, "expires", None),
    )


def identity_from_record(record: Any) -> Identity:
    """From a record of either device: PC/SC records carry ``kind``, ID cards do not."""
    if hasattr(record, "kind"):
        return identity_from_smartcard(record)
    return identity_from_idcard(record)


class TypedNumberRejected(IdentityRejected):
    """A typed ID number that is not valid (GB 11643), or whose confirmation differs."""

    key = "error.identity.typed_invalid"


def identity_from_typed(number: str, confirmation: str, name: str = "") -> Identity:
    """From an ID number typed twice (the confirmation step), where policy allows it.

    Typing proves nothing about who stands at the kiosk: only matters whose policy
    accepts an unverified number may call this; the caller decides. The number must be
    a valid 18-character citizen ID (check digit, real birth date) typed the same twice.
    """

    typed, again = number.strip().upper(), confirmation.strip().upper()
    if typed != again:
        raise TypedNumberRejected("the two typed numbers differ")
    if not is_valid_citizen_id(typed):
        raise TypedNumberRejected("not a valid citizen ID number (GB 11643)")
    birth = dt.date(int(typed[6:10]), int(typed[10:12]), int(typed[12:14]))
    sex = "男" if int(typed[16]) % 2 else "女"
    return Identity(
        source="typed", id_type="resident", id_number=typed, name=name, sex=sex, birth=birth
    )
