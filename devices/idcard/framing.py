"""SAM wire framing: preamble, length, XOR check, and a streaming decoder.

Pure and direction-agnostic: the driver decodes the SAM's replies with it and the simulator
decodes the terminal's requests with the same code. The decoder never raises on bad
input; it hands back frames and typed errors in stream order and re-synchronises on the
next preamble, the way libsamv's RX state machine (NONE → LENGTH → BODY) does.
"""

from __future__ import annotations

import dataclasses as dc
from functools import reduce

from devices.idcard.errors import BadLength, ChecksumMismatch, FrameError, TruncatedFrame

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = len(PREAMBLE) + 2  # preamble + big-endian LEN
MIN_LENGTH = 3  # CMD PARA CHK: the shortest frame either side sends
MAX_LENGTH = 0x1000  # the largest known reply (read + fingerprint) is 0x090A


def xor_check(data: bytes | bytearray) -> int:
    """XOR of ``data`` (pass LEN_H .. last data byte)."""
    return reduce(lambda acc, b: acc ^ b, data, 0)


def encode_frame(body: bytes) -> bytes:
    """Wrap ``body`` (CMD PARA DATA or SW1 SW2 SW3 DATA) in preamble, LEN and CHK."""
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([xor_check(length + body)])


@dc.dataclass(frozen=True)
class Frame:
    """A frame that passed the length and XOR checks; ``body`` excludes LEN and CHK."""

    body: bytes = dc.field(repr=False)

    def __repr__(self) -> str:  # the body may be a citizen's card data: show its size only
        return f"Frame({len(self.body)} bytes)"


Decoded = Frame | FrameError


class FrameDecoder:
    """Turns a byte stream, in chunks of any size, into frames and typed framing errors.

    * garbage between frames is skipped (counted in ``discarded``, not reported);
    * a length field out of range gives :class:`BadLength`;
    * a complete frame with a wrong check byte gives :class:`ChecksumMismatch`;
    * a frame cut short by the start of another valid frame gives :class:`TruncatedFrame`
      as soon as that next frame is complete; one cut short by the end of the stream is
      reported by :meth:`flush`.

    After any error the decoder resumes one byte past the bad preamble, so a real frame
    that follows (or hides inside what looked like a frame) is never lost.
    """

    def __init__(self, max_length: int = MAX_LENGTH) -> None:
        self._buf = bytearray()
        self._max = max_length
        self.discarded = 0

    @property
    def pending(self) -> int:
        """Bytes held while waiting for the rest of a frame."""
        return len(self._buf)

    def feed(self, data: bytes) -> list[Decoded]:
        self._buf += data
        out: list[Decoded] = []
        while self._step(out):
            pass
        return out

    def flush(self) -> list[FrameError]:
        """End of stream (or a reply timeout): report a frame left incomplete, then reset."""
        held, self._buf = self._buf, bytearray()
        if held.startswith(PREAMBLE):
            return [TruncatedFrame(f"stream stopped {len(held)} bytes into a frame")]
        self.discarded += len(held)
        return []

    def _step(self, out: list[Decoded]) -> bool:
        """Consume one frame, one error or one run of garbage; False when bytes are needed."""
        buf = self._buf
        start = buf.find(PREAMBLE)
        if start < 0:
            self._skip(len(buf) - _partial_preamble_suffix(buf))
            return False
        self._skip(start)
        if len(buf) < HEADER_SIZE:
            return False
        length = int.from_bytes(buf[5:7], "big")
        if not MIN_LENGTH <= length <= self._max:
            out.append(BadLength(f"length field {length} outside {MIN_LENGTH}..{self._max}"))
            self._skip(1)
            return True
        end = HEADER_SIZE + length
        if len(buf) < end:
            later = self._next_valid_frame()
            if later is None:
                return False
            out.append(TruncatedFrame(f"frame cut after {later} of {end} bytes"))
            self._skip(later)
            return True
        if xor_check(buf[5 : end - 1]) != buf[end - 1]:
            if buf.find(PREAMBLE, 1, end) > 0:
                out.append(TruncatedFrame(f"frame cut short by a new preamble (declared {end})"))
            else:
                out.append(ChecksumMismatch(f"check byte mismatch in a {end}-byte frame"))
            self._skip(1)
            return True
        out.append(Frame(bytes(buf[HEADER_SIZE : end - 1])))
        del buf[:end]
        return True

    def _skip(self, n: int) -> None:
        if n > 0:
            del self._buf[:n]
            self.discarded += n

    def _valid_at(self, pos: int) -> bool:
        buf = self._buf
        if len(buf) < pos + HEADER_SIZE:
            return False
        length = int.from_bytes(buf[pos + 5 : pos + 7], "big")
        end = pos + HEADER_SIZE + length
        if not MIN_LENGTH <= length <= self._max or len(buf) < end:
            return False
        return xor_check(buf[pos + 5 : end - 1]) == buf[end - 1]

    def _next_valid_frame(self) -> int | None:
        """Offset of a later complete, valid frame in the buffer, if one has arrived."""
        pos = self._buf.find(PREAMBLE, 1)
        while pos > 0:
            if self._valid_at(pos):
                return pos
            pos = self._buf.find(PREAMBLE, pos + 1)
        return None


def _partial_preamble_suffix(buf: bytearray) -> int:
    """Length of the longest tail of ``buf`` that could be the start of a preamble."""
    for k in range(min(len(PREAMBLE) - 1, len(buf)), 0, -1):
        if buf.endswith(PREAMBLE[:k]):
            return k
    return 0
