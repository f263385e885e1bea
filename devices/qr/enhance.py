"""Closer looks at a region that may hold a QR code the library could not read.

Measured on the hard synthetic set (bench/bench_qr.py): codes with 2-5 px modules,
blurred to a third or half a module, noisy and JPEG-compressed fail mostly because the
library's binariser sees noise and merged modules. What rescues them, in order of
yield: a light denoise, a 2x (3x for small regions) cubic upscale and an unsharp mask,
which together rescue about half of the raw failures; then a percentile contrast stretch
for washed-out codes. Pure functions on grey uint8 crops.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

Variant = Callable[[np.ndarray, float], np.ndarray]

MAX_SIDE = 1000  # an enhanced crop larger than this costs more than it gains
SMALL_SIDE = 160  # crops smaller than this are enlarged 3x
DENOISE_SIGMA = 0.7
SHARPEN_AMOUNT = 1.5


def upscale_factor(crop: np.ndarray) -> float:
    """2x, 3x for small crops, less if the result would exceed :data:`MAX_SIDE`."""
    side = max(crop.shape[:2])
    factor = 3.0 if side < SMALL_SIDE else 2.0
    return max(1.0, min(factor, MAX_SIDE / max(side, 1)))


def sharpened(crop: np.ndarray, factor: float) -> np.ndarray:
    """Denoise, enlarge by ``factor`` (cubic), unsharp-mask at the enlarged module scale."""
    soft = cv2.GaussianBlur(crop, (0, 0), DENOISE_SIGMA)
    big = (
        soft
        if factor == 1.0
        else cv2.resize(soft, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    )
    halo = cv2.GaussianBlur(big, (0, 0), 1.5 * factor)
    return cv2.addWeighted(big, 1 + SHARPEN_AMOUNT, halo, -SHARPEN_AMOUNT, 0)


def stretched(crop: np.ndarray, factor: float) -> np.ndarray:
    """The 1st-99th percentile of grey stretched to 0-255, then enlarged (linear)."""
    lo, hi = np.percentile(crop, (1, 99))
    if hi - lo < 4:
        out = crop
    else:
        scale = 255.0 / (hi - lo)
        out = cv2.convertScaleAbs(crop, alpha=scale, beta=-lo * scale)
    if factor == 1.0:
        return out
    return cv2.resize(out, None, fx=factor, fy=factor, interpolation=cv2.INTER_LINEAR)


def untouched(crop: np.ndarray, factor: float) -> np.ndarray:
    """The crop as it is: for backends too slow to read the whole frame first."""
    return crop


VARIANTS: dict[str, Variant] = {"upscale": sharpened, "stretch": stretched}


def output_scale(name: str, factor: float) -> float:
    """How much larger than the crop the copy called ``name`` comes out."""
    return 1.0 if name == "plain" else factor


def variants(*, plain: bool = False) -> list[tuple[str, Variant]]:
    """The copies to try on a region, in order; ``plain`` puts the untouched crop first."""
    first: list[tuple[str, Variant]] = [("plain", untouched)] if plain else []
    return first + list(VARIANTS.items())
