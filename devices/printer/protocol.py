"""ESC/POS commands and real-time status, pure bytes in and bytes out.

Names follow the Epson *ESC/POS Application Programming Guide* / *ESC/POS Command
Reference* (the de-facto spec that Chinese thermal printers clone); the command is
named in each constant's comment. Byte values are shared with python-escpos's
``escpos.constants`` where it defines them (a test keeps the two in step).
Status layout: research/devices.md §4 and (b).
"""

from __future__ import annotations

import dataclasses as dc

from devices.status import DeviceState, DeviceStatus, MediaState, ProtocolError, SupplyLevel

ESC, GS, FS, DLE, EOT = b"\x1b", b"\x1d", b"\x1c", b"\x10", b"\x04"
LF = b"\n"

INIT = ESC + b"@"  # ESC @  initialize printer
KANJI_ON = FS + b"&"  # FS &   select Kanji (Chinese double-byte) character mode
KANJI_OFF = FS + b"."  # FS .   cancel Kanji character mode
BOLD = {False: ESC + b"E\x00", True: ESC + b"E\x01"}  # ESC E n  emphasized mode
ALIGN = {"left": ESC + b"a\x00", "center": ESC + b"a\x01", "right": ESC + b"a\x02"}  # ESC a n
CUT = {"full": GS + b"V\x00", "partial": GS + b"V\x01"}  # GS V m  select cut mode and cut
STATUS_QUERY = {n: DLE + EOT + bytes([n]) for n in (1, 2, 3, 4)}  # DLE EOT n real-time status

QR_EC = {"L": 48, "M": 49, "Q": 50, "H": 51}  # GS ( k fn 169 error-correction level n
BARCODE_SYSTEM = {"CODE39": 69, "EAN13": 67, "CODE128": 73}  # GS k m (function B)
RASTER_MAX = 0xFFFF


def char_size(width: int, height: int) -> bytes:
    """GS ! n: character size, width and height multipliers 1..8."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("character size multipliers must be 1..8")
    return GS + b"!" + bytes([(width - 1) << 4 | (height - 1)])


def feed_lines(n: int) -> bytes:
    """ESC d n: print the buffer and feed ``n`` lines."""
    return ESC + b"d" + bytes([n])


def feed_dots(n: int) -> bytes:
    """ESC J n: print the buffer and feed ``n`` dots (motion units)."""
    return ESC + b"J" + bytes([n])


def left_margin(dots: int) -> bytes:
    """GS L nL nH: set the left margin, in horizontal motion units (one dot at 203 dpi).

    Effective at the beginning of a line; it moves raster images (GS v 0) too, so an
    image is placed without sending blank bytes for the paper to its left.
    """
    if not 0 <= dots <= 0xFFFF:
        raise ValueError("left margin out of range")
    return GS + b"L" + dots.to_bytes(2, "little")


def raster(width_bytes: int, height: int, data: bytes) -> bytes:
    """GS v 0 m xL xH yL yH d1..dk: print a raster bit image, normal density (m = 0)."""
    if not (0 < width_bytes <= RASTER_MAX and 0 < height <= RASTER_MAX):
        raise ValueError("raster image size out of range")
    if len(data) != width_bytes * height:
        raise ValueError("raster data length does not match its size")
    size = width_bytes.to_bytes(2, "little") + height.to_bytes(2, "little")
    return GS + b"v0\x00" + size + data


def _qr_fn(fn: int, payload: bytes) -> bytes:
    """GS ( k pL pH cn fn [parameters]: one 2-D code function, cn = 49 (QR)."""
    return GS + b"(k" + (len(payload) + 2).to_bytes(2, "little") + b"1" + bytes([fn]) + payload


def qr_native(data: bytes, module: int, ec: str) -> bytes:
    """Model 2 QR: select model (fn 165), module size (167), EC (169), store (180), print (181)."""
    if len(data) + 3 > 0xFFFF:
        raise ValueError("QR payload too long")
    return (
        _qr_fn(65, b"2\x00")
        + _qr_fn(67, bytes([module]))
        + _qr_fn(69, bytes([QR_EC[ec]]))
        + _qr_fn(80, b"0" + data)
        + _qr_fn(81, b"0")
    )


def barcode(kind: str, data: bytes, height: int, module_width: int, hri: bool) -> bytes:
    """GS h / GS w / GS H, then GS k m n d1..dn (function B, length-prefixed)."""
    if kind == "CODE128":
        data = b"{B" + data  # code set B: all printable ASCII
    if len(data) > 255:
        raise ValueError("barcode data too long")
    setup = GS + b"h" + bytes([height]) + GS + b"w" + bytes([module_width])
    setup += GS + b"H" + (b"\x02" if hri else b"\x00")
    return setup + GS + b"k" + bytes([BARCODE_SYSTEM[kind], len(data)]) + data


# --- real-time status (DLE EOT n) -------------------------------------------------------
# Every answer byte has bit 1 and bit 4 set and bits 0 and 7 clear: 0x12 is "all clear".
STATUS_FIXED_MASK, STATUS_FIXED_VALUE = 0x93, 0x12
OFFLINE = 0x08  # n=1 bit 3: offline
COVER_OPEN = 0x04  # n=2 bit 2: cover is open
STOPPED_PAPER_END = 0x20  # n=2 bit 5: printing stopped by paper end
ERROR_OCCURRED = 0x40  # n=2 bit 6: an error occurred
CUTTER_ERROR = 0x08  # n=3 bit 3: autocutter error
UNRECOVERABLE = 0x20  # n=3 bit 5: unrecoverable error
AUTO_RECOVERABLE = 0x40  # n=3 bit 6: auto-recoverable error (e.g. head too hot)
NEAR_END = 0x0C  # n=4 bits 2-3: roll paper near-end sensor
PAPER_END = 0x60  # n=4 bits 5-6: roll paper end sensor


@dc.dataclass(frozen=True)
class PrinterFlags:
    """What the four DLE EOT answers say, as plain booleans."""

    online: bool = True
    cover_open: bool = False
    paper_near_end: bool = False
    paper_out: bool = False
    cutter_error: bool = False
    unrecoverable_error: bool = False
    auto_recoverable_error: bool = False
    error_occurred: bool = False  # n=2 bit 6, whatever n=3 says about the cause


def check_status_byte(n: int, value: int) -> int:
    """The byte if it is shaped like a DLE EOT answer; ``ProtocolError`` otherwise."""
    if value & STATUS_FIXED_MASK != STATUS_FIXED_VALUE:
        raise ProtocolError(f"byte 0x{value:02X} is not a DLE EOT {n} status answer")
    return value


def status_bytes(flags: PrinterFlags) -> dict[int, int]:
    """The answers a printer in state ``flags`` gives to DLE EOT 1..4 (the simulator)."""
    base = STATUS_FIXED_VALUE
    error = (
        flags.cutter_error
        or flags.unrecoverable_error
        or flags.auto_recoverable_error
        or flags.error_occurred
    )
    offline = not flags.online or flags.cover_open or flags.paper_out or error
    return {
        1: base | (OFFLINE if offline else 0),
        2: base
        | (COVER_OPEN if flags.cover_open else 0)
        | (STOPPED_PAPER_END if flags.paper_out else 0)
        | (ERROR_OCCURRED if error else 0),
        3: base
        | (CUTTER_ERROR if flags.cutter_error else 0)
        | (UNRECOVERABLE if flags.unrecoverable_error else 0)
        | (AUTO_RECOVERABLE if flags.auto_recoverable_error else 0),
        4: base | (NEAR_END if flags.paper_near_end else 0) | (PAPER_END if flags.paper_out else 0),
    }


def parse_flags(answers: dict[int, int]) -> PrinterFlags:
    """Flags from the answers to DLE EOT 1..4; a missing answer reads as all-clear bits,
    so callers must report which answers they actually got (see :func:`to_device_status`)."""
    a = {n: check_status_byte(n, answers.get(n, STATUS_FIXED_VALUE)) for n in (1, 2, 3, 4)}
    return PrinterFlags(
        online=not a[1] & OFFLINE,
        cover_open=bool(a[2] & COVER_OPEN),
        paper_near_end=bool(a[4] & NEAR_END),
        paper_out=bool(a[4] & PAPER_END) or bool(a[2] & STOPPED_PAPER_END),
        cutter_error=bool(a[3] & CUTTER_ERROR),
        unrecoverable_error=bool(a[3] & UNRECOVERABLE),
        auto_recoverable_error=bool(a[3] & AUTO_RECOVERABLE),
        error_occurred=bool(a[2] & ERROR_OCCURRED),
    )


def to_device_status(answers: dict[int, int]) -> DeviceStatus:
    """The common status record from the DLE EOT answers received (``{n: byte}``).

    No answer to DLE EOT 1 means nothing is known: see :func:`unknown_status`. The most
    serious condition names the status in ``detail``; every flag is kept in ``vendor``.
    """
    if 1 not in answers:
        return unknown_status("no_status_answer")
    flags = parse_flags(answers)
    device, detail = _state_of(flags)
    if 4 in answers or flags.paper_out:
        paper = (
            SupplyLevel.OUT
            if flags.paper_out
            else SupplyLevel.LOW
            if flags.paper_near_end
            else SupplyLevel.FULL
        )
    else:
        paper = SupplyLevel.UNKNOWN
    vendor: dict[str, object] = dc.asdict(flags)
    vendor["status_known"] = True
    vendor["answers"] = {n: f"0x{b:02X}" for n, b in sorted(answers.items())}
    return DeviceStatus(device=device, supplies={"paper": paper}, detail=detail, vendor=vendor)


def _state_of(flags: PrinterFlags) -> tuple[DeviceState, str]:
    """The state and ``detail`` of the most serious condition that holds."""
    conditions = (  # most serious first
        (flags.unrecoverable_error, DeviceState.HARDWARE_ERROR, "unrecoverable_error"),
        (flags.cutter_error, DeviceState.HARDWARE_ERROR, "cutter_error"),
        (flags.cover_open, DeviceState.USER_ERROR, "cover_open"),
        (flags.paper_out, DeviceState.USER_ERROR, "paper_out"),
        (flags.auto_recoverable_error, DeviceState.OFFLINE, "recovering"),
        (flags.error_occurred, DeviceState.HARDWARE_ERROR, "error"),
        (not flags.online, DeviceState.OFFLINE, "offline"),
        (flags.paper_near_end, DeviceState.ONLINE, "paper_near_end"),
    )
    for holds, state, detail in conditions:
        if holds:
            return state, detail
    return DeviceState.ONLINE, ""


def unknown_status(detail: str, device: DeviceState = DeviceState.OFFLINE) -> DeviceStatus:
    """A status that admits it knows nothing: never reported as fine.

    ``device`` is OFFLINE for a printer that should answer and did not; a printer that
    cannot answer by design passes ONLINE (bytes can be sent) with paper UNKNOWN.
    """
    return DeviceStatus(
        device=device,
        media=MediaState.UNKNOWN,
        supplies={"paper": SupplyLevel.UNKNOWN},
        detail=detail,
        vendor={"status_known": False},
    )


def status_known(status: DeviceStatus) -> bool:
    """Whether ``status`` came from the printer's own answers."""
    return bool(status.vendor.get("status_known", False))
