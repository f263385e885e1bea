"""Who the citizen is, as the kiosk holds it for one session.

Built from whichever device proved it (ID card reader, PC/SC card, QR e-ID). Its repr
masks everything, so an accidental log line or traceback cannot carry personal data.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
from typing import Any

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
    )
