"""A decoded print job drawn as the paper that would come out of the printer.

White paper exactly the profile's dot width, text on the printer's 12/24-dot grid in
Noto Sans Mono CJK (the look of a thermal printer's ROM font), QR codes redrawn from
their payload, raster images as sent, a dashed line where the cutter cuts. The kiosk
demo shows this picture as "your receipt"; tests scan its QR code back.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable

import numpy as np
from PIL import Image, ImageDraw

from devices.printer import ops, raster
from devices.printer.decode import decode
from devices.printer.layout import align_offset, text_cols
from devices.printer.profiles import PrinterProfile, get_profile

log = logging.getLogger(__name__)
MARGIN_DOTS = 24  # paper above the first line and below the last cut
HRI_DOTS = 30  # the human-readable line under a barcode
MAX_DOTS = 80_000  # 10 m of paper: a stream asking for more is not a receipt


def render_stream(data: bytes, profile: PrinterProfile | str = "80mm") -> Image.Image:
    """Decode ``data`` (``DecodeError`` if malformed) and draw it."""
    prof = get_profile(profile)
    return render_ops(decode(data, prof.encoding).ops, prof)


def render_png(data: bytes, profile: PrinterProfile | str = "80mm") -> bytes:
    """PNG bytes of :func:`render_stream`."""
    buf = io.BytesIO()
    render_stream(data, profile).save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def render_ops(found: Iterable[ops.Op], profile: PrinterProfile | str = "80mm") -> Image.Image:
    """A greyscale ("L") image ``profile.width_dots`` wide of the printed ops."""
    prof = get_profile(profile)
    painter = _Painter(prof)
    items = [op for op in found if not isinstance(op, ops.StatusQuery | ops.Reset)]
    height = MARGIN_DOTS * 2 + sum(painter.height(op) for op in items)
    if height > MAX_DOTS:
        raise ValueError(f"job is {height} dots long; not rendering more than {MAX_DOTS}")
    canvas = Image.new("L", (prof.width_dots, max(height, 1)), 255)
    y = MARGIN_DOTS
    for op in items:
        painter.draw(op, canvas, y)
        y += painter.height(op)
    return canvas


class _Painter:
    def __init__(self, profile: PrinterProfile) -> None:
        self.p = profile
        self._qr: dict[tuple[bytes, int, str], np.ndarray] = {}

    def height(self, op: ops.Op) -> int:
        spacing = self.p.line_spacing_dots
        if isinstance(op, ops.Line):
            return raster.GLYPH_DOTS * op.height + spacing - raster.GLYPH_DOTS
        if isinstance(op, ops.FeedLines):
            return op.lines * spacing
        if isinstance(op, ops.FeedDots):
            return op.dots
        if isinstance(op, ops.Raster):
            return op.height
        if isinstance(op, ops.QRCode):
            return self._qr_ink(op).shape[0]
        if isinstance(op, ops.BarcodeSymbol):
            return op.height + (HRI_DOTS if op.hri else 0)
        if isinstance(op, ops.PaperCut):
            return MARGIN_DOTS
        return 0

    def draw(self, op: ops.Op, canvas: Image.Image, y: int) -> None:
        if isinstance(op, ops.Line):
            self._line(op, canvas, y)
        elif isinstance(op, ops.Raster):
            self._paste(op.ink(), canvas, min(op.left, self.p.width_dots), y)
        elif isinstance(op, ops.QRCode):
            ink = self._qr_ink(op)
            self._paste(raster.place(ink, self.p.width_dots, op.align), canvas, 0, y)
        elif isinstance(op, ops.BarcodeSymbol):
            self._barcode(op, canvas, y)
        elif isinstance(op, ops.PaperCut):
            draw = ImageDraw.Draw(canvas)
            mid = y + MARGIN_DOTS // 2
            for x in range(0, self.p.width_dots, 16):
                draw.line((x, mid, x + 8, mid), fill=150, width=2)

    def _line(self, op: ops.Line, canvas: Image.Image, y: int) -> None:
        cols = text_cols(op.text)
        col = self.p.column_dots
        left = min(op.left, self.p.width_dots)  # GS L: the printing area starts there
        x = left + align_offset(cols * col * op.width, self.p.width_dots - left, op.align)
        if op.width == op.height:
            raster.draw_text(canvas, x, y, op.text, raster.GLYPH_DOTS * op.height, op.bold)
            return
        img = raster.text_image(op.text, cols, col, op.height, op.bold)
        img = img.resize((cols * col * op.width, img.height), Image.Resampling.BILINEAR)
        canvas.paste(img, (x, y))

    def _qr_ink(self, op: ops.QRCode) -> np.ndarray:
        key = (op.data, op.module, op.ec)
        if key not in self._qr:
            self._qr[key] = raster.qr_ink(op.data, op.module, op.ec)
        return self._qr[key]

    def _barcode(self, op: ops.BarcodeSymbol, canvas: Image.Image, y: int) -> None:
        modules = _barcode_modules(op)
        bars = np.repeat(
            np.frombuffer(modules.encode(), dtype=np.uint8) == ord("1"), op.module_width
        )
        ink = np.broadcast_to(bars, (op.height, bars.size))
        self._paste(raster.place(ink, self.p.width_dots, op.align), canvas, 0, y)
        if op.hri:
            text = op.data.decode("ascii", errors="replace")
            x = align_offset(len(text) * self.p.column_dots, self.p.width_dots, op.align)
            raster.draw_text(canvas, x, y + op.height + 3, text, raster.GLYPH_DOTS, False)

    def _paste(self, ink: np.ndarray, canvas: Image.Image, x: int, y: int) -> None:
        ink = ink[:, : self.p.width_dots - x]
        if ink.size:
            canvas.paste(Image.fromarray(np.where(ink, 0, 255).astype(np.uint8)), (x, y))


def _barcode_modules(op: ops.BarcodeSymbol) -> str:
    """The bar pattern as '1'/'0' modules, from python-barcode; a solid block if the
    symbology is not one it knows (the picture still shows where the barcode went)."""
    import barcode  # python-barcode, installed with python-escpos

    names = {"CODE128": "code128", "CODE39": "code39", "EAN13": "ean13", "EAN8": "ean8"}
    try:
        cls = barcode.get_barcode_class(names[op.kind])
        kwargs = {"add_checksum": False} if op.kind == "CODE39" else {}
        return str(cls(op.data.decode("ascii"), **kwargs).build()[0])
    except Exception as exc:  # python-barcode raises many types for bad data
        log.warning("cannot redraw %s barcode: %s", op.kind, type(exc).__name__)
        return "1" * 64
