"""ESC/POS byte stream back to :mod:`~devices.printer.ops`, GB18030/GBK aware.

Covers the command subset receipt software emits (ours and python-escpos's): text in
and out of Kanji mode, ESC @ / E / a / d / J / ! / - / 2 / 3 / M / t, GS ! / L / V / v 0 /
( k / k / h / w / H / f / B / b, FS & / . / ! / C, DLE EOT. Anything else, and any
malformed sequence, raises :class:`DecodeError` naming the offset: it is a test oracle
and must not guess. :class:`StreamDecoder` takes the stream in pieces (the simulator
reads a socket); :func:`decode` takes it whole.
"""

from __future__ import annotations

import dataclasses as dc

from devices.printer import ops
from devices.status import ProtocolError

ESC, GS, FS, DLE, LF, CR = 0x1B, 0x1D, 0x1C, 0x10, 0x0A, 0x0D
MAX_RASTER_BYTES = 8 << 20  # a hostile header must not make us wait for 4 GB
_ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}
_CUT = {0: "full", 48: "full", 1: "partial", 49: "partial"}
_QR_EC = {48: "L", 49: "M", 50: "Q", 51: "H"}
_BARCODES = {65: "UPC-A", 66: "UPC-E", 67: "EAN13", 68: "EAN8", 69: "CODE39", 70: "ITF"}
_BARCODES |= {71: "CODABAR", 72: "CODE93", 73: "CODE128"}
_BARCODES |= {m: _BARCODES[m + 65] for m in range(7)}  # function A: m = 0..6
_ONE_ARG = {ESC: b"-MGVt{R", GS: b"hwHfBb", FS: b"!C"}  # single-parameter commands


class DecodeError(ProtocolError):
    """A stream the decoder cannot read: unknown command, bad parameter, cut short."""

    code = "badStream"


class _NeedMore(Exception):
    """The buffer ends inside a command; wait for more bytes."""


@dc.dataclass
class _Mode:
    kanji: bool = False
    bold: bool = False
    width: int = 1
    height: int = 1
    align: str = "left"
    left: int = 0  # GS L left margin, in dots
    qr_module: int = 3
    qr_ec: str = "L"
    qr_data: bytes | None = None
    bar_height: int = 162
    bar_width: int = 3
    bar_hri: bool = False


Event = tuple[bytes, list[ops.Op]]


class StreamDecoder:
    """Incremental decoder: :meth:`feed` returns ``(raw bytes, ops)`` per command."""

    def __init__(self, encoding: str = "gb18030") -> None:
        self.encoding = encoding
        self._buf = bytearray()
        self._offset = 0  # stream offset of _buf[0], for error messages
        self._mode = _Mode()
        self._text: list[str] = []
        self._text_style: _Mode | None = None

    def feed(self, data: bytes) -> list[Event]:
        """Decode as far as the bytes allow; keep an incomplete tail for next time."""
        self._buf += data
        events: list[Event] = []
        pos = 0
        try:
            while pos < len(self._buf):
                end, out = self._step(pos)
                events.append((bytes(self._buf[pos:end]), out))
                pos = end
        except _NeedMore:
            pass
        finally:
            del self._buf[:pos]
            self._offset += pos
        return events

    def finish(self) -> list[ops.Op]:
        """End of stream: a command cut short is an error; unprinted text is flushed."""
        if self._buf:
            raise DecodeError(f"stream ends inside a command at offset {self._offset}")
        return self._flush()

    def reset(self) -> None:
        """Forget everything (after an error, to resynchronise on the next job)."""
        self._buf.clear()
        self._mode, self._text, self._text_style = _Mode(), [], None

    # --- one command ------------------------------------------------------------------
    def _byte(self, pos: int) -> int:
        if pos >= len(self._buf):
            raise _NeedMore
        return self._buf[pos]

    def _fail(self, pos: int, what: str) -> DecodeError:
        return DecodeError(f"{what} at offset {self._offset + pos}")

    def _step(self, pos: int) -> tuple[int, list[ops.Op]]:
        b = self._buf[pos]
        if b >= 0x20 and b != 0x7F:
            return self._text_run(pos), []
        if b == LF:
            return pos + 1, self._flush(force=True)
        if b == CR:
            return pos + 1, []
        if b == ESC:
            return self._esc(pos)
        if b == GS:
            return self._gs(pos)
        if b == FS:
            return self._fs(pos)
        if b == DLE:
            if self._byte(pos + 1) != 0x04 or not 1 <= self._byte(pos + 2) <= 4:
                raise self._fail(pos, "unsupported DLE command")
            return pos + 3, [ops.StatusQuery(self._buf[pos + 2])]
        raise self._fail(pos, f"unexpected control byte 0x{b:02X}")

    def _text_run(self, pos: int) -> int:
        end = pos
        buf = self._buf
        while end < len(buf) and buf[end] >= 0x20 and buf[end] != 0x7F:
            if buf[end] < 0x80 or not self._mode.kanji:
                end += 1
                continue
            size = self._gb_char_size(end)
            if size == 0:  # a character split across reads
                break
            end += size
        if end == pos:
            raise _NeedMore
        raw = bytes(buf[pos:end])
        try:
            text = raw.decode(self.encoding if self._mode.kanji else "cp437")
        except UnicodeDecodeError as exc:
            raise self._fail(pos, f"bad {self.encoding} text") from exc
        if not self._text:
            self._text_style = dc.replace(self._mode)
        self._text.append(text)
        return end

    def _gb_char_size(self, pos: int) -> int:
        """2 or 4 for a valid GB character at ``pos``; 0 if cut off by the buffer end."""
        buf, n = self._buf, len(self._buf)
        lead = buf[pos]
        if not 0x81 <= lead <= 0xFE:
            raise self._fail(pos, f"byte 0x{lead:02X} cannot start a GB character")
        if pos + 1 >= n:
            return 0
        trail = buf[pos + 1]
        if 0x40 <= trail <= 0xFE and trail != 0x7F:
            return 2
        if self.encoding == "gb18030" and 0x30 <= trail <= 0x39:
            if pos + 3 >= n:
                return 0
            if 0x81 <= buf[pos + 2] <= 0xFE and 0x30 <= buf[pos + 3] <= 0x39:
                return 4
        raise self._fail(pos, f"bad {self.encoding} byte sequence")

    def _flush(self, force: bool = False) -> list[ops.Op]:
        """The pending text as a printed line (LF, ESC d, ESC J, cut, image...)."""
        if not self._text and not force:
            return []
        style = self._text_style or self._mode
        line = ops.Line(
            "".join(self._text), style.bold, style.width, style.height, style.align, style.left
        )
        self._text, self._text_style = [], None
        return [line]

    # --- command families -------------------------------------------------------------
    def _esc(self, pos: int) -> tuple[int, list[ops.Op]]:
        cmd, m = self._byte(pos + 1), self._mode
        if cmd == ord("@"):
            self._mode, self._text, self._text_style = _Mode(), [], None
            return pos + 2, [ops.Reset()]
        if cmd == ord("2"):
            return pos + 2, []
        n = self._byte(pos + 2)
        if cmd == ord("t") and n != 0:
            raise self._fail(pos, "only code page 0 (PC437) is decoded")
        if cmd in _ONE_ARG[ESC] or cmd == ord("3"):
            return pos + 3, []
        if cmd == ord("E"):
            m.bold = bool(n & 1)
        elif cmd == ord("!"):
            m.bold, m.height, m.width = bool(n & 0x08), 2 if n & 0x10 else 1, 2 if n & 0x20 else 1
        elif cmd == ord("a") and n in _ALIGN:
            m.align = _ALIGN[n]
        elif cmd == ord("d"):
            return pos + 3, [*self._flush(), ops.FeedLines(n)]
        elif cmd == ord("J"):
            return pos + 3, [*self._flush(), ops.FeedDots(n)]
        else:
            raise self._fail(pos, f"unsupported command ESC 0x{cmd:02X} {n}")
        return pos + 3, []

    def _fs(self, pos: int) -> tuple[int, list[ops.Op]]:
        cmd = self._byte(pos + 1)
        if cmd == ord("&"):
            self._mode.kanji = True
            return pos + 2, []
        if cmd == ord("."):
            self._mode.kanji = False
            return pos + 2, []
        if cmd in _ONE_ARG[FS]:
            self._byte(pos + 2)
            return pos + 3, []
        raise self._fail(pos, f"unsupported command FS 0x{cmd:02X}")

    def _gs(self, pos: int) -> tuple[int, list[ops.Op]]:
        cmd, m = self._byte(pos + 1), self._mode
        if cmd == ord("v"):
            return self._raster(pos)
        if cmd == ord("("):
            return self._two_d(pos)
        if cmd == ord("k"):
            return self._barcode(pos)
        n = self._byte(pos + 2)
        if cmd == ord("L"):
            m.left = n | self._byte(pos + 3) << 8
            return pos + 4, []
        if cmd == ord("!"):
            if n & 0x88:
                raise self._fail(pos, f"bad character size 0x{n:02X}")
            m.width, m.height = (n >> 4) + 1, (n & 0x07) + 1
        elif cmd == ord("V"):
            if n in (65, 66):
                feed = self._byte(pos + 3)
                mode = "full" if n == 65 else "partial"
                return pos + 4, [*self._flush(), ops.FeedDots(feed), ops.PaperCut(mode)]
            if n not in _CUT:
                raise self._fail(pos, f"bad cut mode {n}")
            return pos + 3, [*self._flush(), ops.PaperCut(_CUT[n])]
        elif cmd == ord("h"):
            m.bar_height = n
        elif cmd == ord("w"):
            m.bar_width = n
        elif cmd == ord("H"):
            m.bar_hri = n in (1, 2, 3, 49, 50, 51)
        elif cmd not in _ONE_ARG[GS]:
            raise self._fail(pos, f"unsupported command GS 0x{cmd:02X}")
        return pos + 3, []

    def _raster(self, pos: int) -> tuple[int, list[ops.Op]]:
        if self._byte(pos + 2) != ord("0") or self._byte(pos + 3) not in (
            0,
            1,
            2,
            3,
            48,
            49,
            50,
            51,
        ):
            raise self._fail(pos, "unsupported GS v variant")
        self._byte(pos + 7)
        b = self._buf
        width, height = b[pos + 4] | b[pos + 5] << 8, b[pos + 6] | b[pos + 7] << 8
        size = width * height
        if size == 0 or size > MAX_RASTER_BYTES:
            raise self._fail(pos, f"raster image of {width} x {height} bytes refused")
        end = pos + 8 + size
        self._byte(end - 1)
        image = ops.Raster(width, height, bytes(b[pos + 8 : end]), self._mode.left)
        return end, [*self._flush(), image]

    def _two_d(self, pos: int) -> tuple[int, list[ops.Op]]:
        if self._byte(pos + 2) != ord("k"):
            raise self._fail(pos, "unsupported GS ( function")
        length = self._byte(pos + 3) | self._byte(pos + 4) << 8
        end = pos + 5 + length
        self._byte(end - 1)
        body = bytes(self._buf[pos + 5 : end])
        if length < 3 or body[0] != ord("1"):
            raise self._fail(pos, "only QR codes (cn = 49) are decoded")
        fn, args, m = body[1], body[2:], self._mode
        if fn == 65 and len(args) == 2:
            return end, []
        if fn == 67 and len(args) == 1 and 1 <= args[0] <= 16:
            m.qr_module = args[0]
            return end, []
        if fn == 69 and len(args) == 1 and args[0] in _QR_EC:
            m.qr_ec = _QR_EC[args[0]]
            return end, []
        if fn == 80 and args[:1] == b"0":
            m.qr_data = args[1:]
            return end, []
        if fn == 81 and args == b"0":
            if not m.qr_data:
                return end, self._flush()
            return end, [*self._flush(), ops.QRCode(m.qr_data, m.qr_module, m.qr_ec, m.align)]
        raise self._fail(pos, f"bad QR function {fn}")

    def _barcode(self, pos: int) -> tuple[int, list[ops.Op]]:
        kind_code = self._byte(pos + 2)
        if kind_code not in _BARCODES:
            raise self._fail(pos, f"unsupported barcode system {kind_code}")
        if kind_code < 65:  # function A: NUL-terminated
            end = self._buf.find(b"\x00", pos + 3, pos + 3 + 256)
            if end < 0:
                if len(self._buf) < pos + 3 + 256:
                    raise _NeedMore
                raise self._fail(pos, "barcode data is not terminated")
            data, end = bytes(self._buf[pos + 3 : end]), end + 1
        else:
            n = self._byte(pos + 3)
            end = pos + 4 + n
            if n:
                self._byte(end - 1)
            data = bytes(self._buf[pos + 4 : end])
        kind, m = _BARCODES[kind_code], self._mode
        if kind == "CODE128" and data[:1] == b"{":
            data = data[2:]
        symbol = ops.BarcodeSymbol(kind, data, m.bar_height, m.bar_width, m.bar_hri, m.align)
        return end, [*self._flush(), symbol]


def decode(stream: bytes, encoding: str = "gb18030") -> ops.DecodedJob:
    """Decode a whole recorded stream; :class:`DecodeError` if it is malformed or cut short."""
    decoder = StreamDecoder(encoding)
    found = [op for _, out in decoder.feed(stream) for op in out]
    return ops.DecodedJob(tuple(found + decoder.finish()))
