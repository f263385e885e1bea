"""From a document-camera photo to a finished page: pure numpy/OpenCV.

Stages (timings for a 12 MP photo in research/perf.md "Document capture" and
bench/bench_docscan.py): grey + ~1000 px copy -> find the page on the copy -> sub-pixel
corners on the full image -> perspective warp to the paper size at ``dpi`` -> background
at 1/4 scale, divide (shadows and uneven light gone, paper white) -> quality gate ->
grey, colour or bitonal output. Photos are BGR, as OpenCV and the camera deliver them.
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

from devices.docscan import quality
from devices.docscan.codec import decode_image, encode_jpeg, encode_pdf
from devices.docscan.geometry import (
    PAPER_ALIASES,
    PAPER_MM,
    Detection,
    find_page,
    is_landscape,
    paper_size_px,
    refine_corners,
)
from devices.docscan.page import CorruptImage, ScannedPage
from devices.docscan.quality import Problem

__all__ = [
    "CorruptImage",
    "Problem",
    "ScannedPage",
    "decode_image",
    "encode_jpeg",
    "encode_pdf",
    "process_page",
]

log = logging.getLogger(__name__)

MODES = {"grey": "grey", "gray": "grey", "colour": "colour", "color": "colour", "bw": "bw"}
DETECT_SIDE = 1000  # long side of the copy the page is searched on
MIN_SIDE = 32  # smaller arrays are not photos of a page
MAX_PIXELS = 64_000_000
WHITE_POINT = 0.88  # share of the local paper level that becomes pure white
BLACK_POINT = 0.12  # share that becomes pure black
RIM_MM = 0.6  # nothing is printed this close to a sheet's edge


def process_page(
    image: np.ndarray, *, dpi: int = 200, mode: str = "grey", paper: str = "A4"
) -> ScannedPage:
    """Find, flatten, clean and check one page in ``image``.

    ``image``: uint8 or uint16, (H, W), (H, W, 1), (H, W, 3) BGR or (H, W, 4) BGRA.
    ``mode``: ``grey``, ``colour`` (keeps red seals) or ``bw`` (bitonal, smallest).
    ``paper``: ``A4`` (default), ``A5``, ``ID-1`` (also ``ID-front``/``ID-back``) or
    ``HUKOU`` (a 户口簿 page); the output is that size at ``dpi``, landscape when the page
    lies landscape. Raises :class:`CorruptImage` for arrays
    that cannot be a photo and ``ValueError`` for bad options; never for a poor photo,
    which comes back with its ``problems`` listed instead.
    """
    out_mode, paper = _check_options(dpi, mode, paper)
    colour, grey = _as_colour_grey(image)
    corners, method, size = _locate(grey, paper, dpi)
    problems: list[str] = [Problem.NO_PAGE] if corners is None else []
    if corners is not None and quality.is_cut_off(corners, grey.shape):
        problems.append(Problem.CUT_OFF)
    if corners is not None and quality.is_tilted(corners):
        problems.append(Problem.TILTED)
    src = _frame_corners(grey.shape) if corners is None else corners
    if out_mode == "colour":
        warped = _warp(grey if colour is None else colour, src, size)
        if warped.ndim == 2:
            warped = cv2.cvtColor(warped, cv2.COLOR_GRAY2BGR)
    else:
        warped = _warp(grey, src, size)
    flat, quarter, background = _flatten_page(warped, dpi)
    if corners is not None:  # with no page, the checks would judge the desk mat
        _whiten_rim(flat, dpi)
        problems += _assess(quarter, background, _grey(flat), dpi)
    if out_mode == "bw":
        flat = _bitonal(flat, dpi)
    log.info("page: method=%s size=%dx%d problems=%s", method, size[0], size[1], problems)
    return ScannedPage(
        image=flat, corners=corners, problems=tuple(problems), dpi=dpi, mode=out_mode, method=method
    )


def _locate(
    grey: np.ndarray, paper: str, dpi: int
) -> tuple[np.ndarray | None, str, tuple[int, int]]:
    """Page corners in the photo (``None``: not found), the strategy, the output size."""
    small, scale = _small_copy(grey)
    found = find_page(small, paper)
    if found is None:
        h, w = grey.shape
        return None, "frame", _fit_size(w, h, paper, dpi)
    corners = _full_res_corners(grey, found, scale)
    return corners, found.method, paper_size_px(paper, dpi, landscape=is_landscape(corners))


def _frame_corners(shape: tuple[int, ...]) -> np.ndarray:
    h, w = shape[:2]
    return np.array([[-0.5, -0.5], [w - 0.5, -0.5], [w - 0.5, h - 0.5], [-0.5, h - 0.5]])


def _grey(img: np.ndarray) -> np.ndarray:
    return img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)


def _flatten_page(warped: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The flattened page, its grey 1/4-scale copy and the paper background estimate."""
    quarter = _quarter(_grey(warped))
    background = _background(quarter if warped.ndim == 2 else _quarter(warped), dpi)
    return _flatten(warped, background), quarter, background


def _check_options(dpi: int, mode: str, paper: str) -> tuple[str, str]:
    """The output mode and the paper's canonical name, or ``ValueError``."""
    if not 50 <= dpi <= 600:
        raise ValueError(f"dpi must be between 50 and 600, got {dpi}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of grey, colour, bw; got {mode!r}")
    paper = PAPER_ALIASES.get(paper.upper(), paper.upper())
    if paper not in PAPER_MM:
        raise ValueError(f"paper must be one of {sorted(PAPER_MM)}; got {paper!r}")
    return MODES[mode], paper


def _as_colour_grey(image: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Validate a photo array; return (BGR or ``None`` for a grey photo, grey), uint8."""
    if not isinstance(image, np.ndarray):
        raise TypeError(f"image must be a numpy array, not {type(image).__name__}")
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (3, 4)):
        raise CorruptImage(f"an image must be HxW, HxWx3 or HxWx4, not {image.shape}")
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype != np.uint8:
        raise CorruptImage(f"pixels must be uint8 or uint16, not {image.dtype}")
    h, w = image.shape[:2]
    if min(h, w) < MIN_SIDE or h * w > MAX_PIXELS:
        raise CorruptImage(f"a {w}x{h} image cannot be a photo of a page")
    image = np.ascontiguousarray(image)
    if image.ndim == 2:
        return None, image
    if image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return image, cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _small_copy(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """The detection copy (long side <= DETECT_SIDE) and its scale, small px per full px.

    The factor is a whole number so OpenCV takes its fast box-averaging path; the few
    rows and columns beyond a multiple of it are left out, which moves no coordinate.
    """
    h, w = grey.shape
    k = -(-max(h, w) // DETECT_SIDE)
    if k == 1:
        return grey, 1.0
    size = (w // k, h // k)
    return cv2.resize(grey[: size[1] * k, : size[0] * k], size, interpolation=cv2.INTER_AREA), 1 / k


def _full_res_corners(grey: np.ndarray, found: Detection, scale: float) -> np.ndarray:
    rough = (found.quad + 0.5) / scale - 0.5
    search = max(4.0, 2.5 / scale)
    return refine_corners(grey, rough, search, skip=found.border_sides)


def _fit_size(w: int, h: int, paper: str, dpi: int) -> tuple[int, int]:
    """The whole-frame fallback: the frame's own shape, fitted inside the paper size."""
    pw, ph = paper_size_px(paper, dpi, landscape=w > h)
    scale = min(pw / w, ph / h)
    return max(1, round(w * scale)), max(1, round(h * scale))


def _warp(src: np.ndarray, corners: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    dst = np.array([[-0.5, -0.5], [w - 0.5, -0.5], [w - 0.5, h - 0.5], [-0.5, h - 0.5]])
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), dst.astype(np.float32))
    return cv2.warpPerspective(
        src, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def _quarter(img: np.ndarray) -> np.ndarray:
    """A 1/4-scale copy, low-passed (two Gaussian pyramid steps: 4x faster than INTER_AREA)."""
    return cv2.pyrDown(cv2.pyrDown(img))


def _background(quarter: np.ndarray, dpi: int) -> np.ndarray:
    """The paper's own brightness at 1/4 scale: text closed away, then smoothed."""
    k = max(3, round(dpi / 4 / 25.4 * 5)) | 1  # ~5 mm: wider than any glyph stroke
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    closed = cv2.morphologyEx(quarter, cv2.MORPH_CLOSE, kernel)
    smooth = cv2.blur(cv2.blur(closed, (2 * k + 1, 2 * k + 1)), (2 * k + 1, 2 * k + 1))
    return np.maximum(smooth, 1)  # a divisor


def _flatten(warped: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Divide by the background, then stretch so paper is white and ink is black."""
    h, w = warped.shape[:2]
    bg = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    ratio = cv2.divide(warped, bg, scale=128)  # paper ~128, ink below
    return cv2.LUT(ratio, _stretch_lut())


def _whiten_rim(flat: np.ndarray, dpi: int) -> None:
    """Paint the outer ~0.6 mm white: the last sliver of mat the optics smeared in."""
    rim = max(1, round(dpi * RIM_MM / 25.4))
    flat[:rim] = 255
    flat[-rim:] = 255
    flat[:, :rim] = 255
    flat[:, -rim:] = 255


def _stretch_lut() -> np.ndarray:
    r = np.arange(256, dtype=np.float64) / 128
    out = np.clip((r - BLACK_POINT) / (WHITE_POINT - BLACK_POINT), 0, 1) * 255
    return np.rint(out).astype(np.uint8)


def _assess(quarter: np.ndarray, background: np.ndarray, flat: np.ndarray, dpi: int) -> list[str]:
    """The photo-quality problems measured on the warped page."""
    bg_grey = _grey(background)
    problems: list[str] = []
    if quality.is_blurry(flat, dpi):
        problems.append(Problem.BLURRY)
    if quality.is_too_dark(bg_grey):
        problems.append(Problem.TOO_DARK)
    if quality.has_glare(quarter):
        problems.append(Problem.GLARE)
    return problems


def _bitonal(flat: np.ndarray, dpi: int) -> np.ndarray:
    """Black ink on white paper, 0/255: a local mean threshold on the flattened page."""
    block = max(3, round(dpi / 8)) | 1
    return cv2.adaptiveThreshold(
        flat, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 20
    )
