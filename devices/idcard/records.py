"""The typed result of reading a card, and the GB 11643 citizen-ID rules it is checked by.

The record holds a citizen's personal data. Its ``repr`` shows only the card type and a
masked number, so a stray log line or traceback cannot leak a name, number or address;
the photo and fingerprint bytes never appear in it at all.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import enum
import re
from typing import Any

from devices.idcard.nations import CodeLabel


class CardType(enum.StrEnum):
    RESIDENT = "resident"  # 居民身份证
    FOREIGN_PERMANENT = "foreign_permanent"  # 外国人永久居留身份证 (2017, flag "I")
    HMT_PERMIT = "hmt_permit"  # 港澳台居民居住证 (flag "J")


# GB 11643-1999 §7: weights W_i = 2^(17-i) mod 11 and the MOD 11-2 check characters.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_CITIZEN_ID = re.compile(r"\d{17}[\dX]")


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a citizen ID number."""
    if not re.fullmatch(r"\d{17}", first17):
        raise ValueError("need exactly 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def is_valid_citizen_id(number: str) -> bool:
    """18 characters, check digit right, embedded birth date a real date."""
    n = number.upper()
    if not _CITIZEN_ID.fullmatch(n) or check_digit(n[:17]) != n[17]:
        return False
    try:
        dt.datetime.strptime(n[6:14], "%Y%m%d")
    except ValueError:
        return False
    return True


def with_check_digit(first17: str) -> str:
    """Complete a 17-digit prefix into a valid number (for fixtures and tests)."""
    return first17 + check_digit(first17)


@dc.dataclass(frozen=True, repr=False)
class IdCardRecord:
    """One card as read: every field decoded, checked and typed.

    ``name`` is the Chinese name (for a foreigner without one, the English name);
    ``nation`` is None where the card has none (foreigners, HMT permits);
    ``valid_until`` None means 长期 (long-term); ``extra`` holds per-type fields:
    ``english_name``, ``nationality``, ``card_version`` (foreigner), ``pass_number``,
    ``issue_count`` (HMT permit).
    """

    card_type: CardType
    name: str
    sex: CodeLabel
    nation: CodeLabel | None
    birth: dt.date
    address: str
    id_number: str
    authority: str
    valid_from: dt.date
    valid_until: dt.date | None
    photo_wlt: bytes = b""
    fingerprint: bytes | None = None
    extra: dict[str, str] = dc.field(default_factory=dict, hash=False)

    @property
    def long_term(self) -> bool:
        return self.valid_until is None

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def age_on(self, day: dt.date) -> int:
        before_birthday = (day.month, day.day) < (self.birth.month, self.birth.day)
        return day.year - self.birth.year - int(before_birthday)

    def __repr__(self) -> str:
        # Nothing personal, not even masked: the masking rules live in kiosk.masking alone
        # (devices must not import kiosk), and a repr has no need of them.
        return f"IdCardRecord(card_type={str(self.card_type)!r})"

    def replace(self, **changes: Any) -> IdCardRecord:
        return dc.replace(self, **changes)
