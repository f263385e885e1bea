"""The social-security card's (社会保障卡) SSSE files EF05 and EF06: layout and codec. Pure.

No official MOHRSS specification text was available; the layout comes from several
public reader programs that agree (research §3.1): the Xinjiang ``HD_XJDLL`` sample
(a7082633/HDOS_VC6) and ``SIDCardOperation`` (yxsylyh/hiquotion_cpp).

Each record is a small TLV: one tag byte equal to the record's identifier, one length
byte, the value.

EF05, card-level data, SFI 5 (``00 B2 rec 2C Le``):

==  ================================  ====  ======================================
01  card identification code 卡识别码   16    binary; first 3 bytes BCD region code
02  card type 卡类别                     1     one character
03  specification version 规范版本       4     ASCII, ``2.00`` / ``3.00``
04  initialising institution 初始化机构  12    binary
05  issue date 发卡日期                  4     BCD YYYYMMDD
06  expiry date 卡有效期                 4     BCD YYYYMMDD (``99991231`` = no expiry)
07  card number 社会保障卡卡号           9     ASCII
==  ================================  ====  ======================================

EF06, personal data, file id EF06 (SELECT, then ``00 B2 id 00 Le``):

==  ================================  ====  ======================================
08  social-security number (citizen ID) 18  ASCII, GB 11643 check digit
09  name 姓名                            30    GBK, padded with 00/20/FF
0A  sex 性别                             1     ASCII, GB/T 2261.1
0B  nation 民族                          1     BCD, GB 3304
0C  birthplace 出生地                    3     BCD division code, FF padded
0D  birth date 出生日期                  4     BCD YYYYMMDD
==  ================================  ====  ======================================
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt

from devices.idcard.nations import nation, sex
from devices.idcard.records import is_valid_citizen_id
from devices.smartcard import bcd
from devices.smartcard.errors import InvalidCardData
from devices.smartcard.records import PersonalAccess, SocialSecurityRecord, SscPersonal

# "sx1.sh." + GBK "社会保障": the DF name of the social-security application (SSSE)
SSSE_DF_NAME = b"sx1.sh." + "社会保障".encode("gbk")
EF05_SFI = 5
EF06_FID = 0xEF06
NO_EXPIRY = "99991231"


@dc.dataclass(frozen=True)
class RecordSpec:
    tag: int
    field: str
    size: int


EF05 = (
    RecordSpec(0x01, "card_id", 16),
    RecordSpec(0x02, "card_type", 1),
    RecordSpec(0x03, "version", 4),
    RecordSpec(0x04, "institution", 12),
    RecordSpec(0x05, "issued", 4),
    RecordSpec(0x06, "expires", 4),
    RecordSpec(0x07, "card_number", 9),
)
EF06 = (
    RecordSpec(0x08, "id_number", 18),
    RecordSpec(0x09, "name", 30),
    RecordSpec(0x0A, "sex", 1),
    RecordSpec(0x0B, "nation", 1),
    RecordSpec(0x0C, "birthplace", 3),
    RecordSpec(0x0D, "birth", 4),
)


def record_value(spec: RecordSpec, raw: bytes) -> bytes:
    """The value of one record as read; checks the tag and that the length fits."""
    if len(raw) < 2 or raw[0] != spec.tag:
        raise InvalidCardData(f"{spec.field}: record does not start with tag {spec.tag:02X}")
    length = raw[1]
    if length > len(raw) - 2 or length > spec.size:
        raise InvalidCardData(f"{spec.field}: record length {length} does not fit")
    return bytes(raw[2 : 2 + length])


def encode_record(spec: RecordSpec, value: bytes) -> bytes:
    if len(value) > spec.size:
        raise ValueError(f"{spec.field}: {len(value)} bytes is more than {spec.size}")
    return bytes((spec.tag, len(value))) + value


def _text(value: bytes, field: str, encoding: str = "ascii") -> str:
    try:
        return value.rstrip(b"\x00\x20\xff").decode(encoding)
    except UnicodeDecodeError as exc:
        raise InvalidCardData(f"{field}: not {encoding} text") from exc


def decode_ef05(values: dict[str, bytes]) -> SocialSecurityRecord:
    """The card-level record from EF05's values by field name."""
    card_id = values["card_id"].hex().upper()
    if not card_id[:6].isdigit():
        raise InvalidCardData("card_id: the region code is not BCD")
    expires_digits = bcd.digits(values["expires"], "expires")
    return SocialSecurityRecord(
        card_id=card_id,
        card_type=_text(values["card_type"], "card_type"),
        version=_text(values["version"], "version"),
        institution=values["institution"].hex().upper(),
        issued=bcd.date(values["issued"], "issued"),
        expires=None if expires_digits == NO_EXPIRY else bcd.date(values["expires"], "expires"),
        card_number=_text(values["card_number"], "card_number"),
    )


def decode_ef06(values: dict[str, bytes]) -> SscPersonal:
    """The holder's personal data from EF06's values by field name."""
    number = _text(values["id_number"], "id_number").upper()
    if not is_valid_citizen_id(number):
        raise InvalidCardData("id_number: not a valid GB 11643 citizen ID number")
    nation_code = bcd.digits(values["nation"], "nation") if values["nation"] else ""
    try:
        sex_label = sex(_text(values["sex"], "sex"))
        nation_label = nation(nation_code) if nation_code else None
    except KeyError as exc:
        raise InvalidCardData("sex or nation: code outside its standard table") from exc
    birth = values["birth"]
    return SscPersonal(
        id_number=number,
        name=_text(values["name"], "name", "gbk"),
        sex=sex_label,
        nation=nation_label,
        birthplace=bcd.digits(values["birthplace"], "birthplace", pad_f=True),
        birth=bcd.date(birth, "birth") if birth.strip(b"\x00\xff") else None,
    )


def encode_ef05(card: SocialSecurityRecord) -> dict[int, bytes]:
    """EF05's records by number (the simulator's side)."""
    expires = bcd.encode_date(card.expires) if card.expires else bytes.fromhex(NO_EXPIRY)
    values = {
        "card_id": bytes.fromhex(card.card_id),
        "card_type": card.card_type.encode("ascii"),
        "version": card.version.encode("ascii"),
        "institution": bytes.fromhex(card.institution),
        "issued": bcd.encode_date(card.issued),
        "expires": expires,
        "card_number": card.card_number.encode("ascii"),
    }
    return {spec.tag: encode_record(spec, values[spec.field]) for spec in EF05}


def encode_ef06(person: SscPersonal) -> dict[int, bytes]:
    """EF06's records by identifier (the simulator's side)."""
    values = {
        "id_number": person.id_number.encode("ascii"),
        "name": person.name.encode("gbk").ljust(30, b"\x00"),
        "sex": person.sex.code.encode("ascii"),
        "nation": bytes.fromhex(person.nation.code) if person.nation else b"",
        "birthplace": bcd.encode_digits(person.birthplace, 3) if person.birthplace else b"\xff" * 3,
        "birth": bcd.encode_date(person.birth) if person.birth else b"\x00" * 4,
    }
    return {spec.tag: encode_record(spec, values[spec.field]) for spec in EF06}


def with_personal(
    card: SocialSecurityRecord, person: SscPersonal | None, access: PersonalAccess
) -> SocialSecurityRecord:
    return dc.replace(card, personal=person, personal_access=access)


def is_expired(card: SocialSecurityRecord, day: dt.date) -> bool:
    return card.expires is not None and day > card.expires
