"""The PBOC debit application of a virtual card: PSE, PPSE, ADF, GPO and its records.

The card's side of :mod:`devices.smartcard.bankcard`, built from a :class:`BankProfile`
with the same TLV encoder, so a reader test exercises the real parsers. Records:

* SFI 1 record 1: track 2 equivalent data (57) and the cardholder name (5F20);
* SFI 2 record 1: PAN (5A), expiry (5F24), effective date (5F25), PAN sequence (5F34),
  plus usage control and a CVM list the reader must skip;
* SFI 3 record 1: offline-authentication data (CA index, issuer key) the reader never
  needs: a reader that stops once it has what it wants never asks for it.
"""

from __future__ import annotations

from devices.smartcard import bcd, emv
from devices.smartcard.apdu import (
    SW_CONDITIONS_NOT_SATISFIED,
    SW_OK,
    SW_RECORD_NOT_FOUND,
    SW_WRONG_LENGTH,
)
from devices.smartcard.fixtures import BankProfile
from devices.smartcard.tlv import encode, encode_constructed, encode_dol

AIP = bytes.fromhex("1C00")  # SDA/DDA supported, cardholder verification, terminal risk mgmt
AFL = bytes.fromhex("080101001001010118010100")
DIRECTORY_SFI = 1

Answer = tuple[bytes, int]


class SimBankApp:
    def __init__(self, profile: BankProfile) -> None:
        self.profile = profile
        record = profile.record
        self.aid = bytes.fromhex(record.aid)
        self.selected = False
        self.initiated = False  # GPO done: the records may be read
        self._template = encode_constructed(
            emv.T_APP_TEMPLATE,
            encode(emv.T_AID, self.aid),
            encode(emv.T_LABEL, record.label.encode("ascii")),
            encode(emv.T_PRIORITY, b"\x01"),
        )
        self._records = _records(profile)

    def reset(self) -> None:
        self.selected = self.initiated = False

    def select(self, name: bytes) -> bytes | None:
        """The FCI for a name this application answers to, else None."""
        self.reset()
        if name == emv.PSE and self.profile.pse:
            sfi = encode_constructed(emv.T_FCI_PROPRIETARY, encode(emv.T_SFI, b"\x01"))
            return encode_constructed(emv.T_FCI, encode(emv.T_DF_NAME, name), sfi)
        if name == emv.PPSE and self.profile.ppse:
            issuer = encode_constructed(emv.T_FCI_ISSUER, self._template)
            proprietary = encode_constructed(emv.T_FCI_PROPRIETARY, issuer)
            return encode_constructed(emv.T_FCI, encode(emv.T_DF_NAME, name), proprietary)
        if name == self.aid:
            self.selected = True
            proprietary = encode_constructed(
                emv.T_FCI_PROPRIETARY,
                encode(emv.T_LABEL, self.profile.record.label.encode("ascii")),
                encode(emv.T_PRIORITY, b"\x01"),
                encode(emv.T_PDOL, encode_dol(self.profile.pdol)),
            )
            return encode_constructed(emv.T_FCI, encode(emv.T_DF_NAME, name), proprietary)
        return None

    def read_directory(self, number: int) -> Answer:
        if number != 1:
            return b"", SW_RECORD_NOT_FOUND
        return encode_constructed(emv.T_RECORD, self._template), SW_OK

    def gpo(self, data: bytes) -> Answer:
        if not self.selected:
            return b"", SW_CONDITIONS_NOT_SATISFIED
        wanted = sum(length for _tag, length in self.profile.pdol)
        if len(data) != 2 + wanted or data[0] != 0x83 or data[1] != wanted:
            return b"", SW_WRONG_LENGTH
        self.initiated = True
        if self.profile.gpo_format == 1:
            return encode(emv.T_GPO_FORMAT1, AIP + AFL), SW_OK
        return encode_constructed(
            emv.T_GPO_FORMAT2, encode(emv.T_AIP, AIP), encode(emv.T_AFL, AFL)
        ), SW_OK

    def read_record(self, sfi: int, number: int) -> Answer:
        if not self.initiated:
            return b"", SW_CONDITIONS_NOT_SATISFIED
        record = self._records.get((sfi, number))
        return (record, SW_OK) if record is not None else (b"", SW_RECORD_NOT_FOUND)


def _records(profile: BankProfile) -> dict[tuple[int, int], bytes]:
    r = profile.record
    pan = bcd.encode_digits(r.pan)
    track2 = bytes.fromhex(
        (r.pan + "D" + r.expiry.strftime("%y%m") + "220" + "0000000000").ljust(38, "F")[:38]
    )
    first = [encode(emv.T_TRACK2, track2)]
    if r.cardholder_name:
        first.append(encode(emv.T_NAME, r.cardholder_name.encode("ascii")))
    second = [
        encode(0x9F07, bytes.fromhex("FF00")),  # application usage control
        encode(emv.T_PAN, pan),
        encode(emv.T_EXPIRY, bcd.encode_date(r.expiry, 3)),
        encode(0x8E, bytes(8) + bytes.fromhex("42031E031F00")),  # CVM list
    ]
    if r.effective:
        second.append(encode(emv.T_EFFECTIVE, bcd.encode_date(r.effective, 3)))
    if r.pan_sequence is not None:
        second.append(encode(emv.T_PAN_SEQUENCE, bcd.encode_digits(f"{r.pan_sequence:02d}")))
    body = b"".join(second)
    if profile.corrupt_record:
        body = bytes((emv.T_PAN, 0x40)) + pan  # a length running past the record's end
    third = [encode(0x8F, b"\x08"), encode(0x90, bytes(64)), encode(0x9F32, b"\x03")]
    return {
        (1, 1): encode_constructed(emv.T_RECORD, *first),
        (2, 1): encode(emv.T_RECORD, body),
        (3, 1): encode_constructed(emv.T_RECORD, *third),
    }
