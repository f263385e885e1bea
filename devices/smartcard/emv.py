"""PBOC 3.0 / EMV data: directory entries, FCI, PDOL, GPO responses, AFL, card data. Pure.

References: EMV 4.3 Book 1 §11-12 (PSE, directory, FCI), Book 3 §5.4 (DOL), §6.5.8
(GPO response formats), §10.2 (AFL), Annex A (data elements); JR/T 0025 (PBOC 3.0) uses
the same structures with UnionPay's RID ``A000000333`` (research §3.2, russss/python-emv).
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import re

from devices.smartcard import bcd, tlv
from devices.smartcard.errors import InvalidCardData, TlvError
from devices.smartcard.records import BankCardRecord

PSE = b"1PAY.SYS.DDF01"  # contact payment system environment
PPSE = b"2PAY.SYS.DDF01"  # proximity (contactless) PSE
UNIONPAY_RID = bytes.fromhex("A000000333")
UNIONPAY_AIDS: dict[bytes, str] = {
    bytes.fromhex("A000000333010101"): "UnionPay debit",
    bytes.fromhex("A000000333010102"): "UnionPay credit",
    bytes.fromhex("A000000333010103"): "UnionPay quasi-credit",
    bytes.fromhex("A000000333010106"): "UnionPay e-cash",
}

# data element tags (EMV Book 3 Annex A)
T_FCI, T_DF_NAME, T_FCI_PROPRIETARY, T_FCI_ISSUER = 0x6F, 0x84, 0xA5, 0xBF0C
T_SFI, T_APP_TEMPLATE, T_AID, T_LABEL, T_PRIORITY = 0x88, 0x61, 0x4F, 0x50, 0x87
T_PDOL, T_RECORD, T_GPO_FORMAT1, T_GPO_FORMAT2 = 0x9F38, 0x70, 0x80, 0x77
T_AIP, T_AFL = 0x82, 0x94
T_PAN, T_TRACK2, T_EXPIRY, T_EFFECTIVE = 0x5A, 0x57, 0x5F24, 0x5F25
T_NAME, T_NAME_EXTENDED, T_PAN_SEQUENCE = 0x5F20, 0x9F0B, 0x5F34
_NUMERIC = frozenset((0x9F02, 0x9F03, 0x9F1A, 0x5F2A, 0x9A, 0x9C))
WANTED = (T_PAN, T_TRACK2, T_EXPIRY, T_EFFECTIVE, T_NAME, T_NAME_EXTENDED, T_PAN_SEQUENCE)


@dc.dataclass(frozen=True)
class Application:
    aid: bytes
    label: str = ""
    priority: int = 15  # 1 highest; absent = lowest

    @property
    def unionpay(self) -> bool:
        return self.aid.startswith(UNIONPAY_RID)


@dc.dataclass(frozen=True)
class AflEntry:
    sfi: int
    first: int
    last: int
    offline_auth: int


@dc.dataclass(frozen=True)
class Terminal:
    """The terminal data a PDOL may ask for (EMV Book 4 Annex A); defaults for a kiosk."""

    country: str = "0156"  # 9F1A, China
    currency: str = "0156"  # 5F2A, CNY
    amount: int = 0  # 9F02, in fen
    transaction_type: int = 0x31  # 9C, an inquiry: the kiosk reads, it does not pay
    qualifiers: bytes = bytes.fromhex("46000000")  # 9F66 TTQ (qPBOC)


def label_text(value: bytes | None) -> str:
    if not value:
        return ""
    return value.decode("ascii", "replace").strip()


def parse_pse_fci(data: bytes) -> int:
    """The SFI of the directory EF from a PSE's FCI (6F > A5 > 88)."""
    sfi = tlv.find_value(tlv.parse(data), T_SFI)
    if sfi is None or len(sfi) != 1 or not 1 <= sfi[0] <= 30:
        raise TlvError("PSE FCI without a valid directory SFI (88)")
    return sfi[0]


def parse_applications(data: bytes) -> list[Application]:
    """Application templates (61) in a directory record (70) or a PPSE FCI (BF0C)."""
    apps = []
    for obj in tlv.parse(data):
        for node in obj.walk():
            if node.tag != T_APP_TEMPLATE:
                continue
            aid = tlv.find_value(node.children, T_AID)
            if not aid or not 5 <= len(aid) <= 16:
                raise TlvError("application template without a valid AID (4F)")
            priority = tlv.find_value(node.children, T_PRIORITY)
            rank = (priority[0] & 0x0F) if priority else 0
            label = label_text(tlv.find_value(node.children, T_LABEL))
            apps.append(Application(aid, label, rank or 15))
    return apps


def parse_adf_fci(data: bytes) -> tuple[Application, tuple[tuple[int, int], ...]]:
    """The selected application and its PDOL (empty when the card gives none)."""
    objects = tlv.parse(data)
    aid = tlv.find_value(objects, T_DF_NAME)
    if not aid:
        raise TlvError("application FCI without a DF name (84)")
    pdol = tlv.find_value(objects, T_PDOL)
    app = Application(aid, label_text(tlv.find_value(objects, T_LABEL)))
    return app, tlv.parse_dol(pdol) if pdol else ()


def pdol_data(
    pdol: tuple[tuple[int, int], ...], terminal: Terminal, today: dt.date, unpredictable: bytes
) -> bytes:
    """The values for a PDOL, in its order: known tags filled in, the rest zeros."""
    known = {
        0x9F66: terminal.qualifiers,
        0x9F02: bcd.encode_digits(f"{terminal.amount:012d}"),
        0x9F03: bytes(6),
        0x9F1A: bytes.fromhex(terminal.country),
        0x5F2A: bytes.fromhex(terminal.currency),
        0x9A: bcd.encode_date(today, 3),
        0x9C: bytes((terminal.transaction_type,)),
        0x9F37: unpredictable,
        0x95: bytes(5),
    }
    out = bytearray()
    for tag, length in pdol:
        value = known.get(tag, b"")
        if tag in _NUMERIC:  # EMV Book 3 §5.4: numbers keep their rightmost digits
            out += value[-length:].rjust(length, b"\x00")
        else:
            out += value[:length].ljust(length, b"\x00")
    return bytes(out)


def parse_gpo(data: bytes) -> tuple[bytes, list[AflEntry]]:
    """(AIP, AFL) from a GPO response in format 1 (80) or format 2 (77)."""
    objects = tlv.parse(data)
    if not objects:
        raise TlvError("empty GPO response")
    top = objects[0]
    if top.tag == T_GPO_FORMAT1:
        if len(top.value) < 2:
            raise TlvError("GPO format 1 shorter than the AIP")
        aip, afl = top.value[:2], top.value[2:]
    elif top.tag == T_GPO_FORMAT2:
        aip_v, afl_v = tlv.find_value(top.children, T_AIP), tlv.find_value(top.children, T_AFL)
        if aip_v is None or afl_v is None:
            raise TlvError("GPO format 2 without AIP (82) and AFL (94)")
        aip, afl = aip_v, afl_v
    else:
        raise TlvError(f"GPO response template {top.tag:X} is neither 80 nor 77")
    return aip, parse_afl(afl)


def parse_afl(afl: bytes) -> list[AflEntry]:
    if len(afl) % 4:
        raise TlvError("AFL length is not a multiple of 4")
    entries = []
    for i in range(0, len(afl), 4):
        sfi, first, last, oda = afl[i] >> 3, afl[i + 1], afl[i + 2], afl[i + 3]
        if not 1 <= sfi <= 30 or first == 0 or last < first:
            raise TlvError("AFL entry out of range")
        entries.append(AflEntry(sfi, first, last, oda))
    return entries


def luhn_ok(number: str) -> bool:
    if not number.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _track2(value: bytes) -> tuple[str, dt.date]:
    text = value.hex().upper().rstrip("F")
    m = re.fullmatch(r"(\d{12,19})D(\d{2})(\d{2})\d*", text)
    if not m or not 1 <= int(m.group(3)) <= 12:
        raise InvalidCardData("track 2 equivalent data (57) is malformed")
    return m.group(1), bcd.month_end(2000 + int(m.group(2)), int(m.group(3)))


def _name(value: bytes | None) -> str | None:
    if not value:
        return None
    try:
        text = value.decode("ascii")
    except UnicodeDecodeError:
        try:
            text = value.decode("gbk")
        except UnicodeDecodeError:
            return None
    text = text.strip()
    return text if text.strip("/ ") else None


def card_record(app: Application, found: dict[int, bytes]) -> BankCardRecord:
    """The bank card record from the wanted tags collected over the AFL records."""
    track = _track2(found[T_TRACK2]) if T_TRACK2 in found else None
    if T_PAN in found:
        pan = bcd.digits(found[T_PAN], "PAN", pad_f=True)
        if track and track[0] != pan:
            raise InvalidCardData("PAN (5A) and track 2 (57) disagree")
    elif track:
        pan = track[0]
    else:
        raise InvalidCardData("no PAN (5A or 57) in the application's records")
    if not 12 <= len(pan) <= 19 or not luhn_ok(pan):
        raise InvalidCardData("PAN fails the Luhn check")
    if T_EXPIRY in found:
        expiry = bcd.date(found[T_EXPIRY], "expiry")
    elif track:
        expiry = track[1]
    else:
        raise InvalidCardData("no expiry date (5F24 or 57)")
    sequence = found.get(T_PAN_SEQUENCE)
    return BankCardRecord(
        aid=app.aid.hex().upper(),
        label=app.label or UNIONPAY_AIDS.get(app.aid, ""),
        pan=pan,
        expiry=expiry,
        effective=bcd.date(found[T_EFFECTIVE], "effective") if T_EFFECTIVE in found else None,
        pan_sequence=int(bcd.digits(sequence, "PAN sequence")) if sequence else None,
        cardholder_name=_name(found.get(T_NAME)) or _name(found.get(T_NAME_EXTENDED)),
    )
