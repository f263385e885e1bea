"""The vpcd wire protocol (vsmartcard's virtual smart-card reader driver for pcscd). Pure.

pcscd loads ``libifdvpcd.so`` (Debian ``vsmartcard-vpcd``; ``/etc/reader.conf.d/vpcd``),
which listens on TCP port 35963 for the first virtual reader slot and 35964 for the
second. A virtual card connects to it; from then on pcscd sees a card in that slot.
Every message either way is a 2-byte big-endian length followed by that many bytes
(vsmartcard ``src/vpcd/vpcd.c``, ``sendToVICC``/``recvFromVICC``):

* from the reader, a 1-byte message is a control: 0 power off, 1 power on, 2 reset,
  4 "send your ATR" (pcscd asks this every time it polls for the card's presence);
* from the reader, anything longer is a command APDU; the card answers each one, and
  each ATR request, with one message;
* the card closing the connection is the card leaving the reader.
"""

from __future__ import annotations

import dataclasses as dc
import enum
import os
import struct

VPCD_PORT = 35963  # slot 0; slot n listens on VPCD_PORT + n (Debian's reader.conf.d/vpcd)
PORT_ENV = "KIOSK_VPCD_PORT"  # another slot-0 port, for a pcscd configured differently


def vpcd_port() -> int:
    """The slot-0 port virtual cards connect to: ``$KIOSK_VPCD_PORT`` or 35963."""
    return int(os.environ.get(PORT_ENV) or VPCD_PORT)


MAX_MESSAGE = 0xFFFF
_LENGTH = struct.Struct("!H")


class Control(enum.IntEnum):
    POWER_OFF = 0
    POWER_ON = 1
    RESET = 2
    ATR = 4


@dc.dataclass(frozen=True)
class ControlMessage:
    code: int  # a Control value, or an unknown code the card must ignore


@dc.dataclass(frozen=True, repr=False)
class ApduMessage:
    apdu: bytes

    def __repr__(self) -> str:
        return f"ApduMessage({self.apdu[:4].hex().upper()}…, {len(self.apdu)} bytes)"


Message = ControlMessage | ApduMessage


def encode(payload: bytes) -> bytes:
    """One message: the length, then the bytes."""
    if len(payload) > MAX_MESSAGE:
        raise ValueError(f"a vpcd message holds at most {MAX_MESSAGE} bytes")
    return _LENGTH.pack(len(payload)) + payload


class VpcdDecoder:
    """Split the byte stream from vpcd into messages, however TCP chunks it.

    A zero-length message carries nothing; vsmartcard's own card skips it without an
    answer, and so does this decoder (``skipped`` counts them).
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.skipped = 0

    @property
    def pending(self) -> int:
        """Bytes held back waiting for the rest of a message."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[Message]:
        self._buffer += data
        out: list[Message] = []
        while len(self._buffer) >= _LENGTH.size:
            (size,) = _LENGTH.unpack_from(self._buffer)
            if len(self._buffer) < _LENGTH.size + size:
                break
            body = bytes(self._buffer[_LENGTH.size : _LENGTH.size + size])
            del self._buffer[: _LENGTH.size + size]
            if size == 0:
                self.skipped += 1
            elif size == 1:
                out.append(ControlMessage(body[0]))
            else:
                out.append(ApduMessage(body))
        return out
