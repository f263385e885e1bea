"""Colours and sizes for the normal and the elderly mode (长辈版).

Plain data, so the accessibility rules (key text ≥ 30 dp, body ≥ 18 dp, targets ≥ 60 dp,
contrast ≥ 4.5:1 in 长辈版; MIIT 2021) are checked by a test without a window.
"""

from __future__ import annotations

import dataclasses as dc

Rgba = tuple[float, float, float, float]


def hex_rgba(code: str, alpha: float = 1.0) -> Rgba:
    code = code.lstrip("#")
    r, g, b = (int(code[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, alpha)


@dc.dataclass(frozen=True)
class Palette:
    background: str = "#F4F6F9"
    surface: str = "#FFFFFF"
    header: str = "#0B4F9C"
    on_header: str = "#FFFFFF"
    text: str = "#1F2329"
    muted: str = "#4E5969"
    primary: str = "#0B5CAD"
    on_primary: str = "#FFFFFF"
    outline: str = "#8A94A6"
    danger: str = "#B42318"
    success: str = "#067647"
    warning_bg: str = "#FFF4E5"
    warning_text: str = "#7A3E00"

    def rgba(self, name: str, alpha: float = 1.0) -> Rgba:
        return hex_rgba(getattr(self, name), alpha)


@dc.dataclass(frozen=True)
class Sizes:
    """Sizes in dp."""

    key_text: int  # the largest text on a screen: titles, main buttons
    body_text: int
    small_text: int
    target: int  # minimum touch target height and width
    spacing: int
    home_items: int  # popular matters on the home screen
    list_items: int  # rows per page in lists


NORMAL = Sizes(
    key_text=32, body_text=22, small_text=18, target=64, spacing=14, home_items=8, list_items=6
)
ELDERLY = Sizes(
    key_text=42, body_text=28, small_text=24, target=88, spacing=20, home_items=4, list_items=4
)
PALETTE = Palette()


def sizes(elderly: bool) -> Sizes:
    return ELDERLY if elderly else NORMAL


def relative_luminance(code: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = hex_rgba(code)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio."""
    hi, lo = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# Text/background pairs the screens use; each must reach 4.5:1.
TEXT_PAIRS = [
    ("text", "background"),
    ("text", "surface"),
    ("muted", "background"),
    ("muted", "surface"),
    ("on_header", "header"),
    ("on_primary", "primary"),
    ("primary", "surface"),
    ("danger", "surface"),
    ("success", "surface"),
    ("warning_text", "warning_bg"),
]
