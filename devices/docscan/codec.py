"""Image bytes in and out: safe decoding of untrusted stills, JPEG pages, multi-page PDF.

Decoding treats every input as hostile: the format must be one of a short list, the
dimensions are checked from the header before any pixel is decoded (so a decompression
bomb costs nothing), and a truncated file is an error rather than a grey-filled picture.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, TiffImagePlugin, UnidentifiedImageError

from devices.docscan.page import CorruptImage, ScannedPage
from devices.docscan.pdf import PdfImage, build_pdf
from devices.status import DeviceUnavailable

log = logging.getLogger(__name__)

ACCEPTED_FORMATS = ("JPEG", "PNG", "TIFF", "BMP", "WEBP")
STILL_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp")  # those formats
MAX_PIXELS = 64_000_000  # a 50 MP phone photo passes; an absurd header does not
_EXIF_ORIENTATION = 0x0112
_TIFF_STRIP_OFFSETS, _TIFF_STRIP_BYTE_COUNTS = 273, 279


def still_files(path: str) -> list[Path]:
    """The still at ``path``, or every still in the folder ``path`` in name order: what a
    ``file:`` camera shows. :class:`DeviceUnavailable` when there is none."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.suffix.lower() in STILL_SUFFIXES)
    elif p.is_file():
        files = [p]
    else:
        raise DeviceUnavailable(f"no image file or folder at {path}")
    if not files:
        raise DeviceUnavailable(f"no images ({', '.join(STILL_SUFFIXES)}) in {path}")
    return files


def decode_image(
    data: bytes, *, max_pixels: int = MAX_PIXELS, max_side: int | None = None
) -> np.ndarray:
    """Decode a still to a BGR uint8 array (H, W, 3), EXIF orientation applied.

    ``max_side`` asks for a reduced image (long side at most that), decoded cheaply with
    JPEG DCT scaling where possible: the screen preview. Raises :class:`CorruptImage`.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"image data must be bytes, not {type(data).__name__}")
    if len(data) == 0:
        raise CorruptImage("empty image data")
    try:
        im = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise CorruptImage(f"image dimensions are absurd: {exc}") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise CorruptImage(f"not an image in a supported format ({len(data)} bytes)") from exc
    with im:
        w, h = im.size
        if w < 1 or h < 1 or w * h > max_pixels:
            raise CorruptImage(f"image is {w}x{h} pixels; the limit is {max_pixels}")
        jpeg = im.format == "JPEG"
        bgr = _decode_jpeg(data, max(w, h), max_side) if jpeg else _decode_other(im)
    if max_side is not None and max(bgr.shape[:2]) > max_side:
        bgr = fit_within(bgr, max_side)
    return bgr


_REDUCED = (
    (8, cv2.IMREAD_REDUCED_COLOR_8),
    (4, cv2.IMREAD_REDUCED_COLOR_4),
    (2, cv2.IMREAD_REDUCED_COLOR_2),
)


def _decode_jpeg(data: bytes, long_side: int, max_side: int | None) -> np.ndarray:
    """libjpeg-turbo through OpenCV (3x faster than via Pillow + numpy), with DCT scaling.

    A JPEG whose last scan has no end-of-image marker after it is truncated: some
    decoders would quietly paint the missing part grey.
    """
    buf = bytes(data)
    if buf.rfind(b"\xff\xd9") < buf.rfind(b"\xff\xda"):
        raise CorruptImage(f"JPEG data is truncated ({len(buf)} bytes)")
    flag = cv2.IMREAD_COLOR
    if max_side is not None:
        flag = next((f for r, f in _REDUCED if long_side / r >= max_side), flag)
    img = cv2.imdecode(np.frombuffer(buf, np.uint8), flag)
    if img is None or img.size == 0:
        raise CorruptImage(f"JPEG data is corrupt ({len(buf)} bytes)")
    return img


def _decode_other(im: Image.Image) -> np.ndarray:
    """PNG, TIFF, BMP, WebP through Pillow, which reports truncation as an error."""
    try:
        if im.getexif().get(_EXIF_ORIENTATION, 1) != 1:
            im = ImageOps.exif_transpose(im)
        rgb = im if im.mode == "RGB" else im.convert("RGB")
        arr = np.asarray(rgb)
    except Exception as exc:  # Pillow's decoders raise many kinds on hostile data
        raise CorruptImage(f"image data is corrupt or truncated: {exc}") from exc
    return cv2.cvtColor(arr, cv2.COLOR_RGB2BGR)


def fit_within(image: np.ndarray, max_side: int) -> np.ndarray:
    """``image`` shrunk (never enlarged) so that its long side is at most ``max_side``."""
    h, w = image.shape[:2]
    scale = max_side / max(h, w)
    if scale >= 1:
        return image
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


# JPEG quality per page mode. Grey 60: on the dense synthetic A4 page at 200 dpi it
# gives ~235 KB against 290 KB at 75, with stroke contrast unchanged (0.995 of the
# unencoded page) and no visible difference in the text (bench/bench_docscan.py); the
# flattened page is pure white paper, so the bytes go to glyph edges, where quality 60
# still keeps them. Pre-filters (median, Gaussian, bilateral) cost 8 % stroke contrast.
QUALITY = {"grey": 60, "colour": 70, "bw": 60}
MIN_QUALITY = 40  # the floor when a page must fit a byte limit


def encode_jpeg(
    page: ScannedPage, quality: int | None = None, *, max_bytes: int | None = None
) -> bytes:
    """The page as a JPEG with its dpi recorded; grey pages stay one-channel.

    ``quality`` defaults per mode (:data:`QUALITY`). With ``max_bytes``, the quality is
    lowered in steps of 5 (not below :data:`MIN_QUALITY`) until the page fits.
    """
    q = quality if quality is not None else QUALITY.get(page.mode, 70)
    data = _jpeg(page, q)
    while max_bytes is not None and len(data) > max_bytes and q > MIN_QUALITY:
        q = max(MIN_QUALITY, q - 5)
        data = _jpeg(page, q)
    return data


def _jpeg(page: ScannedPage, quality: int) -> bytes:
    img = page.image
    pil = Image.fromarray(cv2.cvtColor(img, cv2.COLOR_BGR2RGB) if img.ndim == 3 else img)
    buf = io.BytesIO()
    pil.save(
        buf, "JPEG", quality=quality, optimize=True, progressive=True, dpi=(page.dpi, page.dpi)
    )
    return buf.getvalue()


def page_from_jpeg(data: bytes, *, dpi: int, mode: str = "grey") -> ScannedPage:
    """A page back from :func:`encode_jpeg`'s bytes (to stamp or re-send it).

    Grey and bitonal pages come back one-channel (bitonal re-thresholded to 0/255), colour
    pages BGR. Raises :class:`CorruptImage` for data that is not such a page.
    """
    bgr = decode_image(data)
    if mode == "colour":
        return ScannedPage(bgr, None, (), dpi, mode="colour", method="jpeg")
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    if mode == "bw":
        grey = np.where(grey < 128, 0, 255).astype(np.uint8)
    return ScannedPage(grey, None, (), dpi, mode=mode, method="jpeg")


def encode_pdf(pages: Sequence[ScannedPage], quality: int | None = None) -> bytes:
    """A multi-page PDF, one page per scan at its physical size.

    Grey and colour pages are embedded as the JPEG of :func:`encode_jpeg`, bitonal pages
    as CCITT Group 4, which is what keeps a page near 50 KB on a slow village link.
    """
    images = [pdf_image(page, quality) for page in pages]
    out = build_pdf(images)
    log.debug("PDF of %d pages, %d bytes", len(images), len(out))
    return out


def pdf_image(page: ScannedPage, quality: int | None = None) -> PdfImage:
    """One page compressed as :func:`encode_pdf` embeds it (its bytes tell the page's size)."""
    h, w = page.image.shape[:2]
    if page.mode == "bw" and page.image.ndim == 2:
        data, kind = _g4_strip(page), "g4"
    else:
        data = encode_jpeg(page, quality)
        kind = "jpeg-rgb" if page.image.ndim == 3 else "jpeg-grey"
    return PdfImage(data=data, kind=kind, width=w, height=h, dpi=float(page.dpi))


def _g4_strip(page: ScannedPage) -> bytes:
    """The page's CCITT Group 4 data, cut from a single-strip TIFF written by libtiff."""
    h, w = page.image.shape
    buf = io.BytesIO()
    bitonal = Image.fromarray(page.image, "L").convert("1", dither=Image.Dither.NONE)
    bitonal.save(buf, "TIFF", compression="group4", strip_size=(w + 7) // 8 * h)
    buf.seek(0)
    with TiffImagePlugin.TiffImageFile(buf) as tiff:
        offsets = tiff.tag_v2[_TIFF_STRIP_OFFSETS]
        counts = tiff.tag_v2[_TIFF_STRIP_BYTE_COUNTS]
    offset = offsets[0] if isinstance(offsets, tuple) else offsets
    count = counts[0] if isinstance(counts, tuple) else counts
    return buf.getvalue()[offset : offset + count]
