"""The zxing-cpp backend (PyPI ``zxing-cpp``), QR only.

Read in ``TextMode.HexECI``: the library then hands over the payload's exact bytes in
AIM transmitted form (symbology identifier, ECI escapes), which :mod:`devices.qr.text`
turns into text by our rules instead of zxing's guess (which reads GBK without an ECI
as Latin-1). ``return_errors=True`` also returns symbols that were located but failed
error correction: the reader looks at those again, closer.

Restricting the formats to QR codes is what makes zxing-cpp fast: with every format
enabled it is ~9x slower per frame (research/perf.md "QR decoding"). ``try_invert`` is
off by default for the same reason: the library would read every frame twice, once
inverted, code or no code; the reader inverts a frame itself, and only one in which
something looks like a code (:mod:`devices.qr.reader`).
"""

from __future__ import annotations

import logging

import numpy as np

from devices.qr.model import BackendUnavailable, RawCode
from devices.qr.text import parse_transmitted

log = logging.getLogger(__name__)

_BINARIZERS = ("local", "global", "fixed")


class ZxingBackend:
    """zxing-cpp's ``read_barcodes`` with the options a kiosk camera needs."""

    name = "zxing"
    ms_per_mpx = 4.0  # a whole frame, for the reader's budget (measured: bench/bench_qr.py)
    ms_per_look = 1.5  # a closer look at a region; the reader learns the real cost
    slow = False

    def __init__(self, *, try_invert: bool = False, try_downscale: bool = True) -> None:
        try:
            import zxingcpp
        except ImportError as exc:  # a kiosk image without the wheel
            raise BackendUnavailable("zxing-cpp is not installed (pip zxing-cpp)") from exc
        self._z = zxingcpp
        self._binarizers = {
            "local": zxingcpp.Binarizer.LocalAverage,
            "global": zxingcpp.Binarizer.GlobalHistogram,
            "fixed": zxingcpp.Binarizer.FixedThreshold,
        }
        self._try_invert = try_invert
        self._try_downscale = try_downscale

    def read(self, grey: np.ndarray, *, binarizer: str = "local") -> list[RawCode]:
        if binarizer not in _BINARIZERS:
            raise ValueError(f"binarizer must be one of {_BINARIZERS}, not {binarizer!r}")
        z = self._z
        found = z.read_barcodes(
            np.ascontiguousarray(grey),
            formats=z.BarcodeFormat.QRCode,
            try_rotate=True,
            try_downscale=self._try_downscale,
            try_invert=self._try_invert,
            text_mode=z.TextMode.HexECI,
            binarizer=self._binarizers[binarizer],
            return_errors=True,
        )
        return [_raw(b) for b in found]


def _raw(barcode: object) -> RawCode:
    p = barcode.position  # type: ignore[attr-defined]
    corners = np.array(
        [
            [p.top_left.x, p.top_left.y],
            [p.top_right.x, p.top_right.y],
            [p.bottom_right.x, p.bottom_right.y],
            [p.bottom_left.x, p.bottom_left.y],
        ],
        np.float64,
    )
    valid = bool(barcode.valid)  # type: ignore[attr-defined]
    if not valid:
        return RawCode((), corners, decoded=False)
    try:
        data = bytes.fromhex(barcode.text)  # type: ignore[attr-defined]
    except ValueError:  # not hex: an older zxing-cpp without HexECI; take its bytes
        log.warning("zxing-cpp returned no hex text; ECI information is lost")
        data = bytes(barcode.bytes)  # type: ignore[attr-defined]
    return RawCode(tuple(parse_transmitted(data)), corners)
