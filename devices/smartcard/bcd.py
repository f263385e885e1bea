"""Packed BCD as the cards use it: dates ``YYYYMMDD``/``YYMMDD``, PANs padded with ``F``.

Pure; every failure is an :class:`InvalidCardData` naming the field, never its value.
"""

from __future__ import annotations

import calendar
import datetime as dt

from devices.smartcard.errors import InvalidCardData


def digits(value: bytes, field: str, *, pad_f: bool = False) -> str:
    """The decimal digits of packed BCD; trailing ``F`` nibbles dropped when ``pad_f``."""
    text = value.hex().upper()
    if pad_f:
        text = text.rstrip("F")
    if not text.isdigit():
        raise InvalidCardData(f"{field}: not BCD digits")
    return text


def encode_digits(text: str, size: int | None = None, *, pad: str = "F") -> bytes:
    """``"6200…"`` → packed BCD, an odd digit count padded with ``F``, then to ``size``."""
    if not text.isdigit():
        raise ValueError("BCD encodes digits only")
    if len(text) % 2:
        text += pad
    raw = bytes.fromhex(text)
    if size is not None:
        raw = raw.ljust(size, bytes.fromhex(pad * 2))
    return raw


def date(value: bytes, field: str) -> dt.date:
    """``YYYYMMDD`` in 4 BCD bytes, or ``YYMMDD`` in 3 (20YY, as EMV dates are)."""
    text = digits(value, field)
    if len(text) == 6:
        text = "20" + text
    if len(text) != 8:
        raise InvalidCardData(f"{field}: a date needs 3 or 4 bytes, got {len(value)}")
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError as exc:
        raise InvalidCardData(f"{field}: not a calendar date") from exc


def month_end(year: int, month: int) -> dt.date:
    """The last day of a card's expiry month (cards expire at the end of YYMM)."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def encode_date(day: dt.date, size: int = 4) -> bytes:
    text = day.strftime("%Y%m%d")
    return bytes.fromhex(text if size == 4 else text[2:])
