"""Device-level document primitives: what a receipt is made of, before any bytes.

The kiosk builds a receipt as a list of these (``kiosk/receipts``); the encoder lays them
out for one printer profile and turns them into ESC/POS. They carry no layout numbers of
their own: widths and wrapping come from the profile at encoding time, so one document
prints on 58 mm and 80 mm paper alike.
"""

from __future__ import annotations

import dataclasses as dc
from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

Align = Literal["left", "center", "right"]
QrLevel = Literal["L", "M", "Q", "H"]
BarcodeKind = Literal["CODE128", "CODE39", "EAN13"]
CutKind = Literal["partial", "full"]

_ALIGNS = ("left", "center", "right")
MAX_SIZE = 8  # GS ! accepts 1..8 times width and height


@dc.dataclass(frozen=True)
class Text:
    """A paragraph; wrapped to the column count divided by ``size``.

    ``size`` multiplies glyph width and height alike (GS !). Newlines start new lines.
    """

    text: str
    size: int = 1
    bold: bool = False
    align: Align = "left"

    def __post_init__(self) -> None:
        if not 1 <= self.size <= MAX_SIZE:
            raise ValueError(f"text size must be 1..{MAX_SIZE}, got {self.size}")
        if self.align not in _ALIGNS:
            raise ValueError(f"align must be one of {_ALIGNS}, got {self.align!r}")


@dc.dataclass(frozen=True)
class Separator:
    """A full-width rule made of ``char`` (one or two columns wide)."""

    char: str = "-"

    def __post_init__(self) -> None:
        if len(self.char) != 1:
            raise ValueError("separator char must be exactly one character")


@dc.dataclass(frozen=True)
class KeyValue:
    """``key：value``; the value wraps under itself (hanging indent) when it is long."""

    key: str
    value: str
    sep: str = "："
    bold: bool = False


@dc.dataclass(frozen=True)
class QR:
    """A QR code; ``size`` is the module size in dots (GS ( k function 167: 1..16)."""

    data: str
    size: int = 6
    ec: QrLevel = "M"

    def __post_init__(self) -> None:
        if not self.data:
            raise ValueError("QR data must not be empty")
        if not 1 <= self.size <= 16:
            raise ValueError(f"QR module size must be 1..16, got {self.size}")
        if self.ec not in ("L", "M", "Q", "H"):
            raise ValueError(f"QR error correction must be L, M, Q or H, got {self.ec!r}")


@dc.dataclass(frozen=True)
class Barcode:
    """A 1-D barcode printed by the printer (GS k), human-readable text below."""

    data: str
    kind: BarcodeKind = "CODE128"
    height: int = 64
    module_width: int = 2
    hri: bool = True

    def __post_init__(self) -> None:
        if not self.data or not self.data.isascii() or not self.data.isprintable():
            raise ValueError("barcode data must be non-empty printable ASCII")
        if self.kind == "EAN13" and not (self.data.isdigit() and len(self.data) in (12, 13)):
            raise ValueError("EAN13 needs 12 or 13 digits")
        if not 1 <= self.height <= 255 or not 2 <= self.module_width <= 6:
            raise ValueError("barcode height must be 1..255 and module width 2..6")


@dc.dataclass(frozen=True, eq=False)
class Image:
    """A picture (a logo, a stamp); scaled down to the paper width and dithered."""

    image: PILImage
    align: Align = "center"


@dc.dataclass(frozen=True)
class Feed:
    """Blank paper, in text lines."""

    lines: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.lines <= 255:
            raise ValueError("feed lines must be 0..255")


@dc.dataclass(frozen=True)
class Cut:
    """Feed to the blade and cut; ``mode`` None uses the profile's cut mode."""

    mode: CutKind | None = None


Element: TypeAlias = Text | Separator | KeyValue | QR | Barcode | Image | Feed | Cut
Document: TypeAlias = list[Element]
