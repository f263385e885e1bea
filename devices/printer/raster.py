"""Pictures of things the printer cannot draw itself: text without a Chinese font, QR codes
without native 2-D support, logos. Also the glyph drawing the PNG renderer shares.

Text is drawn on the printer's own grid (12-dot columns, 24-dot rows) with Noto Sans
Mono CJK SC, whose Latin is exactly half and whose ideographs exactly one em wide, so a
rasterized line looks and wraps like the printer's ROM font.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator

import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.exceptions import DataOverflowError

from devices.printer.layout import EncodeError, char_cols
from devices.status import DeviceUnavailable

GLYPH_DOTS = 24  # the printer font's cell height (12 x 24 Latin, 24 x 24 Chinese)
FRAGMENT_ROWS = 960  # split tall images, as python-escpos does, to spare small buffers
_FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")
_FONT_FILES = {False: "NotoSansCJK-Regular.ttc", True: "NotoSansCJK-Bold.ttc"}
_MONO_SC = 7  # face index of "Noto Sans Mono CJK SC" inside the .ttc collection
_QR_EC = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


@functools.lru_cache(maxsize=32)
def font(px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Noto Sans Mono CJK SC at ``px`` pixels; ``DeviceUnavailable`` if not installed."""
    name = os.environ.get("BIANMIN_CJK_FONT") or _FONT_FILES[bold]
    for folder in ("", *_FONT_DIRS):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return ImageFont.truetype(path, px, index=_MONO_SC)
    raise DeviceUnavailable(f"the Noto Sans CJK font ({name}) is not installed")


@functools.lru_cache(maxsize=8192)
def _advance(ch: str, px: int, bold: bool) -> float:
    return font(px, bold).getlength(ch)


@functools.lru_cache(maxsize=8192)
def has_glyph(ch: str) -> bool:
    """Whether Noto Sans CJK draws ``ch`` (otherwise it would print as an empty box)."""
    f = font(GLYPH_DOTS)
    mask = f.getmask(ch)
    if ch.isspace():
        return True
    return (mask.size, bytes(mask)) != _notdef()


@functools.lru_cache(maxsize=1)
def _notdef() -> tuple[tuple[int, int], bytes]:
    mask = font(GLYPH_DOTS).getmask("\U000f0000")  # a private-use plane: never in the font
    return mask.size, bytes(mask)


@functools.lru_cache(maxsize=16384)
def glyph(ch: str, px: int, bold: bool) -> Image.Image:
    """Ink coverage ("L", 255 = black) of one character in its printer cell.

    Cached: FreeType rasterizes each glyph once, and a receipt is a few hundred pastes.
    Narrow glyphs in a two-column GB cell (``·``, ``“``) are centred in the cell.
    """
    width = char_cols(ch) * (px // 2)
    mask = Image.new("L", (width, px), 0)
    offset = (width - _advance(ch, px, bold)) / 2
    baseline = round(px * 0.88)  # Noto CJK: the ideographic em box sits 0.88 em above base
    ImageDraw.Draw(mask).text((offset, baseline), ch, font=font(px, bold), fill=255, anchor="ls")
    return mask


def draw_text(canvas: Image.Image, x: int, y: int, text: str, px: int, bold: bool) -> None:
    """Draw ``text`` in black with its top-left at ``(x, y)``, one glyph per printer cell."""
    cell = px // 2
    col = 0
    for ch in text:
        width = char_cols(ch)
        if ch != " ":
            left = x + col * cell
            canvas.paste(0, (left, y, left + width * cell, y + px), glyph(ch, px, bold))
        col += width


def text_image(text: str, cols: int, col_dots: int, size: int, bold: bool) -> Image.Image:
    """A greyscale ("L") picture of one line, ``cols`` printer columns wide."""
    px = GLYPH_DOTS * size
    img = Image.new("L", (max(cols * col_dots * size, 8), px), 255)
    draw_text(img, 0, 0, text, px, bold)
    return img


def pack(ink: np.ndarray) -> tuple[int, int, bytes]:
    """(width in bytes, height, data) of a boolean ink mask, as GS v 0 wants it."""
    height, width = ink.shape
    pad = (-width) % 8
    if pad:
        ink = np.pad(ink, ((0, 0), (0, pad)))
    data = np.packbits(ink, axis=1)
    return data.shape[1], height, data.tobytes()


def ink_of(img: Image.Image, dither: bool = False) -> np.ndarray:
    """Boolean mask, True where the printer should burn a dot."""
    grey = img.convert("L")
    if dither:
        return ~np.asarray(grey.convert("1"), dtype=bool)
    return np.asarray(grey) < 128


def fragments(ink: np.ndarray) -> Iterator[np.ndarray]:
    """Row slices of at most :data:`FRAGMENT_ROWS`."""
    for top in range(0, ink.shape[0], FRAGMENT_ROWS):
        yield ink[top : top + FRAGMENT_ROWS]


def place(ink: np.ndarray, width_dots: int, align: str) -> np.ndarray:
    """Shift a mask right so it sits ``align`` on paper ``width_dots`` wide.

    Only left padding is added: GS v 0 images start at the left margin everywhere,
    while ESC a alignment of images varies between printer makes.
    """
    free = max(width_dots - ink.shape[1], 0)
    left = {"center": free // 2, "right": free}.get(align, 0)
    left -= left % 8  # whole bytes keep the data aligned
    return np.pad(ink, ((0, 0), (left, 0)))


def picture_ink(img: Image.Image, width_dots: int) -> np.ndarray:
    """A logo or photo scaled down to the paper and dithered to dots."""
    if img.width > width_dots:
        height = max(1, round(img.height * width_dots / img.width))
        img = img.convert("L").resize((width_dots, height), Image.Resampling.LANCZOS)
    if img.mode in ("RGBA", "LA", "P"):
        background = Image.new("RGBA", img.size, "white")
        img = Image.alpha_composite(background, img.convert("RGBA"))
    return ink_of(img, dither=True)


def qr_modules(data: bytes, ec: str) -> int:
    """Side of the smallest QR symbol holding ``data``, in modules (no matrix built)."""
    code = qrcode.QRCode(error_correction=_QR_EC[ec], box_size=1, border=0)
    code.add_data(data)
    try:
        version = code.best_fit()
    except (ValueError, DataOverflowError) as exc:  # more data than version 40 holds
        raise EncodeError(f"QR payload of {len(data)} bytes is too long") from exc
    return 17 + 4 * version


def qr_ink(data: bytes, module: int, ec: str) -> np.ndarray:
    """A QR code as dots: ``module`` dots per module, no quiet zone (the paper is it)."""
    code = qrcode.QRCode(error_correction=_QR_EC[ec], box_size=1, border=0)
    code.add_data(data)
    try:
        code.make(fit=True)
    except (ValueError, DataOverflowError) as exc:  # more data than version 40 holds
        raise EncodeError(f"QR payload of {len(data)} bytes is too long") from exc
    matrix = np.asarray(code.get_matrix(), dtype=bool)
    return np.kron(matrix, np.ones((module, module), dtype=bool))
