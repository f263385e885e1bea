"""What a QR backend finds, and what the reader hands out."""

from __future__ import annotations

import dataclasses as dc
from typing import Any, Protocol

import numpy as np

from devices.qr.text import Segment
from devices.status import DeviceError


class QrError(DeviceError):
    """Base of the QR layer's errors (a backend that cannot load, a bad image)."""

    code = "qrError"


class BackendUnavailable(QrError):
    code = "qrBackendUnavailable"


@dc.dataclass(frozen=True, eq=False)
class RawCode:
    """One symbol as a backend saw it.

    ``segments``: the payload bytes per ECI (see :mod:`devices.qr.text`), empty when
    ``decoded`` is False: a symbol was located (finder patterns, a grid) but its data
    could not be read, which tells the reader where a second, closer look may pay off.
    ``position``: (4, 2) float64 corners top-left, top-right, bottom-right, bottom-left
    of the symbol as printed, in the pixels of the image that was read.
    """

    segments: tuple[Segment, ...]
    position: np.ndarray
    decoded: bool = True
    format: str = "QRCode"


class Backend(Protocol):
    """A decoding library behind one call: a grey uint8 image in, symbols out."""

    name: str

    def read(self, grey: np.ndarray, *, binarizer: str = "local") -> list[RawCode]:
        """Every QR symbol in ``grey``; ``binarizer`` is a hint some backends ignore."""
        ...


@dc.dataclass(frozen=True)
class QrCode:
    """A decoded QR code.

    ``text`` follows :func:`devices.qr.text.decode_segments`; ``data`` is the payload's
    raw bytes (ECI escapes removed), for callers that want to check them themselves;
    ``position`` is in the pixels of the frame given to the reader; ``found_by`` names
    the pass that read it (``raw``, ``roi``, ``stretch``, ``upscale``, ``track``).
    """

    text: str
    data: bytes
    position: tuple[tuple[float, float], ...]
    format: str = "QRCode"
    encodings: tuple[str, ...] = ()
    backend: str = ""
    found_by: str = "raw"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``kiosk qr decode``: text, format, position."""
        return {
            "text": self.text,
            "format": self.format,
            "position": [[round(x, 1), round(y, 1)] for x, y in self.position],
        }
