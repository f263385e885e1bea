"""Document primitives to ESC/POS bytes for one printer profile. Pure: no I/O.

Chinese goes out as text in the printer's own font: each line holding non-ASCII is
wrapped in FS & … FS . (Kanji mode on, off) and encoded in the profile's GB18030 or GBK,
character by character, so nothing slips through as a code-page ``?`` the way
python-escpos's MagicEncode does for strings without ideographs (research/devices.md §4).
A line the printer cannot show — no Chinese font, or a character outside its encoding —
is drawn with Noto Sans CJK and sent as a raster image (``unencodable="raster"``), or
refused with :class:`EncodeError` (``unencodable="error"``). Never a silent ``?``.
"""

from __future__ import annotations

import dataclasses as dc
import functools
from collections.abc import Iterable
from typing import Literal

import numpy as np

from devices.printer import document, raster
from devices.printer import protocol as p
from devices.printer.layout import (
    EncodeError,
    align_offset,
    key_value_lines,
    normalize,
    separator_line,
    text_cols,
    wrap,
)
from devices.printer.profiles import PrinterProfile, get_profile

Unencodable = Literal["raster", "error"]
_PRIVATE_USE = range(0xE000, 0xF900)
_EXT_A = range(0x3400, 0x4DC0)  # GB18030 four-byte ideographs that GB18030 fonts carry
# A raster QR costs (module x modules)^2 / 8 bytes on the wire: 4 dots (0.5 mm) per module
# still scans with any phone and keeps a receipt under 3 s at 115200 baud.
RASTER_QR_MODULE = 4


@functools.lru_cache(maxsize=16384)
def gb_bytes(ch: str, encoding: str) -> bytes | None:
    """The printer's bytes for one non-ASCII character, or None if its font lacks it.

    Only double-byte codes count, plus GB18030's four-byte CJK Extension A on GB18030
    printers; four-byte codes for anything else (``•``, emoji) print as junk.
    """
    if ord(ch) in _PRIVATE_USE:
        return None
    try:
        code = ch.encode(encoding)
    except UnicodeEncodeError:
        return None
    if len(code) == 2 and 0x81 <= code[0] <= 0xFE:
        return code
    if len(code) == 4 and encoding == "gb18030" and ord(ch) in _EXT_A:
        return code
    return None


def encode_chars(text: str, profile: PrinterProfile) -> bytes | None:
    """Text bytes of a line, or None if it must be drawn as a picture."""
    if text.isascii():
        return text.encode("ascii")
    if not profile.has_chinese_font:
        return None
    out = bytearray()
    for ch in text:
        if ord(ch) < 0x80:
            out.append(ord(ch))
            continue
        code = gb_bytes(ch, profile.encoding)
        if code is None:
            return None
        out += code
    return bytes(out)


@dc.dataclass
class _Style:
    align: str = "left"
    size: int = 1
    bold: bool = False
    margin: int = 0  # GS L, in dots


class Encoder:
    """Lays out and encodes documents for one profile; see the module docstring."""

    def __init__(self, profile: PrinterProfile | str, *, unencodable: Unencodable = "raster"):
        self.profile = get_profile(profile)
        if unencodable not in ("raster", "error"):
            raise ValueError("unencodable must be 'raster' or 'error'")
        self.unencodable = unencodable

    def encode(self, doc: Iterable[document.Element]) -> bytes:
        """The complete job: ESC @, then every element in order."""
        self._out = bytearray(p.INIT)
        self._style = _Style()
        for element in doc:
            self._element(element)
        return bytes(self._out)

    def _element(self, el: document.Element) -> None:
        cols = self.profile.columns
        match el:
            case document.Text():
                for line in wrap(normalize(el.text), cols // el.size):
                    self._line(line, el.size, el.bold, el.align)
            case document.KeyValue():
                key, sep, value = normalize(el.key), normalize(el.sep), normalize(el.value)
                for line in key_value_lines(key, sep, value, cols):
                    self._line(line, 1, el.bold, "left")
            case document.Separator():
                self._line(separator_line(normalize(el.char), cols), 1, False, "left")
            case document.QR():
                self._qr(el)
            case document.Barcode():
                self._set(align="center", margin=0)
                data = el.data.encode("ascii")
                self._out += p.barcode(el.kind, data, el.height, el.module_width, el.hri)
            case document.Image():
                self._raster(raster.picture_ink(el.image, self.profile.width_dots), el.align)
            case document.Feed():
                if el.lines:
                    self._out += p.feed_lines(el.lines)
            case document.Cut():
                self._cut(el)
            case _:
                raise TypeError(f"not a document element: {type(el).__name__}")

    def _set(
        self,
        align: str | None = None,
        size: int | None = None,
        bold: bool | None = None,
        margin: int | None = None,
    ) -> None:
        """Emit ESC a / GS ! / ESC E / GS L only when the printer's mode actually changes."""
        s = self._style
        if margin is not None and margin != s.margin:
            self._out += p.left_margin(margin)
            s.margin = margin
        if align is not None and align != s.align:
            self._out += p.ALIGN[align]
            s.align = align
        if size is not None and size != s.size:
            self._out += p.char_size(size, size)
            s.size = size
        if bold is not None and bold != s.bold:
            self._out += p.BOLD[bold]
            s.bold = bold

    def _line(self, line: str, size: int, bold: bool, align: str) -> None:
        code = encode_chars(line, self.profile)
        if code is None:
            if self.unencodable == "error":
                raise EncodeError(_unencodable_detail(line, self.profile))
            self._raster_line(line, size, bold, align)
            return
        self._set(align=align, size=size, bold=bold, margin=0)
        if line.isascii():
            self._out += code + p.LF
        else:
            self._out += p.KANJI_ON + code + p.KANJI_OFF + p.LF

    def _raster_line(self, line: str, size: int, bold: bool, align: str) -> None:
        """One line as a picture, cropped to its ink; ESC J supplies the blank rows."""
        missing = sorted({f"U+{ord(ch):04X}" for ch in line if not raster.has_glyph(ch)})
        if missing:
            raise EncodeError(f"no glyph for {', '.join(missing)} in the printer or in Noto CJK")
        prof = self.profile
        img = raster.text_image(line, text_cols(line), prof.column_dots, size, bold)
        ink = raster.ink_of(img)
        line_dots = raster.GLYPH_DOTS * size + prof.line_spacing_dots - raster.GLYPH_DOTS
        rows = np.flatnonzero(ink.any(axis=1))
        if rows.size == 0:
            self._feed_dots(line_dots)
            return
        top, bottom = int(rows[0]), int(rows[-1]) + 1
        self._feed_dots(top)
        self._raster(ink[top:bottom], align)
        self._feed_dots(line_dots - bottom)

    def _raster(self, ink: np.ndarray, align: str = "left") -> None:
        """Send a mask as GS v 0 images, sitting ``align`` on the paper.

        Only the columns holding ink go on the wire: the blank paper to their left is a
        GS L margin (or, for a profile without GS L, blank bytes as python-escpos sends).
        """
        width = self.profile.width_dots
        box_left = align_offset(ink.shape[1], width, align)
        box_left -= box_left % 8  # both ways place the image on the same byte grid
        cols = np.flatnonzero(ink.any(axis=0))
        first, last = (int(cols[0]), int(cols[-1]) + 1) if cols.size else (0, 1)
        skip = first - first % 8 if self.profile.left_margin else 0  # keep dots on a byte grid
        ink = ink[:, skip:last]
        if self.profile.left_margin:
            margin = min(box_left + skip, width - 8)
        else:
            margin, ink = 0, np.pad(ink, ((0, 0), (box_left, 0)))
        self._set(align="left", margin=margin)  # GS v 0: the margin places it, not ESC a
        for part in raster.fragments(ink):
            self._out += p.raster(*raster.pack(part))

    def _feed_dots(self, dots: int) -> None:
        while dots > 0:
            self._out += p.feed_dots(min(dots, 255))
            dots -= 255

    def _qr(self, el: document.QR) -> None:
        data = el.data.encode("utf-8")
        size = el.size if self.profile.native_qr else min(el.size, RASTER_QR_MODULE)
        module = _fit_module(data, size, el.ec, self.profile.width_dots)
        quiet = 2 * module
        self._feed_dots(quiet)
        if self.profile.native_qr:
            self._set(align="center", margin=0)
            self._out += p.qr_native(data, module, el.ec)
        else:
            self._raster(raster.qr_ink(data, module, el.ec), "center")
        self._feed_dots(quiet)

    def _cut(self, el: document.Cut) -> None:
        self._set(margin=0)
        self._out += p.feed_lines(self.profile.feed_before_cut)
        if self.profile.cut != "none":
            self._out += p.CUT[el.mode or self.profile.cut]


def _fit_module(data: bytes, size: int, ec: str, width_dots: int) -> int:
    """The largest module size up to ``size`` at which the symbol fits the paper."""
    modules = raster.qr_modules(data, ec)
    fit = min(size, width_dots // modules)
    if fit < 1:
        raise EncodeError(f"QR code of {modules} modules does not fit {width_dots} dots")
    return fit


def _unencodable_detail(line: str, profile: PrinterProfile) -> str:
    """Names the code points only: the line itself may hold personal data."""
    bad = sorted({ch for ch in line if ord(ch) >= 0x80 and encode_chars(ch, profile) is None})
    points = ", ".join(f"U+{ord(ch):04X}" for ch in bad)
    return f"profile {profile.name} ({profile.encoding}) cannot print {points} as text"


def encode(
    doc: Iterable[document.Element],
    profile: PrinterProfile | str = "80mm",
    *,
    unencodable: Unencodable = "raster",
) -> bytes:
    """Encode ``doc`` for ``profile``: the bytes of one complete print job."""
    return Encoder(profile, unencodable=unencodable).encode(doc)
