"""ISO/IEC 7816-4 short APDUs: command and response, the status words we act on, and the
commands this package sends. Pure: bytes in, bytes out.

Only short APDUs (Lc ≤ 255, Le ≤ 256) are used: the social-security and PBOC files are
small, and T=0 cards cannot take extended lengths anyway. A response's ``repr`` shows
its status word and length, never its data, which may hold a PAN.
"""

from __future__ import annotations

import dataclasses as dc

from devices.smartcard.errors import (
    AccessDenied,
    ApduError,
    CardStatusError,
    FileNotFound,
    PinBlocked,
    PinRejected,
)

# ISO/IEC 7816-4 §5.1.3 status words
SW_OK = 0x9000
SW1_MORE_DATA = 0x61  # 61xx: xx more bytes; fetch them with GET RESPONSE (T=0)
SW1_WRONG_LE = 0x6C  # 6Cxx: wrong Le; resend the same command with Le = xx (T=0)
SW1_PIN_TRIES = 0x63  # 63Cx: verification failed, x tries left
SW_WRONG_LENGTH = 0x6700
SW_SECURITY_NOT_SATISFIED = 0x6982
SW_AUTH_BLOCKED = 0x6983
SW_CONDITIONS_NOT_SATISFIED = 0x6985
SW_WRONG_DATA = 0x6A80
SW_FUNCTION_NOT_SUPPORTED = 0x6A81
SW_FILE_NOT_FOUND = 0x6A82
SW_RECORD_NOT_FOUND = 0x6A83
SW_WRONG_P1P2 = 0x6A86
SW_INS_NOT_SUPPORTED = 0x6D00
SW_CLA_NOT_SUPPORTED = 0x6E00

# Instructions (ISO/IEC 7816-4 §11; GET PROCESSING OPTIONS: EMV Book 3 §6.5.8)
INS_SELECT = 0xA4
INS_READ_RECORD = 0xB2
INS_GET_RESPONSE = 0xC0
INS_VERIFY = 0x20
INS_GET_CHALLENGE = 0x84
INS_EXTERNAL_AUTHENTICATE = 0x82
INS_GPO = 0xA8


@dc.dataclass(frozen=True)
class CommandApdu:
    """One command; ``le`` None means no response data expected, 256 is sent as ``00``."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            if not 0 <= getattr(self, name) <= 0xFF:
                raise ValueError(f"APDU {name} must be one byte")
        if len(self.data) > 255:
            raise ApduError(f"command data of {len(self.data)} bytes needs an extended APDU")
        if self.le is not None and not 0 <= self.le <= 256:
            raise ValueError("Le must be between 0 and 256")

    @property
    def header(self) -> str:
        """``00A40400``: what a log line may show of a command."""
        return bytes((self.cla, self.ins, self.p1, self.p2)).hex().upper()

    def encode(self) -> bytes:
        out = bytearray((self.cla, self.ins, self.p1, self.p2))
        if self.data:
            out += bytes((len(self.data),)) + self.data
        if self.le is not None:
            out.append(self.le & 0xFF)  # 256 -> 00
        return bytes(out)

    def with_le(self, le: int) -> CommandApdu:
        return dc.replace(self, le=le)

    @classmethod
    def parse(cls, raw: bytes) -> CommandApdu:
        """Decode a short APDU of case 1-4 (the card's side of :meth:`encode`)."""
        if len(raw) < 4:
            raise ApduError(f"a command needs 4 header bytes, got {len(raw)}")
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or 256)
        lc = body[0]
        if lc == 0:
            raise ApduError("extended-length APDUs are not supported")
        if len(body) == 1 + lc:
            return cls(cla, ins, p1, p2, bytes(body[1:]))
        if len(body) == 2 + lc:
            return cls(cla, ins, p1, p2, bytes(body[1:-1]), body[-1] or 256)
        raise ApduError(f"Lc={lc} does not match the {len(body) - 1} bytes that follow")


@dc.dataclass(frozen=True, repr=False)
class ResponseApdu:
    data: bytes
    sw1: int
    sw2: int

    @property
    def sw(self) -> int:
        return self.sw1 << 8 | self.sw2

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    def encode(self) -> bytes:
        return self.data + bytes((self.sw1, self.sw2))

    @classmethod
    def parse(cls, raw: bytes) -> ResponseApdu:
        if len(raw) < 2:
            raise ApduError(f"a response needs a 2-byte status word, got {len(raw)} bytes")
        return cls(bytes(raw[:-2]), raw[-2], raw[-1])

    def __repr__(self) -> str:
        return f"ResponseApdu(sw={self.sw:04X}, {len(self.data)} data bytes)"


def status_error(sw: int, what: str) -> CardStatusError:
    """The typed error for a refusal ``sw`` to the command described by ``what``."""
    detail = f"{what}: card answered {sw:04X}"
    if sw in (SW_FILE_NOT_FOUND, SW_RECORD_NOT_FOUND):
        return FileNotFound(detail, sw=sw)
    if sw in (SW_SECURITY_NOT_SATISFIED, SW_CONDITIONS_NOT_SATISFIED):
        return AccessDenied(detail, sw=sw)
    if sw == SW_AUTH_BLOCKED:
        return PinBlocked(detail, sw=sw)
    if sw >> 8 == SW1_PIN_TRIES and sw & 0xF0 == 0xC0:
        return PinRejected(detail, sw=sw, tries_left=sw & 0x0F)
    return CardStatusError(detail, sw=sw)


# -- the commands this package sends --------------------------------------------------------


def select_by_name(name: bytes) -> CommandApdu:
    """SELECT by DF name (AID), first occurrence, FCI wanted: ``00 A4 04 00 Lc name 00``."""
    return CommandApdu(0x00, INS_SELECT, 0x04, 0x00, name, le=256)


def select_by_fid(fid: int) -> CommandApdu:
    """SELECT an EF by its 2-byte file id under the current DF: ``00 A4 02 00 02 fid``."""
    return CommandApdu(0x00, INS_SELECT, 0x02, 0x00, fid.to_bytes(2, "big"))


def read_record(record: int, *, sfi: int | None = None, le: int = 256) -> CommandApdu:
    """READ RECORD by number: of the EF with short file id ``sfi`` (P2 = sfi<<3 | 4), or of
    the current EF when ``sfi`` is None (P2 = 04)."""
    if sfi is not None and not 1 <= sfi <= 30:
        raise ValueError("a short file identifier is 1..30")
    p2 = (sfi << 3 | 0x04) if sfi is not None else 0x04
    return CommandApdu(0x00, INS_READ_RECORD, record, p2, le=le)


def read_record_by_id(identifier: int, *, le: int = 256) -> CommandApdu:
    """READ RECORD of the first record with this identifier in the current EF (P2 = 00)."""
    return CommandApdu(0x00, INS_READ_RECORD, identifier, 0x00, le=le)


def get_response(length: int) -> CommandApdu:
    """GET RESPONSE ``00 C0 00 00 Le``; ``length`` 0 (from ``6100``) means 256."""
    return CommandApdu(0x00, INS_GET_RESPONSE, 0x00, 0x00, le=length or 256)


def verify_pin(pin_block: bytes) -> CommandApdu:
    """VERIFY the card holder's PIN (reference 00): ``00 20 00 00 Lc pin``."""
    return CommandApdu(0x00, INS_VERIFY, 0x00, 0x00, pin_block)


def get_challenge(length: int = 8) -> CommandApdu:
    return CommandApdu(0x00, INS_GET_CHALLENGE, 0x00, 0x00, le=length)


def external_authenticate(key_ref: int, cryptogram: bytes) -> CommandApdu:
    return CommandApdu(0x00, INS_EXTERNAL_AUTHENTICATE, 0x00, key_ref, cryptogram)


def get_processing_options(pdol_data: bytes) -> CommandApdu:
    """GPO ``80 A8 00 00 Lc 83 L data 00`` (EMV Book 3 §6.5.8; empty PDOL → ``83 00``)."""
    return CommandApdu(0x80, INS_GPO, 0x00, 0x00, bytes((0x83, len(pdol_data))) + pdol_data, 256)
