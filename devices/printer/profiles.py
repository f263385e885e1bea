"""Printer capability profiles as data, after python-escpos's ``capabilities.json``.

A profile says what one printer model can do: its printable width in dots, its column
count in the 12 x 24 Latin font (a Chinese character takes two columns), which Chinese
encoding its font understands, whether it has a Chinese font at all, whether it renders
QR codes itself, how it cuts and whether it answers real-time status (DLE EOT).
The encoder, the simulator and the renderer all read layout from here, never from
constants of their own.
"""

from __future__ import annotations

import dataclasses as dc
from typing import Literal

Encoding = Literal["gb18030", "gbk"]
CutMode = Literal["partial", "full", "none"]


@dc.dataclass(frozen=True)
class PrinterProfile:
    """What one printer model can do; see the module docstring."""

    name: str
    width_dots: int
    columns: int
    encoding: Encoding = "gb18030"
    has_chinese_font: bool = True
    native_qr: bool = True
    cut: CutMode = "partial"
    can_report_status: bool = True
    # GS L places raster images (every printer we know of honours it); without it an
    # image is shifted by sending blank bytes, as python-escpos does, which costs wire time.
    left_margin: bool = True
    dots_per_mm: int = 8  # 203 dpi, the norm for thermal receipt heads
    line_spacing_dots: int = 30  # ESC 2 default: a 24-dot glyph plus 6 dots of leading
    feed_before_cut: int = 4  # lines between the print head and the cutter blade
    speed_mm_s: int = 150  # used only to estimate how long a job takes to print

    def __post_init__(self) -> None:
        if self.width_dots <= 0 or self.width_dots % 8:
            raise ValueError(f"profile {self.name}: width_dots must be a positive multiple of 8")
        if not 8 <= self.columns <= self.width_dots // 8:
            raise ValueError(f"profile {self.name}: columns out of range")
        if self.encoding not in ("gb18030", "gbk"):
            raise ValueError(f"profile {self.name}: encoding must be gb18030 or gbk")
        if self.cut not in ("partial", "full", "none"):
            raise ValueError(f"profile {self.name}: cut must be partial, full or none")

    @property
    def column_dots(self) -> int:
        """Width of one Latin column in dots (12 for the usual 12 x 24 font A)."""
        return self.width_dots // self.columns


_58 = PrinterProfile(name="58mm", width_dots=384, columns=32)
_80 = PrinterProfile(name="80mm", width_dots=576, columns=48)

PROFILES: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        _58,
        _80,
        dc.replace(_58, name="58mm-gbk", encoding="gbk"),
        dc.replace(_80, name="80mm-gbk", encoding="gbk"),
        # No Chinese font in ROM and no native 2D codes: everything non-ASCII is raster.
        dc.replace(_58, name="58mm-raster", has_chinese_font=False, native_qr=False),
        dc.replace(_80, name="80mm-raster", has_chinese_font=False, native_qr=False),
        # A bare printer: no cutter, no status answers (e.g. behind /dev/usb/lp0).
        dc.replace(_58, name="58mm-basic", cut="none", can_report_status=False),
        dc.replace(_80, name="80mm-basic", cut="none", can_report_status=False),
    )
}

_FLAGS = {
    "chinese_font": "has_chinese_font",
    "native_qr": "native_qr",
    "status": "can_report_status",
    "left_margin": "left_margin",
}


def get_profile(name: str | PrinterProfile) -> PrinterProfile:
    """The profile called ``name``; ``ValueError`` naming the known ones otherwise."""
    if isinstance(name, PrinterProfile):
        return name
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown printer profile {name!r} (known: {known})") from None


def with_overrides(profile: PrinterProfile, params: dict[str, str]) -> PrinterProfile:
    """Apply device-URL query overrides (``encoding=gbk&chinese_font=0&cut=full&status=0``,
    ``left_margin=0``).

    Lets a site describe a printer model without a code change; unknown keys are left
    to the caller (transports have their own parameters).
    """
    changes: dict[str, object] = {}
    if "encoding" in params:
        changes["encoding"] = params["encoding"].lower()
    if "cut" in params:
        changes["cut"] = params["cut"].lower()
    for key, field in _FLAGS.items():
        if key in params:
            changes[field] = _flag(key, params[key])
    if not changes:
        return profile
    return dc.replace(profile, name=f"{profile.name}+custom", **changes)  # type: ignore[arg-type]


def _flag(key: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"printer URL parameter {key}={value!r} is not a yes/no value")
