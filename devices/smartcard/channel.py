"""The APDU channel: T=0 response chaining over an injected transmit function.

Over T=0 a card cannot send response data with the command's own reply (ISO/IEC 7816-3
§10.3.5, ISO/IEC 7816-4 §5.3.3): it answers ``61xx`` ("xx bytes waiting", fetched with
GET RESPONSE, possibly in several pieces) or ``6Cxx`` ("wrong Le, resend with Le=xx").
pcscd passes both through untouched (pyscard issue tracker, research §3.2), so this
layer does it for every command. Loops are bounded: a card that chains forever, or asks
for another Le twice, gets an :class:`ApduError` instead of a hung kiosk.

Logging shows command headers and status words only, never data (PANs, names).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from devices.smartcard.apdu import (
    SW1_MORE_DATA,
    SW1_WRONG_LE,
    CommandApdu,
    ResponseApdu,
    get_response,
    status_error,
)
from devices.smartcard.errors import ApduError

log = logging.getLogger(__name__)

Transmit = Callable[[bytes], bytes]  # raw command APDU -> raw response (data + SW1 SW2)

MAX_CHAIN = 64  # GET RESPONSE rounds for one command: 64 × 256 bytes is far beyond any file
MAX_RESPONSE = 65536


class CardChannel:
    """Send commands to one connected card; see the module docstring."""

    def __init__(self, transmit: Transmit, *, max_chain: int = MAX_CHAIN) -> None:
        self._transmit = transmit
        self._max_chain = max_chain
        self.exchanges = 0  # raw APDUs sent, for the benchmark and tests

    def send(self, command: CommandApdu) -> ResponseApdu:
        """The complete response to ``command``, with T=0 chaining resolved."""
        response = self._raw(command)
        if response.sw1 == SW1_WRONG_LE:
            response = self._raw(command.with_le(response.sw2 or 256))
            if response.sw1 == SW1_WRONG_LE:
                raise ApduError(f"{command.header}: card asked for another Le twice")
        data = bytearray(response.data)
        rounds = 0
        while response.sw1 == SW1_MORE_DATA:
            rounds += 1
            if rounds > self._max_chain:
                raise ApduError(f"{command.header}: GET RESPONSE chain longer than {rounds - 1}")
            response = self._fetch(response.sw2)
            data += response.data
            if len(data) > MAX_RESPONSE:
                raise ApduError(f"{command.header}: response longer than {MAX_RESPONSE} bytes")
        return ResponseApdu(bytes(data), response.sw1, response.sw2)

    def check(self, command: CommandApdu, what: str) -> bytes:
        """The response data, or the typed error for the card's refusal."""
        response = self.send(command)
        if not response.ok:
            raise status_error(response.sw, what)
        return response.data

    def _fetch(self, length: int) -> ResponseApdu:
        response = self._raw(get_response(length))
        if response.sw1 == SW1_WRONG_LE:  # some cards want the exact remainder
            response = self._raw(get_response(response.sw2))
        return response

    def _raw(self, command: CommandApdu) -> ResponseApdu:
        raw = self._transmit(command.encode())
        self.exchanges += 1
        response = ResponseApdu.parse(raw)
        log.debug("apdu %s -> %04X (%d bytes)", command.header, response.sw, len(response.data))
        return response
