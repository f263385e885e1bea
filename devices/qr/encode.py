"""QR symbols for tests, the simulator and the benchmark, with the encodings seen in China.

``qrcode`` picks its own segments and never writes an ECI. Real codes reaching a kiosk
come in three byte layouts, and the decoder must be pinned against each:

- UTF-8 bytes in byte mode, no ECI (WeChat, Alipay and most generators);
- an ECI 26 (UTF-8) designator, then the bytes (ISO/IEC 18004:2015 §7.4.2, AIM ECI);
- GBK / GB18030 bytes in byte mode, no ECI (older Chinese generators).

This module writes the bit stream itself (mode indicators and character counts per
ISO/IEC 18004:2015 §7.4, Table 3) and lets ``qrcode`` do the error correction, masking
and module placement. The symbol comes back as a boolean module matrix.
"""

from __future__ import annotations

import numpy as np
import qrcode
from qrcode import constants, util

ECI_MODE = 0b0111  # §7.4.2: mode indicator of an ECI segment
BYTE_MODE = 0b0100
ECI_UTF8 = 26  # AIM ECI assignment for UTF-8
ECI_GB18030 = 32  # AIM ECI assignment for GB 18030

EC_LEVELS = {
    "L": constants.ERROR_CORRECT_L,
    "M": constants.ERROR_CORRECT_M,
    "Q": constants.ERROR_CORRECT_Q,
    "H": constants.ERROR_CORRECT_H,
}


def payload_bytes(text: str | bytes, encoding: str = "utf-8") -> bytes:
    """The bytes a generator puts in the symbol for ``text``."""
    return text if isinstance(text, bytes) else text.encode(encoding)


def qr_matrix(
    text: str | bytes,
    *,
    encoding: str = "utf-8",
    eci: int | None = None,
    ec: str = "M",
    border: int = 4,
) -> np.ndarray:
    """The symbol for ``text`` as a bool matrix (True = dark), quiet zone included.

    ``encoding`` turns a ``str`` into bytes; ``eci`` (e.g. :data:`ECI_UTF8`) prefixes an
    ECI designator. Without an ECI, ``qrcode`` segments the bytes as it likes (numeric,
    alphanumeric, byte), as ordinary generators do.
    """
    if ec not in EC_LEVELS:
        raise ValueError(f"error correction must be one of L, M, Q, H; got {ec!r}")
    data = payload_bytes(text, encoding)
    qr = qrcode.QRCode(error_correction=EC_LEVELS[ec], border=border)
    if eci is None:
        qr.add_data(data)
        qr.make(fit=True)
    else:
        if not 0 <= eci <= 999_999:
            raise ValueError(f"an ECI designator is 0..999999, not {eci}")
        version = _fit_version(data, eci, EC_LEVELS[ec])
        qr.version = version
        qr.data_cache = _eci_codewords(data, eci, version, EC_LEVELS[ec])
        qr.make(fit=False)
    return np.array(qr.get_matrix(), dtype=bool)


def code_image(matrix: np.ndarray, module: int = 5) -> np.ndarray:
    """A printed-looking code: ``matrix``'s dark modules black on white, ``module`` px
    square each (grey uint8)."""
    img = np.where(matrix, 0, 255).astype(np.uint8)
    return np.repeat(np.repeat(img, module, axis=0), module, axis=1)


def _eci_bits(eci: int, data: bytes, version: int) -> util.BitBuffer:
    """ECI segment, then one byte-mode segment (§7.4.2.2 designator lengths: 8/16/24 bits)."""
    buf = util.BitBuffer()
    buf.put(ECI_MODE, 4)
    if eci < 128:
        buf.put(eci, 8)
    elif eci < 16384:
        buf.put(0b10 << 14 | eci, 16)
    else:
        buf.put(0b110 << 21 | eci, 24)
    buf.put(BYTE_MODE, 4)
    buf.put(len(data), util.length_in_bits(util.MODE_8BIT_BYTE, version))
    for byte in data:
        buf.put(byte, 8)
    return buf


def _fit_version(data: bytes, eci: int, ec: int) -> int:
    for version in range(1, 41):
        bits = len(_eci_bits(eci, data, version))
        if bits <= util.BIT_LIMIT_TABLE[ec][version]:
            return version
    raise ValueError(f"{len(data)} bytes do not fit in a QR code at this error correction")


def _eci_codewords(data: bytes, eci: int, version: int, ec: int) -> list[int]:
    """Data plus error-correction codewords, padded as ``qrcode.util.create_data`` does."""
    buf = _eci_bits(eci, data, version)
    blocks = qrcode.base.rs_blocks(version, ec)
    limit = sum(block.data_count * 8 for block in blocks)
    for _ in range(min(limit - len(buf), 4)):  # terminator
        buf.put_bit(False)
    while len(buf) % 8:
        buf.put_bit(False)
    pads = (limit - len(buf)) // 8
    for i in range(pads):
        buf.put(util.PAD0 if i % 2 == 0 else util.PAD1, 8)
    return util.create_bytes(buf, blocks)
