"""Find a CJK font and make it Kivy's default, or refuse to start.

Kivy's bundled Roboto has no Chinese glyphs: without this every label would render
tofu boxes. A missing font stops start-up with a message that says what to install.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
BOLD_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
)


class FontMissing(RuntimeError):
    pass


def _fc_match() -> str | None:
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
    sans = [f for f in files if "Sans" in f or "Hei" in f]
    return (sans or files)[0] if (sans or files) else None


def find_cjk_font(configured: str = "") -> tuple[str, str]:
    """(regular, bold) font paths. ``configured`` (settings ``ui.font``) wins."""
    if configured:
        if not Path(configured).is_file():
            raise FontMissing(f"ui.font: no such font file: {configured}")
        return configured, configured
    regular = next((p for p in CANDIDATES if Path(p).is_file()), None) or _fc_match()
    if regular is None:
        raise FontMissing(
            "no Chinese font found: install one (Debian: apt install fonts-noto-cjk) "
            "or set ui.font to a .ttf/.ttc/.otf file"
        )
    bold = next((p for p in BOLD_CANDIDATES if Path(p).is_file()), regular)
    return regular, bold


def register_default_font(configured: str = "") -> str:
    """Register the CJK font as Kivy's default ("Roboto") and return its path."""
    from kivy.core.text import DEFAULT_FONT, LabelBase

    regular, bold = find_cjk_font(configured)
    LabelBase.register(DEFAULT_FONT, regular, fn_bold=bold)
    return regular
