"""The quality gate: why a captured page should be taken again, as stable codes.

Each code becomes plain-words advice with a picture in the kiosk ("move the page fully
under the camera", "hold still", "turn on the light" ...), so the citizen recaptures once
instead of submitting an unreadable page. The thresholds are named here so a site with
an unusual camera can be tuned in one place; they were set on the synthetic photos of
``synth.py`` and are to be checked against real units.
"""

from __future__ import annotations

import enum

import cv2
import numpy as np

from devices.docscan.geometry import max_corner_deviation, rotation_degrees, side_lengths


class Problem(enum.StrEnum):
    NO_PAGE = "no_page"  # no page found: the whole frame was kept
    BLURRY = "blurry"  # text edges too soft (variance of the Laplacian)
    TOO_DARK = "too_dark"  # the paper itself is dim
    GLARE = "glare"  # a reflection clipped part of the page to white
    CUT_OFF = "cut_off"  # the page touches or leaves the frame edge
    TILTED = "tilted_too_much"  # laid askew, or photographed at a slant


SHARPNESS_DPI = 100  # judge sharpness at a fixed scale, whatever the output dpi
MIN_SHARPNESS = 5000.0  # variance of the Laplacian over inked tiles of the flattened page
MIN_PAPER_LEVEL = 90.0  # median grey of the paper before flattening
GLARE_LEVEL = 250  # a clipped area at 1/4 scale: text inside it is washed out too
MAX_GLARE_SHARE = 0.01  # share of the page area
EDGE_MARGIN = 0.004  # share of the frame's shorter side treated as "at the edge"
MAX_ROTATION = 20.0  # degrees from upright
MIN_SIDE_RATIO = 0.8  # shorter / longer of two opposite sides (keystone)
MAX_CORNER_DEVIATION = 15.0  # degrees from a right angle


def is_cut_off(corners: np.ndarray, frame_shape: tuple[int, ...]) -> bool:
    """Whether a page corner lies on, or beyond, the frame edge."""
    h, w = frame_shape[:2]
    m = max(2.0, EDGE_MARGIN * min(h, w))
    x, y = corners[:, 0], corners[:, 1]
    return bool((x < m).any() or (y < m).any() or (x > w - 1 - m).any() or (y > h - 1 - m).any())


def is_tilted(corners: np.ndarray) -> bool:
    """Whether the page is turned or slanted too far for a faithful copy."""
    top, right, bottom, left = side_lengths(corners)
    keystone = min(
        min(top, bottom) / max(top, bottom, 1e-9), min(left, right) / max(left, right, 1e-9)
    )
    return bool(
        abs(rotation_degrees(corners)) > MAX_ROTATION
        or keystone < MIN_SIDE_RATIO
        or max_corner_deviation(corners) > MAX_CORNER_DEVIATION
    )


def is_too_dark(background: np.ndarray) -> bool:
    """Whether the paper (the background estimate, text removed) is too dim."""
    return float(np.median(background)) < MIN_PAPER_LEVEL


def has_glare(small_grey: np.ndarray) -> bool:
    """Whether a clipped highlight covers a noticeable share of the page.

    ``small_grey`` is the warped page at 1/4 scale (area-averaged), so a text stroke on
    normally lit paper pulls its cell below the clip level, while inside a reflection
    the text is clipped as well.
    """
    clipped = small_grey >= GLARE_LEVEL
    return float(clipped.mean()) > MAX_GLARE_SHARE


def sharpness(flat_grey: np.ndarray, dpi: int) -> float | None:
    """Variance of the Laplacian over the inked tiles of a flattened page.

    ``None`` for a page with (almost) nothing printed on it, which cannot be judged.
    """
    scale = min(1.0, SHARPNESS_DPI / dpi)
    img = cv2.resize(flat_grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    lap = cv2.Laplacian(img, cv2.CV_32F, ksize=3)
    tile = 32
    h, w = (img.shape[0] // tile) * tile, (img.shape[1] // tile) * tile
    if h == 0 or w == 0:
        return None
    cells = (h // tile, tile, w // tile, tile)
    ink = (img[:h, :w] < 128).reshape(cells).mean(axis=(1, 3))
    lap_var = lap[:h, :w].reshape(cells).var(axis=(1, 3))
    inked = lap_var[ink > 0.02]
    if inked.size < 4:
        return None
    return float(np.median(inked))


def is_blurry(flat_grey: np.ndarray, dpi: int) -> bool:
    value = sharpness(flat_grey, dpi)
    return value is not None and value < MIN_SHARPNESS


def stroke_contrast(grey: np.ndarray, strokes: np.ndarray) -> float:
    """Mean depth of the ``strokes`` pixels below the local paper level (7x7 maximum).

    An OCR-free legibility proxy: text stays readable while its thin strokes and glyph
    edges stay well below the paper around them; blur, heavy JPEG and ringing fill them
    in and the value drops.
    """
    paper = cv2.dilate(grey, np.ones((7, 7), np.uint8))
    if not strokes.any():
        return 0.0
    return float((paper.astype(np.float32) - grey.astype(np.float32))[strokes].mean())


def legibility(reference: np.ndarray, copy: np.ndarray) -> float:
    """Stroke contrast of ``copy`` (e.g. the decoded JPEG) as a share of ``reference``'s.

    Strokes are taken from the reference: ink pixels on the rim of a glyph or in a stroke
    too thin to have an inside, where compression loses contrast first. 1.0 means no loss.
    """
    ink = (reference < 128).astype(np.uint8)
    thin = ink.astype(bool) & (cv2.erode(ink, np.ones((3, 3), np.uint8)) == 0)
    base = stroke_contrast(reference, thin)
    return stroke_contrast(copy, thin) / base if base > 0 else 1.0
