"""Decoding the card's WLT photo through a licensed vendor library, when there is one.

WLT is a proprietary compressed format; no open decoder exists (research §2.5). Reader
vendors ship one as a shared library (commonly ``libwlt.so``) exporting
``int unpack(char *wlt, char *out, int save_bmp)`` that returns 1 on success and fills
``out`` with either a 102×126 24-bit BMP file or the bare BGR pixels. We pass
``save_bmp=0`` so the library never writes the citizen's face to a file, and wrap bare
pixels into a BMP ourselves. Without a library the kiosk simply has no photo: every
failure returns None and logs why — never the photo, never who it belongs to.
"""

from __future__ import annotations

import ctypes
import functools
import logging
from typing import Any

log = logging.getLogger(__name__)

WLT_SIZE = 1024
PHOTO_WIDTH, PHOTO_HEIGHT = 102, 126
RAW_SIZE = PHOTO_WIDTH * PHOTO_HEIGHT * 3
_OUT_SIZE = 64 * 1024  # generous: a BMP of the photo is 38 862 bytes
_BMP_HEADER = 54


def decode_photo(wlt: bytes, library_path: str | None, *, symbol: str = "unpack") -> bytes | None:
    """The photo as BMP bytes, or None (with one log line saying why) if it cannot be had."""
    if library_path is None:
        log.info("idcard photo: no WLT decoder library configured")
        return None
    if len(wlt) != WLT_SIZE:
        log.warning("idcard photo: WLT data is %d bytes, expected %d", len(wlt), WLT_SIZE)
        return None
    unpack = _function(library_path, symbol)  # a ctypes function, or None
    if unpack is None:
        return None
    out = ctypes.create_string_buffer(_OUT_SIZE)
    rc = unpack(ctypes.create_string_buffer(wlt, WLT_SIZE), out, 0)
    if rc != 1:
        log.warning("idcard photo: decoder returned %d", rc)
        return None
    return _as_bmp(out.raw)


@functools.lru_cache(maxsize=4)
def _library(path: str) -> ctypes.CDLL:
    return ctypes.CDLL(path)


def _function(path: str, symbol: str) -> Any:
    try:
        fn = getattr(_library(path), symbol)
    except OSError as exc:
        log.warning("idcard photo: cannot load WLT decoder %s: %s", path, exc)
        return None
    except AttributeError:
        log.warning("idcard photo: WLT decoder %s has no function %r", path, symbol)
        return None
    fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
    fn.restype = ctypes.c_int
    return fn


def _as_bmp(out: bytes) -> bytes:
    """The decoder's output as a BMP file, whichever of the two forms it produced."""
    if out[:2] == b"BM":
        size = int.from_bytes(out[2:6], "little")
        if _BMP_HEADER < size <= len(out):
            return out[:size]
    return bmp_from_bgr(out[:RAW_SIZE], PHOTO_WIDTH, PHOTO_HEIGHT)


def bmp_from_bgr(pixels: bytes, width: int, height: int) -> bytes:
    """A bottom-up 24-bit BMP from unpadded BGR rows (already in bottom-up order)."""
    stride = width * 3
    padded = (stride + 3) & ~3
    rows = b"".join(
        pixels[i * stride : (i + 1) * stride] + bytes(padded - stride) for i in range(height)
    )
    le = _le
    info = le(40, 4) + le(width, 4) + le(height, 4) + le(1, 2) + le(24, 2) + le(0, 4)
    info += le(len(rows), 4) + le(2835, 4) + le(2835, 4) + le(0, 4) + le(0, 4)
    head = b"BM" + le(_BMP_HEADER + len(rows), 4) + le(0, 4) + le(_BMP_HEADER, 4)
    return head + info + rows


def _le(value: int, size: int) -> bytes:
    return value.to_bytes(size, "little")
