"""The ZBar backend, through pyzbar's ctypes bindings, with ZBar's binary mode on.

``pyzbar.decode`` lets ZBar turn the payload into text, and ZBar guesses: Shift-JIS for
short all-Chinese UTF-8 payloads, garbage for GBK (research/perf.md "QR decoding").
ZBar ≥ 0.23.1 has ``ZBAR_CFG_BINARY`` (config value 4 in ``zbar.h``'s
``zbar_config_t``) which pyzbar does not expose: set through
``zbar_image_scanner_set_config`` it makes ZBar hand over the payload bytes untouched
when the symbol declares no ECI (``qrdectxt.c``). With an ECI ZBar knows (ISO-8859-x,
Shift-JIS, UTF-8) it still converts to UTF-8 itself; an ECI it does not know (GB 18030)
leaves the bytes raw. Either way :func:`devices.qr.text.guess_text` reads the result
right, so every symbol comes out as one segment with no ECI.

ZBar reports decoded symbols only; it cannot say "a code is here but unreadable".
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import threading

import numpy as np

from devices.qr.model import BackendUnavailable, RawCode
from devices.qr.text import Segment

log = logging.getLogger(__name__)

ZBAR_QRCODE = 64  # zbar_symbol_type_t
ZBAR_NONE = 0
ZBAR_CFG_ENABLE = 0
ZBAR_CFG_BINARY = 4  # zbar.h (0.23.1+): "don't convert binary data to text"
Y800 = 0x30303859  # fourcc "Y800": 8-bit grey


class ZbarBackend:
    """One ZBar image scanner, QR only, binary mode; calls are serialised by a lock."""

    name = "zbar"
    ms_per_mpx = 30.0  # a whole frame, for the reader's budget (measured: bench/bench_qr.py)
    ms_per_look = 10.0  # a closer look at a region; the reader learns the real cost
    slow = True  # ~60 ms per 1080p frame: the reader looks at likely regions first

    def __init__(self) -> None:
        try:
            from pyzbar import wrapper as zw

            zw.load_libzbar()
        except (ImportError, OSError) as exc:
            raise BackendUnavailable(f"ZBar cannot be loaded (libzbar0, pyzbar): {exc}") from exc
        self._zw = zw
        self._lock = threading.Lock()
        self._scanner = zw.zbar_image_scanner_create()
        if not self._scanner:
            raise BackendUnavailable("ZBar could not create an image scanner")
        zw.zbar_image_scanner_set_config(self._scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0)
        zw.zbar_image_scanner_set_config(self._scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1)
        failed = zw.zbar_image_scanner_set_config(self._scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1)
        self.binary_mode = failed == 0
        if not self.binary_mode:
            log.warning("this ZBar has no binary mode (< 0.23.1): Chinese text may be misread")

    def read(self, grey: np.ndarray, *, binarizer: str = "local") -> list[RawCode]:
        """ZBar binarises by itself; ``binarizer`` is ignored."""
        zw = self._zw
        img = np.ascontiguousarray(grey, dtype=np.uint8)
        h, w = img.shape[:2]
        with self._lock:
            image = zw.zbar_image_create()
            if not image:
                raise BackendUnavailable("ZBar could not create an image")
            try:
                zw.zbar_image_set_format(image, Y800)
                zw.zbar_image_set_size(image, w, h)
                zw.zbar_image_set_data(image, img.ctypes.data, img.size, None)
                zw.zbar_scan_image(self._scanner, image)
                return list(self._symbols(image))
            finally:
                zw.zbar_image_destroy(image)

    def _symbols(self, image: object) -> list[RawCode]:
        zw = self._zw
        out = []
        symbol = zw.zbar_image_first_symbol(image)
        while symbol:
            size = zw.zbar_symbol_get_data_length(symbol)
            data = ctypes.string_at(zw.zbar_symbol_get_data(symbol), size)
            n = zw.zbar_symbol_get_loc_size(symbol)
            loc = [
                (zw.zbar_symbol_get_loc_x(symbol, i), zw.zbar_symbol_get_loc_y(symbol, i))
                for i in range(n)
            ]
            out.append(RawCode((Segment(None, data),), _corners(loc)))
            symbol = zw.zbar_symbol_next(symbol)
        return out

    def close(self) -> None:
        with self._lock:
            if self._scanner:
                self._zw.zbar_image_scanner_destroy(self._scanner)
                self._scanner = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at exit the library may be gone already
            self.close()


def _corners(loc: list[tuple[int, int]]) -> np.ndarray:
    """ZBar's QR location (``qrdectxt.c``: bbox corners 0, 2, 3, 1) as TL, TR, BR, BL."""
    if len(loc) != 4:
        pts = np.array(loc or [(0, 0)], np.float64)
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        return np.array([lo, [hi[0], lo[1]], hi, [lo[0], hi[1]]], np.float64)
    tl, bl, br, tr = loc
    return np.array([tl, tr, br, bl], np.float64)
