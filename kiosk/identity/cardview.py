"""Masked views of card records: what a technician may see of a test read.

Enough to tell that a read worked and which card it was, nothing that identifies the
citizen: names, ID numbers, card numbers, PANs and addresses go through
:mod:`kiosk.masking`; of a birth date only the year remains. Records are duck-typed
(``devices.idcard`` and ``devices.smartcard`` records), so this module needs neither.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.masking import (
    mask_address,
    mask_card_id,
    mask_card_number,
    mask_id_number,
    mask_name,
    mask_pan,
    mask_place,
)


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _label(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "label", value))


def _year(value: dt.date | None) -> int | None:
    return value.year if value is not None else None


def idcard_view(record: Any) -> dict[str, Any]:
    """An ID card (resident, foreign permanent resident, HK/Macau/Taiwan permit)."""
    extra = dict(record.extra)
    for key in ("english_name",):
        if key in extra:
            extra[key] = mask_name(extra[key])
    for key in ("pass_number",):
        if key in extra:
            extra[key] = mask_card_number(extra[key])
    return {
        "device": "idcard",
        "card_type": str(record.card_type),
        "name": mask_name(record.name),
        "sex": _label(record.sex),
        "nation": _label(record.nation),
        "birth_year": _year(record.birth),
        "address": mask_address(record.address) if record.address else "",
        "id_number": mask_id_number(record.id_number),
        "authority": record.authority,
        "valid_from": _day(record.valid_from),
        "valid_until": _day(record.valid_until),
        "long_term": record.valid_until is None,
        "photo_bytes": len(record.photo_wlt),
        "fingerprint": record.fingerprint is not None,
        "extra": extra,
    }


def smartcard_view(record: Any, reader: str = "") -> dict[str, Any]:
    """A social-security card or a bank card read over PC/SC."""
    if str(record.kind) == "bank":
        return _bank_view(record, reader)
    person = record.personal
    return {
        "device": "smartcard",
        "reader": reader,
        "card": "social_security",
        "card_number": mask_card_number(record.card_number),
        "card_id": mask_card_id(record.card_id),
        "region": record.region,
        "card_type": record.card_type,
        "version": record.version,
        "issued": _day(record.issued),
        "expires": _day(record.expires),
        "personal_access": str(record.personal_access),
        "personal": None if person is None else _person_view(person),
    }


def _person_view(person: Any) -> dict[str, Any]:
    return {
        "id_number": mask_id_number(person.id_number),
        "name": mask_name(person.name),
        "sex": _label(person.sex),
        "nation": _label(person.nation),
        "birthplace": mask_place(person.birthplace),
        "birth_year": _year(person.birth),
    }


def _bank_view(record: Any, reader: str) -> dict[str, Any]:
    name = record.cardholder_name
    return {
        "device": "smartcard",
        "reader": reader,
        "card": "bank",
        "aid": record.aid,
        "label": record.label,
        "pan": mask_pan(record.pan),
        "expiry": record.expiry.strftime("%Y-%m"),
        "effective": record.effective.strftime("%Y-%m") if record.effective else None,
        "pan_sequence": record.pan_sequence,
        "cardholder_name": mask_name(name) if name else None,
    }
