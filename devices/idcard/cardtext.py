"""The 256-byte text block (UCS-2LE, space padded): decode into a record, encode back.

Three layouts share the block, told apart by the card-type flag at byte 248:

* ``" "`` resident ID card — research §2.5;
* ``"I"`` 2017 foreigner permanent-residence card — vendor table (research §2.6);
* ``"J"`` HK/Macau/Taiwan residence permit — the resident layout with nation reserved,
  pass number at 220 and issue count at 238 (two independent public SDK sources).

Anything else (including ``"Y"``, the 2023 foreigner card whose layout is not yet
confirmed) is refused with :class:`UnsupportedCard`. Fields are stripped of trailing
padding only. Error messages name the field, never its value.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import re

from devices.idcard.errors import InvalidCardData, UnsupportedCard
from devices.idcard.nations import CodeLabel, nation, sex
from devices.idcard.protocol import TEXT_SIZE
from devices.idcard.records import CardType, IdCardRecord, is_valid_citizen_id


@dc.dataclass(frozen=True)
class Field:
    offset: int
    size: int  # bytes; two per character


TYPE_FLAG = Field(248, 2)
LONG_TERM = "长期"

RESIDENT = {
    "name": Field(0, 30),
    "sex": Field(30, 2),
    "nation": Field(32, 4),
    "birth": Field(36, 16),
    "address": Field(52, 70),
    "id_number": Field(122, 36),
    "authority": Field(158, 30),
    "valid_from": Field(188, 16),
    "valid_until": Field(204, 16),
}
HMT_PERMIT = {k: v for k, v in RESIDENT.items() if k != "nation"} | {
    "pass_number": Field(220, 18),
    "issue_count": Field(238, 4),
}
FOREIGN_PERMANENT = {
    "english_name": Field(0, 120),
    "sex": Field(120, 2),
    "id_number": Field(122, 30),
    "nationality": Field(152, 6),
    "name": Field(158, 30),
    "valid_from": Field(188, 16),
    "valid_until": Field(204, 16),
    "birth": Field(220, 16),
    "card_version": Field(236, 4),
    "authority": Field(240, 8),
}
LAYOUTS = {
    CardType.RESIDENT: RESIDENT,
    CardType.HMT_PERMIT: HMT_PERMIT,
    CardType.FOREIGN_PERMANENT: FOREIGN_PERMANENT,
}
_FLAGS = {" ": CardType.RESIDENT, "\x00": CardType.RESIDENT}
_FLAGS |= {"I": CardType.FOREIGN_PERMANENT, "J": CardType.HMT_PERMIT}
_REFUSED = {"Y": "2023 foreigner permanent-residence card: its layout is not confirmed yet"}
_PERMANENT_NUMBER = re.compile(r"[A-Z0-9]{15}")


def card_type_of(text: bytes) -> CardType:
    """The layout to use, or :class:`UnsupportedCard` naming the flag it does not know."""
    if len(text) != TEXT_SIZE:
        raise InvalidCardData(f"text block is {len(text)} bytes, expected {TEXT_SIZE}")
    raw = text[TYPE_FLAG.offset : TYPE_FLAG.offset + TYPE_FLAG.size]
    flag = raw.decode("utf-16-le", errors="replace")
    if flag in _FLAGS:
        return _FLAGS[flag]
    reason = _REFUSED.get(flag, "unknown card-type flag")
    raise UnsupportedCard(f"{reason} (flag 0x{int.from_bytes(raw, 'little'):04X})")


def decode_text(text: bytes, photo: bytes = b"", fingerprint: bytes | None = None) -> IdCardRecord:
    """Decode and check a text block; raise UnsupportedCard or InvalidCardData if wrong.

    ``photo`` and ``fingerprint`` come from the chip's other blocks and are kept as given.
    """
    kind = card_type_of(text)
    f = {name: _read(text, field, name) for name, field in LAYOUTS[kind].items()}
    foreign = kind is CardType.FOREIGN_PERMANENT
    record = _decode_foreign(f) if foreign else _decode_resident(f, kind)
    return record.replace(photo_wlt=photo, fingerprint=fingerprint)


def _decode_resident(f: dict[str, str], kind: CardType) -> IdCardRecord:
    """A resident ID card or an HMT permit: the same layout but for nation and the pass."""
    birth = _date(f["birth"], "birth")
    number = _citizen_id(f["id_number"], birth)
    extra: dict[str, str] = {}
    if kind is CardType.HMT_PERMIT:
        if number[:2] not in ("81", "82", "83"):
            raise InvalidCardData("HMT permit number does not start with 81/82/83")
        extra = {"pass_number": f["pass_number"], "issue_count": f["issue_count"]}
    valid_from, valid_until = _validity(f, long_term_ok=kind is CardType.RESIDENT)
    return IdCardRecord(
        card_type=kind,
        name=_required(f["name"], "name"),
        sex=_sex(f["sex"]),
        nation=_nation(f["nation"]) if kind is CardType.RESIDENT else None,
        birth=birth,
        address=f["address"],
        id_number=number,
        authority=f["authority"],
        valid_from=valid_from,
        valid_until=valid_until,
        extra=extra,
    )


def _decode_foreign(f: dict[str, str]) -> IdCardRecord:
    english = _required(f["english_name"], "english_name")
    number = f["id_number"].upper()
    if not _PERMANENT_NUMBER.fullmatch(number):
        raise InvalidCardData("permanent-residence number is not 15 letters/digits")
    if not re.fullmatch(r"[A-Z]{3}", f["nationality"]):
        raise InvalidCardData("nationality is not a GB/T 2659 three-letter code")
    valid_from, valid_until = _validity(f, long_term_ok=False)
    return IdCardRecord(
        card_type=CardType.FOREIGN_PERMANENT,
        name=f["name"] or english,
        sex=_sex(f["sex"]),
        nation=None,
        birth=_date(f["birth"], "birth"),
        address="",
        id_number=number,
        authority=f["authority"],
        valid_from=valid_from,
        valid_until=valid_until,
        extra={
            "english_name": english,
            "nationality": f["nationality"],
            "card_version": f["card_version"],
        },
    )


def encode_text(record: IdCardRecord) -> bytes:
    """The text block a card with this record would carry (ValueError if a field is too long)."""
    buf = bytearray(" ".encode("utf-16-le") * (TEXT_SIZE // 2))
    values = _field_values(record)
    for name, field in LAYOUTS[record.card_type].items():
        _put(buf, field, values[name], name)
    flag = {CardType.FOREIGN_PERMANENT: "I", CardType.HMT_PERMIT: "J"}.get(record.card_type, " ")
    _put(buf, TYPE_FLAG, flag, "card type")
    return bytes(buf)


def _field_values(r: IdCardRecord) -> dict[str, str]:
    values = {
        "name": r.name,
        "sex": r.sex.code,
        "nation": r.nation.code if r.nation else "",
        "birth": _yyyymmdd(r.birth),
        "address": r.address,
        "id_number": r.id_number,
        "authority": r.authority,
        "valid_from": _yyyymmdd(r.valid_from),
        "valid_until": LONG_TERM if r.valid_until is None else _yyyymmdd(r.valid_until),
    }
    values |= {k: r.extra.get(k, "") for k in ("pass_number", "issue_count", "nationality")}
    values |= {k: r.extra.get(k, "") for k in ("english_name", "card_version")}
    if r.card_type is CardType.FOREIGN_PERMANENT and r.name == values["english_name"]:
        values["name"] = ""  # no Chinese name on the card
    return values


def _yyyymmdd(d: dt.date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def _put(buf: bytearray, field: Field, value: str, name: str) -> None:
    raw = value.encode("utf-16-le")
    if len(raw) > field.size:
        raise ValueError(f"{name} is longer than {field.size // 2} characters")
    buf[field.offset : field.offset + len(raw)] = raw


def _read(text: bytes, field: Field, name: str) -> str:
    raw = text[field.offset : field.offset + field.size]
    try:
        return raw.decode("utf-16-le").rstrip(" \x00")
    except UnicodeDecodeError as exc:
        raise InvalidCardData(f"field {name} is not valid UCS-2 text") from exc


def _required(value: str, name: str) -> str:
    if not value.strip():
        raise InvalidCardData(f"field {name} is empty")
    return value


def _date(value: str, name: str) -> dt.date:
    if not re.fullmatch(r"\d{8}", value):
        raise InvalidCardData(f"field {name} is not a YYYYMMDD date")
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError as exc:
        raise InvalidCardData(f"field {name} is not a real date") from exc


def _validity(f: dict[str, str], *, long_term_ok: bool) -> tuple[dt.date, dt.date | None]:
    start = _date(f["valid_from"], "valid_from")
    if f["valid_until"] == LONG_TERM and long_term_ok:
        return start, None
    until = _date(f["valid_until"], "valid_until")
    if until < start:
        raise InvalidCardData("validity ends before it starts")
    return start, until


def _citizen_id(value: str, birth: dt.date) -> str:
    number = value.upper()
    if not is_valid_citizen_id(number):
        raise InvalidCardData("citizen ID number fails the GB 11643 check")
    if number[6:14] != _yyyymmdd(birth):
        raise InvalidCardData("birth date disagrees with the citizen ID number")
    return number


def _sex(code: str) -> CodeLabel:
    try:
        return sex(code)
    except KeyError as exc:
        raise InvalidCardData("sex code is not in GB/T 2261.1") from exc


def _nation(code: str) -> CodeLabel:
    try:
        return nation(code)
    except KeyError as exc:
        raise InvalidCardData("nation code is not in GB 3304") from exc
