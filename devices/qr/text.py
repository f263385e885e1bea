"""From the bytes in a QR code to text: raw bytes, then ECI, then the likeliest charset.

Pure functions. A QR code carries bytes; which characters they mean is declared only
when the generator wrote an ECI designator (ISO/IEC 18004:2015 §7.4.2), and most
generators write none: WeChat and Alipay put UTF-8 bytes in byte mode, older Chinese
systems put GBK, Japanese ones Shift_JIS. Libraries guess, and guess wrong here: ZBar
reads a short all-Chinese UTF-8 payload as Shift-JIS (王芳 → 邇玖患) and every GBK
payload as garbage (research/perf.md "QR decoding"); zxing-cpp reads GBK as ISO-8859-1.
So the backends hand over raw bytes and this module decides:

1. a declared ECI is obeyed (its codec, strictly);
2. otherwise a leading UTF-8 BOM means UTF-8 (the BOM is dropped);
3. otherwise the likeliest reading among UTF-8, GB18030 (a superset of GBK and GB2312)
   and Shift_JIS, weighed as text by :mod:`devices.qr.charset`;
4. otherwise ISO-8859-1, the standard's default, which cannot fail.

The backends' raw bytes come in the AIM "transmitted data" form (ISO/IEC 15424,
ISO/IEC 18004:2015 Annex F): an optional symbology identifier ``]Qn``; for n = 2, 4, 6
the ECI protocol is in force and ``\\nnnnnn`` switches the ECI while ``\\\\`` is one
backslash.
"""

from __future__ import annotations

import dataclasses as dc
import re

from devices.qr import charset

# AIM ECI assignments (AIM ECI Part 3 register) → Python codecs. 899 is "8-bit binary".
ECI_CODECS: dict[int, str] = {
    0: "cp437",
    1: "latin-1",
    2: "cp437",
    3: "latin-1",
    4: "iso8859_2",
    5: "iso8859_3",
    6: "iso8859_4",
    7: "iso8859_5",
    8: "iso8859_6",
    9: "iso8859_7",
    10: "iso8859_8",
    11: "iso8859_9",
    12: "iso8859_10",
    13: "iso8859_11",
    15: "iso8859_13",
    16: "iso8859_14",
    17: "iso8859_15",
    18: "iso8859_16",
    20: "shift_jis",
    21: "cp1250",
    22: "cp1251",
    23: "cp1252",
    24: "cp1256",
    25: "utf-16-be",
    26: "utf-8",
    27: "ascii",
    28: "big5",
    29: "gb18030",  # GB 2312; GB 18030 decodes it and tolerates GBK extensions
    30: "euc_kr",
    31: "gbk",
    32: "gb18030",
    33: "utf-16-le",
    34: "utf-32-be",
    35: "utf-32-le",
    170: "ascii",
}
ECI_BINARY = 899
_ECI_MODES = {ord("2"), ord("4"), ord("6")}  # ]Q2, ]Q4, ]Q6: the ECI protocol applies
_SYMBOLOGY = re.compile(rb"\][A-Za-z][0-9A-Za-z]")


@dc.dataclass(frozen=True)
class Segment:
    """A run of bytes under one ECI (``None``: no ECI declared)."""

    eci: int | None
    data: bytes


@dc.dataclass(frozen=True)
class Text:
    """Decoded text and how, per run: ``eci:26``, ``utf-8``, ``gb18030``, ``shift_jis``
    or ``latin-1``."""

    text: str
    encodings: tuple[str, ...]


def parse_transmitted(data: bytes) -> list[Segment]:
    """Split AIM transmitted data (``]Q2\\000026...``) into ECI segments.

    Without a symbology identifier, or with one that does not use the ECI protocol, the
    whole input is one segment with no ECI. A backslash not followed by a backslash or
    six digits is kept as a byte (a lenient reading of damaged input, never an error).
    """
    if not _SYMBOLOGY.match(data):
        return [Segment(None, bytes(data))] if data else []
    eci_protocol = data[2] in _ECI_MODES
    body = data[3:]
    if not eci_protocol:
        return [Segment(None, bytes(body))] if body else []
    segments: list[Segment] = []
    eci: int | None = None
    run = bytearray()
    i = 0
    while i < len(body):
        byte = body[i]
        if byte == 0x5C and body[i + 1 : i + 2] == b"\\":
            run.append(0x5C)
            i += 2
        elif byte == 0x5C and body[i + 1 : i + 7].isdigit() and len(body[i + 1 : i + 7]) == 6:
            if run:
                segments.append(Segment(eci, bytes(run)))
                run = bytearray()
            eci = int(body[i + 1 : i + 7])
            i += 7
        else:
            run.append(byte)
            i += 1
    if run:
        segments.append(Segment(eci, bytes(run)))
    return segments


def decode_segments(segments: list[Segment]) -> Text:
    """The text of ``segments``: each run by its ECI, or by :func:`guess_text`.

    Neighbouring runs without a usable ECI are joined first, so a character split
    across two segments still decodes.
    """
    parts: list[str] = []
    how: list[str] = []
    for eci, data in _merge(segments):
        codec = ECI_CODECS.get(eci) if eci is not None else None
        text = _strict(data, codec) if codec else None
        if text is not None:
            parts.append(text)
            how.append(f"eci:{eci}")
            continue
        text, label = guess_text(data)
        parts.append(text)
        how.append(label)
    return Text("".join(parts), tuple(how))


def guess_text(data: bytes) -> tuple[str, str]:
    """Bytes with no declared charset: the likeliest of UTF-8, GB18030 and Shift_JIS
    (:func:`devices.qr.charset.guess`), else ISO-8859-1. Returns (text, codec)."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = _strict(data[3:], "utf-8")
        if text is not None:
            return text, "utf-8"
    try:
        return charset.guess(data)
    except ValueError:
        return data.decode("latin-1"), "latin-1"


def decode_transmitted(data: bytes) -> Text:
    """:func:`parse_transmitted` then :func:`decode_segments`."""
    return decode_segments(parse_transmitted(data))


def _strict(data: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _merge(segments: list[Segment]) -> list[tuple[int | None, bytes]]:
    """Join neighbours that share an ECI, treating unknown ECIs (and 899) as none."""
    out: list[tuple[int | None, bytes]] = []
    for seg in segments:
        eci = seg.eci if seg.eci in ECI_CODECS else None
        if out and out[-1][0] == eci:
            out[-1] = (eci, out[-1][1] + seg.data)
        else:
            out.append((eci, seg.data))
    return out
