"""QR codes: decoding behind one interface, two backends, text decoded our way.

``open_reader("zxing")`` (the default, chosen by bench/bench_qr.py: 87 % of the hard
synthetic set read against ZBar's 75 %, at a fifth of the time) or
``open_reader("zbar")`` gives a :class:`QrReader`; its ``read(frame)`` returns
:class:`QrCode` records (text, format, position). The text follows
:mod:`devices.qr.text`: raw bytes, then ECI, then the likeliest of UTF-8, GB18030 and
Shift_JIS (:mod:`devices.qr.charset`).

    reader = open_reader("zxing")
    for code in reader.read(frame):
        handle(code.text)

Pure decoding: no camera here (``devices.camera`` captures frames) and no meaning
(``kiosk.receipts.qrcodes`` tells our receipts from e-ID tokens).
"""

from __future__ import annotations

from devices.qr.model import Backend, BackendUnavailable, QrCode, QrError, RawCode
from devices.qr.reader import QrReader, to_grey
from devices.qr.track import Debounce, Track

BACKENDS = ("zxing", "zbar")
DEFAULT_BACKEND = "zxing"


def open_backend(name: str = DEFAULT_BACKEND) -> Backend:
    """The backend called ``name`` (``zxing`` or ``zbar``); :class:`BackendUnavailable`
    when its library is not installed."""
    if name == "zxing":
        from devices.qr.zxing import ZxingBackend

        return ZxingBackend()
    if name == "zbar":
        from devices.qr.zbar import ZbarBackend

        return ZbarBackend()
    raise ValueError(f"QR backend must be one of {', '.join(BACKENDS)}; got {name!r}")


def open_reader(
    name: str = DEFAULT_BACKEND, *, improve: bool = True, budget_ms: float | None = 24.0
) -> QrReader:
    """A :class:`QrReader` over the backend ``name``; see :class:`QrReader` for options."""
    return QrReader(open_backend(name), improve=improve, budget_ms=budget_ms)


__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "Backend",
    "BackendUnavailable",
    "Debounce",
    "QrCode",
    "QrError",
    "QrReader",
    "RawCode",
    "Track",
    "open_backend",
    "open_reader",
    "to_grey",
]
