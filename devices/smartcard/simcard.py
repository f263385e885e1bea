"""A virtual chip: answers raw command APDUs the way a T=0 card does. Pure (no I/O).

The T=0 behaviour is what makes the reader's chaining code necessary, so it is faithful:
a command carrying data whose answer has data too (SELECT, GPO) gets ``61xx`` and the
data waits for GET RESPONSE, in pieces if the terminal asks for fewer bytes; a command
asking for the wrong number of bytes (READ RECORD with Le=00) gets ``6Cxx``.

Applications: the social-security SSSE with EF05/EF06 (access to EF06 as the
:class:`CardSpec` says: open, PIN, or PSAM external authentication) and a PBOC debit
application (:mod:`devices.smartcard.simbank`). :class:`devices.smartcard.simulator.
VirtualCard` carries these answers to pcscd through vpcd.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from devices.smartcard.apdu import (
    INS_EXTERNAL_AUTHENTICATE,
    INS_GET_CHALLENGE,
    INS_GET_RESPONSE,
    INS_GPO,
    INS_READ_RECORD,
    INS_SELECT,
    INS_VERIFY,
    SW1_MORE_DATA,
    SW1_WRONG_LE,
    SW_AUTH_BLOCKED,
    SW_CONDITIONS_NOT_SATISFIED,
    SW_FILE_NOT_FOUND,
    SW_INS_NOT_SUPPORTED,
    SW_OK,
    SW_RECORD_NOT_FOUND,
    SW_SECURITY_NOT_SATISFIED,
    SW_WRONG_LENGTH,
    SW_WRONG_P1P2,
    CommandApdu,
)
from devices.smartcard.bcd import encode_digits
from devices.smartcard.errors import ApduError
from devices.smartcard.fixtures import CardSpec, TestPsam
from devices.smartcard.records import PersonalAccess
from devices.smartcard.simbank import SimBankApp
from devices.smartcard.sscfiles import (
    EF05_SFI,
    EF06_FID,
    SSSE_DF_NAME,
    encode_ef05,
    encode_ef06,
)
from devices.smartcard.tlv import encode, encode_constructed

EF05_FID = 0xEF05
SW_AUTH_FAILED = 0x6300
PIN_TRIES = 3

Answer = tuple[bytes, int]


class SimCard:
    """One card; ``answer(raw)`` is what the chip sends back for a raw command APDU."""

    def __init__(
        self, spec: CardSpec, *, random_bytes: Callable[[int], bytes] = os.urandom
    ) -> None:
        self.spec = spec
        self._random = random_bytes
        self._ef05 = encode_ef05(spec.ssc) if spec.ssc else {}
        self._ef06 = encode_ef06(spec.ssc.personal) if spec.ssc and spec.ssc.personal else {}
        self._bank = SimBankApp(spec.bank) if spec.bank else None
        self._pin_tries = spec.pin_tries  # survives resets, as on a real chip
        self.reset()

    @property
    def atr(self) -> bytes:
        return self.spec.atr

    def reset(self) -> None:
        """Power-on or warm reset: selections, security state and pending data are lost."""
        self._pending = b""
        self._ssse = False
        self._ef: int | None = None
        self._unlocked = False
        self._challenge: bytes | None = None
        if self._bank is not None:
            self._bank.reset()

    # -- T=0 transport behaviour ----------------------------------------------------------

    def answer(self, raw: bytes) -> bytes:
        try:
            command = CommandApdu.parse(raw)
        except ApduError:
            return _sw(SW_WRONG_LENGTH)
        if command.ins == INS_GET_RESPONSE and command.cla == 0x00:
            return self._get_response(command.le or 256)
        self._pending = b""
        data, sw = self._process(command)
        if not data:
            return _sw(sw)
        if command.data or command.le is None:  # case 4 (or 3): the data waits
            self._pending = data
            return bytes((SW1_MORE_DATA, min(len(data), 256) & 0xFF))
        if command.le != min(len(data), 256):
            return bytes((SW1_WRONG_LE, min(len(data), 256) & 0xFF))
        return self._deliver(data, command.le)

    def _get_response(self, le: int) -> bytes:
        if not self._pending:
            return _sw(SW_CONDITIONS_NOT_SATISFIED)
        if le > len(self._pending):
            return bytes((SW1_WRONG_LE, len(self._pending) & 0xFF))
        return self._deliver(self._pending, le)

    def _deliver(self, data: bytes, le: int) -> bytes:
        head, self._pending = data[:le], data[le:]
        if self._pending:
            return head + bytes((SW1_MORE_DATA, min(len(self._pending), 256) & 0xFF))
        return head + _sw(SW_OK)

    # -- commands -------------------------------------------------------------------------

    def _process(self, c: CommandApdu) -> Answer:
        if c.cla == 0x80 and c.ins == INS_GPO:
            return self._bank.gpo(c.data) if self._bank else (b"", SW_INS_NOT_SUPPORTED)
        handlers = {
            INS_SELECT: self._select,
            INS_READ_RECORD: self._read_record,
            INS_VERIFY: self._verify,
            INS_GET_CHALLENGE: self._get_challenge,
            INS_EXTERNAL_AUTHENTICATE: self._external_authenticate,
        }
        handler = handlers.get(c.ins)
        return handler(c) if handler and c.cla == 0x00 else (b"", SW_INS_NOT_SUPPORTED)

    def _select(self, c: CommandApdu) -> Answer:
        if c.p1 == 0x02:  # EF by file id, under SSSE
            fid = int.from_bytes(c.data, "big")
            if self._ssse and fid in (EF05_FID, EF06_FID):
                self._ef = fid
                return b"", SW_OK
            return b"", SW_FILE_NOT_FOUND
        if c.p1 != 0x04:
            return b"", SW_WRONG_P1P2
        self._ssse, self._ef, self._unlocked = False, None, False
        if c.data == SSSE_DF_NAME and self._ef05:
            self._ssse = True
            proprietary = encode_constructed(0xA5, encode(0x9F08, b"\x02"))
            return encode_constructed(0x6F, encode(0x84, SSSE_DF_NAME), proprietary), SW_OK
        fci = self._bank.select(c.data) if self._bank else None
        return (fci, SW_OK) if fci else (b"", SW_FILE_NOT_FOUND)

    def _read_record(self, c: CommandApdu) -> Answer:
        sfi, mode = c.p2 >> 3, c.p2 & 0x07
        if self._ssse:
            if (mode == 0x04 and sfi == EF05_SFI) or (sfi == 0 and self._ef == EF05_FID):
                return _found(self._ef05.get(c.p1))
            if sfi == 0 and self._ef == EF06_FID and mode in (0x00, 0x04):
                if not self._ef06_open():
                    return b"", SW_SECURITY_NOT_SATISFIED
                return _found(self._ef06.get(c.p1))
            return b"", SW_FILE_NOT_FOUND
        if self._bank is None or mode != 0x04:
            return b"", SW_FILE_NOT_FOUND
        if sfi == 1 and not self._bank.selected:
            return self._bank.read_directory(c.p1)
        return self._bank.read_record(sfi, c.p1)

    def _ef06_open(self) -> bool:
        return self.spec.personal_lock is PersonalAccess.OPEN or self._unlocked

    def _verify(self, c: CommandApdu) -> Answer:
        if not self._ssse:
            return b"", SW_CONDITIONS_NOT_SATISFIED
        if self._pin_tries == 0:
            return b"", SW_AUTH_BLOCKED
        if c.data != encode_digits(self.spec.pin):
            self._pin_tries -= 1
            return b"", 0x63C0 | self._pin_tries
        self._pin_tries = PIN_TRIES
        self._unlocked = self.spec.personal_lock is PersonalAccess.PIN
        return b"", SW_OK

    def _get_challenge(self, c: CommandApdu) -> Answer:
        self._challenge = self._random(c.le or 8)
        return self._challenge, SW_OK

    def _external_authenticate(self, c: CommandApdu) -> Answer:
        challenge, self._challenge = self._challenge, None
        if not self._ssse or challenge is None or self.spec.ssc is None:
            return b"", SW_CONDITIONS_NOT_SATISFIED
        expected = TestPsam().authenticate(self.spec.ssc.card_id, challenge)
        if c.p2 != TestPsam.key_ref or c.data != expected:
            return b"", SW_AUTH_FAILED
        self._unlocked = self.spec.personal_lock is PersonalAccess.PSAM
        return b"", SW_OK


def _found(record: bytes | None) -> Answer:
    return (record, SW_OK) if record is not None else (b"", SW_RECORD_NOT_FOUND)


def _sw(sw: int) -> bytes:
    return sw.to_bytes(2, "big")
