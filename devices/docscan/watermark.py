"""A visible watermark across a scanned page, as the material policy asks for one.

国办函〔2016〕108号 has verified copies carry "此件经与原件核对无误，仅供办理…使用"
(research/features.md §2.3), and a citizen's copies are commonly marked "仅供办理…使用，
他用无效" so that they cannot be reused elsewhere. The text repeats in diagonal rows over
the whole page, light enough that the page stays legible: on grey and colour pages it
tints the paper and leaves dark ink dark; on bitonal pages the glyphs are drawn as
outlines, so the page stays pure black and white. Pure: a new page comes back.
"""

from __future__ import annotations

import dataclasses as dc
import functools
import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from devices.docscan.page import ScannedPage

FONT_PATH = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_INDEX = 2  # the Simplified Chinese face inside the Noto CJK collection
TEXT_MM = 5.0  # glyph height
ROW_MM = 45.0  # distance between rows of text
ANGLE = 30.0  # degrees, rising to the right
OPACITY = 0.28
TINT = (110, 110, 110)  # BGR; grey reads as a watermark on any paper


def stamp(
    page: ScannedPage,
    text: str,
    *,
    opacity: float = OPACITY,
    tint: tuple[int, int, int] = TINT,
    font_path: str = FONT_PATH,
) -> ScannedPage:
    """``page`` with ``text`` repeated diagonally over it; ``ValueError`` for bad input."""
    if not text.strip():
        raise ValueError("a watermark needs some text")
    if not 0.0 < opacity <= 1.0:
        raise ValueError(f"opacity must be in (0, 1], not {opacity}")
    h, w = page.image.shape[:2]
    mask = text_mask(text, (w, h), page.dpi, font_path)
    if page.mode == "bw" and page.image.ndim == 2:
        image = _outline(page.image, mask)
    else:
        image = _tint(page.image, mask, opacity, tint)
    return dc.replace(page, image=image)


@functools.lru_cache(maxsize=8)
def text_mask(text: str, size: tuple[int, int], dpi: int, font_path: str = FONT_PATH) -> np.ndarray:
    """A uint8 mask (255 = glyph) of ``text`` in diagonal rows over a page of ``size``."""
    w, h = size
    side = math.ceil(math.hypot(w, h))  # a square that still covers the page once turned
    font = _font(font_path, max(8, round(TEXT_MM / 25.4 * dpi)))
    canvas = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(canvas)
    row = max(1, round(ROW_MM / 25.4 * dpi))
    unit = text.strip() + "　" * 2
    line_width = max(1.0, draw.textlength(unit, font=font))
    line = unit * (math.ceil(side / line_width) + 1)
    for i, y in enumerate(range(0, side, row)):
        offset = -(i % 2) * line_width / 2  # rows staggered, like a banknote's
        draw.text((offset, y), line, font=font, fill=255)
    turned = canvas.rotate(ANGLE, resample=Image.Resampling.BILINEAR)
    x0, y0 = (side - w) // 2, (side - h) // 2
    mask = np.asarray(turned)[y0 : y0 + h, x0 : x0 + w].copy()
    mask.flags.writeable = False
    return mask


@functools.lru_cache(maxsize=4)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, size, index=FONT_INDEX)
    except OSError as exc:
        raise ValueError(f"no CJK font for the watermark at {path} (fonts-noto-cjk)") from exc


def _tint(
    image: np.ndarray, mask: np.ndarray, opacity: float, tint: tuple[int, int, int]
) -> np.ndarray:
    """Blend towards ``tint`` under the glyphs, never lightening what is already darker.

    Only the pixels under a glyph (about a tenth of the page) are computed.
    """
    under = mask > 0
    alpha = mask[under].astype(np.float32) * (opacity / 255.0)
    src = image[under].astype(np.float32)
    if image.ndim == 3:
        alpha = alpha[:, None]
        ink = np.array(tint, np.float32)
    else:
        ink = np.array(0.299 * tint[2] + 0.587 * tint[1] + 0.114 * tint[0], np.float32)
    out = image.copy()
    out[under] = np.minimum(src, src * (1.0 - alpha) + ink * alpha).round().astype(np.uint8)
    return out


def _outline(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Black one-pixel outlines of the glyphs on a 0/255 page."""
    solid = mask >= 128
    inner = cv2.erode(solid.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    out = image.copy()
    out[solid & ~inner] = 0
    return out
