"""What a printer does with a byte stream, as data: the decoder's output.

Tests assert on these (the text lines, the QR payloads, the cuts) rather than on bytes,
the simulator counts paper with them, and the renderer draws them.
"""

from __future__ import annotations

import dataclasses as dc
from typing import TypeAlias

import numpy as np


@dc.dataclass(frozen=True)
class Line:
    """One printed text line and the character mode it started in."""

    text: str
    bold: bool = False
    width: int = 1
    height: int = 1
    align: str = "left"
    left: int = 0  # left margin in dots (GS L) when the line started


@dc.dataclass(frozen=True)
class Raster:
    """A GS v 0 bit image; bit 1 = a burnt dot, rows of ``width_bytes`` bytes, printed
    ``left`` dots from the paper's left edge (the GS L margin in force)."""

    width_bytes: int
    height: int
    data: bytes = dc.field(repr=False)
    left: int = 0

    def ink(self) -> np.ndarray:
        """Boolean mask, True where a dot is burnt."""
        packed = np.frombuffer(self.data, dtype=np.uint8).reshape(self.height, self.width_bytes)
        return np.unpackbits(packed, axis=1).astype(bool)


@dc.dataclass(frozen=True)
class QRCode:
    """A QR symbol the printer drew itself (GS ( k)."""

    data: bytes
    module: int = 3
    ec: str = "L"
    align: str = "left"

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


@dc.dataclass(frozen=True)
class BarcodeSymbol:
    """A 1-D barcode the printer drew itself (GS k)."""

    kind: str
    data: bytes
    height: int = 162
    module_width: int = 3
    hri: bool = False
    align: str = "left"


@dc.dataclass(frozen=True)
class FeedLines:
    lines: int


@dc.dataclass(frozen=True)
class FeedDots:
    dots: int


@dc.dataclass(frozen=True)
class PaperCut:
    mode: str  # "full" | "partial"


@dc.dataclass(frozen=True)
class StatusQuery:
    """DLE EOT n: a real-time status request (answered, never printed)."""

    n: int


@dc.dataclass(frozen=True)
class Reset:
    """ESC @: modes back to their defaults, the print buffer cleared."""


Op: TypeAlias = (
    Line | Raster | QRCode | BarcodeSymbol | FeedLines | FeedDots | PaperCut | StatusQuery | Reset
)


@dc.dataclass(frozen=True)
class DecodedJob:
    """A decoded stream, with the views tests want."""

    ops: tuple[Op, ...]

    @property
    def lines(self) -> list[str]:
        return [op.text for op in self.ops if isinstance(op, Line)]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def qr_payloads(self) -> list[str]:
        return [op.text for op in self.ops if isinstance(op, QRCode)]

    @property
    def cuts(self) -> list[str]:
        return [op.mode for op in self.ops if isinstance(op, PaperCut)]

    @property
    def rasters(self) -> list[Raster]:
        return [op for op in self.ops if isinstance(op, Raster)]

    def printed(self) -> list[Op]:
        """The ops that put something on paper or move it (no queries, no resets)."""
        return [op for op in self.ops if not isinstance(op, StatusQuery | Reset)]
