"""How a staff card is recognised: by the chip's card identifier, bound to one account.

A staff card is a social-security card (社会保障卡) issued to the staff member, or a
work card carrying the same SSSE application. The kiosk reads only EF05, the card-level
file every reader may read (its 卡识别码, 32 hex digits), never the holder's personal
data (EF06). The identifier is bound to one staff account (``StaffStore.add(...,
card_id=...)``) and the card still needs its holder's PIN: a lost card alone signs
nobody in. A bank card or a card with no SSSE application is not a staff card.
"""

from __future__ import annotations

from typing import Any

from kiosk.staff.accounts import StaffError


class NotAStaffCard(StaffError):
    key = "staff.error.not_staff_card"


def staff_card_id(record: Any) -> str:
    """The identifier a staff account is bound to, from a PC/SC card record."""
    card_id = (
        getattr(record, "card_id", None)
        if str(getattr(record, "kind", "")) == ("social_security")
        else None
    )
    if not isinstance(card_id, str) or not card_id:
        raise NotAStaffCard("not a card with an SSSE card identifier")
    return card_id
