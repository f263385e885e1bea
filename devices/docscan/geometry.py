"""Finding the page in a photo and measuring its corners.

Pure numpy/OpenCV. ``find_page`` works on a small grey copy (~1000 px) with two
strategies, edges (Canny) and brightness (Otsu), and keeps the largest plausible convex
quadrilateral that real edges support. ``refine_corners`` then fits each side as a line
on the full-resolution image, to sub-pixel accuracy, and intersects neighbouring sides.

Coordinates are (x, y) with pixel centres at integers; quads are ordered top-left,
top-right, bottom-right, bottom-left.
"""

from __future__ import annotations

import dataclasses as dc
import math

import cv2
import numpy as np

# Paper sizes in mm, portrait (short side, long side).
PAPER_MM: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "ID-1": (53.98, 85.6),  # ISO/IEC 7810 ID-1: resident ID card, bank and 社保 cards
    # A 居民户口簿 page: 105 x 143 mm as several public descriptions give it [unverified
    # against the Ministry of Public Security's print spec, which is not public].
    "HUKOU": (105.0, 143.0),
}
# Aliases a caller may use for the same sizes.
PAPER_ALIASES = {"ID-FRONT": "ID-1", "ID-BACK": "ID-1", "户口簿": "HUKOU"}
# Smallest share of the frame a page of each size may cover and still be believed.
MIN_AREA: dict[str, float] = {"A4": 0.08, "A5": 0.05, "ID-1": 0.015, "HUKOU": 0.03}
MIN_SIDE_CONTRAST = 12.0  # grey levels across a believable paper edge (small copy)
BORDER_PX = 2.0  # a quad side this close to the frame edge is the frame, not paper


@dc.dataclass(frozen=True)
class Detection:
    """A page outline found on the small copy, and the strategy that found it."""

    quad: np.ndarray  # (4, 2) float64, TL TR BR BL
    method: str
    border_sides: tuple[bool, bool, bool, bool]  # side i runs from corner i to i+1


def paper_size_px(paper: str, dpi: int, *, landscape: bool) -> tuple[int, int]:
    """Output (width, height) in pixels for ``paper`` at ``dpi``: A4 at 200 dpi is 1654x2339."""
    short, long = PAPER_MM[paper]
    w, h = round(short / 25.4 * dpi), round(long / 25.4 * dpi)
    return (h, w) if landscape else (w, h)


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Four points in clockwise order starting from the top-left one."""
    pts = np.asarray(pts, np.float64).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def side_lengths(quad: np.ndarray) -> np.ndarray:
    """Lengths of the sides top, right, bottom, left."""
    return np.linalg.norm(np.roll(quad, -1, axis=0) - quad, axis=1)


def is_landscape(quad: np.ndarray) -> bool:
    top, right, bottom, left = side_lengths(quad)
    return bool(top + bottom > left + right)


def find_page(small: np.ndarray, paper: str = "A4") -> Detection | None:
    """The page outline on a small grey image, or ``None`` when there is no page."""
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    otsu, binary = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    edges = cv2.Canny(blurred, 0.5 * otsu, otsu)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    best: tuple[float, Detection] | None = None
    for method, mask in (("edges", edges), ("threshold", binary)):
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        contours = sorted(contours, key=_hull_area, reverse=True)[:5]
        for contour in contours:
            found = _quad_from_contour(contour)
            if found is None:
                continue
            quad, how = found
            det = _judge(blurred, order_corners(quad), f"{method}{how}", paper)
            if det is not None:
                area = abs(cv2.contourArea(det.quad.astype(np.float32)))
                if best is None or area > best[0]:
                    best = (area, det)
                break  # the largest acceptable outline of this strategy
    return None if best is None else best[1]


def _hull_area(contour: np.ndarray) -> float:
    return float(cv2.contourArea(cv2.convexHull(contour)))


def _quad_from_contour(contour: np.ndarray) -> tuple[np.ndarray, str] | None:
    """Simplify a contour's hull to four points; fall back to its bounding rectangle."""
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    if perimeter < 40:
        return None
    for eps in (0.01, 0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float64), ""
        if len(approx) < 4:
            break
    box = cv2.boxPoints(cv2.minAreaRect(hull))
    if cv2.contourArea(hull) >= 0.9 * cv2.contourArea(box):
        return box.astype(np.float64), "+rect"
    return None


def _judge(img: np.ndarray, quad: np.ndarray, method: str, paper: str) -> Detection | None:
    """Keep ``quad`` if it is convex, page-sized, page-shaped and edges back it up."""
    h, w = img.shape[:2]
    area = abs(cv2.contourArea(quad.astype(np.float32)))
    if not MIN_AREA[paper] * w * h <= area <= 0.97 * w * h:
        return None
    if not cv2.isContourConvex(quad.astype(np.float32)) or max_corner_deviation(quad) > 40:
        return None
    sides = side_lengths(quad)
    ratio = max(sides[0] + sides[2], sides[1] + sides[3]) / max(
        min(sides[0] + sides[2], sides[1] + sides[3]), 1e-9
    )
    short, long = PAPER_MM[paper]
    if not long / short / 1.5 <= ratio <= long / short * 1.5:
        return None
    border, supported = [], 0
    for i in range(4):
        p, q = quad[i], quad[(i + 1) % 4]
        contrast, border_share = _side_contrast(img, p, q)
        border.append(border_share >= 0.5)
        if contrast >= MIN_SIDE_CONTRAST:
            supported += 1
        elif not (_at_border(p, w, h) or _at_border(q, w, h)):
            return None  # a side in open view that no edge backs
    if supported < 2:
        return None
    return Detection(quad=quad, method=method, border_sides=tuple(border))  # type: ignore[arg-type]


def _at_border(p: np.ndarray, w: int, h: int, tol: float = BORDER_PX + 1) -> bool:
    return bool(p[0] <= tol or p[1] <= tol or p[0] >= w - 1 - tol or p[1] >= h - 1 - tol)


def _side_contrast(
    img: np.ndarray, p: np.ndarray, q: np.ndarray, offset: float = 3.0
) -> tuple[float, float]:
    """Median grey step across segment ``p``-``q``, and the share of it along the frame.

    Only the stretch of the side away from the frame edge is measured: a page cut off
    by the frame has sides that are partly paper edge and partly frame edge.
    """
    h, w = img.shape[:2]
    t = np.linspace(0.05, 0.95, 40)[:, None]
    pts = p + t * (q - p)
    d = (q - p) / max(float(np.linalg.norm(q - p)), 1e-9)
    n = np.array([-d[1], d[0]])
    near = offset + BORDER_PX
    inside = (
        (pts[:, 0] > near)
        & (pts[:, 0] < w - 1 - near)
        & (pts[:, 1] > near)
        & (pts[:, 1] < h - 1 - near)
    )
    if not inside.any():
        return 0.0, 1.0

    def sample(points: np.ndarray) -> np.ndarray:
        xs = np.clip(np.rint(points[:, 0]).astype(int), 0, w - 1)
        ys = np.clip(np.rint(points[:, 1]).astype(int), 0, h - 1)
        return img[ys, xs].astype(np.float64)

    pts = pts[inside]
    step = np.abs(sample(pts + offset * n) - sample(pts - offset * n))
    return float(np.median(step)), 1.0 - float(inside.mean())


def max_corner_deviation(quad: np.ndarray) -> float:
    """Largest departure of a corner angle from 90 degrees."""
    worst = 0.0
    for i in range(4):
        a = quad[i - 1] - quad[i]
        b = quad[(i + 1) % 4] - quad[i]
        cos = float(a @ b) / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-9)
        worst = max(worst, abs(math.degrees(math.acos(max(-1.0, min(1.0, cos)))) - 90.0))
    return worst


def rotation_degrees(quad: np.ndarray) -> float:
    """In-plane rotation of the page from the nearest axis, in [-45, 45]."""
    top = quad[1] - quad[0]
    bottom = quad[2] - quad[3]
    angle = math.degrees(math.atan2(top[1] + bottom[1], top[0] + bottom[0]))
    return (angle + 45.0) % 90.0 - 45.0


def refine_corners(
    grey: np.ndarray, quad: np.ndarray, search: float, skip: tuple[bool, ...] = ()
) -> np.ndarray:
    """Sub-pixel corners: fit each side as a line on ``grey``, intersect neighbours.

    ``search`` is how far (px) from the rough side to look for the paper edge. Sides in
    ``skip`` (those along the frame edge) and sides whose fit fails keep the rough line.
    """
    lines = []
    for i in range(4):
        p, q = quad[i], quad[(i + 1) % 4]
        fitted = None if (skip and skip[i]) else _fit_edge(grey, p, q, search)
        lines.append(fitted or (p, (q - p) / max(float(np.linalg.norm(q - p)), 1e-9)))
    out = quad.copy()
    for i in range(4):
        corner = _intersect(lines[i - 1], lines[i])
        if (
            corner is not None
            and np.isfinite(corner).all()
            and np.linalg.norm(corner - quad[i]) <= 3 * search
        ):
            out[i] = corner
    return out


def _fit_edge(
    grey: np.ndarray, p: np.ndarray, q: np.ndarray, search: float
) -> tuple[np.ndarray, np.ndarray] | None:
    """The paper edge near segment ``p``-``q`` as (point, unit direction), or ``None``."""
    length = float(np.linalg.norm(q - p))
    if length < 8:
        return None
    d = (q - p) / length
    n = np.array([-d[1], d[0]])  # points into the page for clockwise quads
    t = np.linspace(0.08, 0.92, 48)
    s = np.arange(-search, search + 0.25, 0.5)
    base = p + t[:, None] * (q - p)
    coords = base[:, None, :] + s[None, :, None] * n
    prof: np.ndarray = cv2.remap(
        grey,
        coords[..., 0].astype(np.float32),
        coords[..., 1].astype(np.float32),
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    smooth = cv2.GaussianBlur(prof.astype(np.float32), (5, 1), 1.0)
    grad: np.ndarray = np.gradient(smooth, axis=1)
    if np.median(grad.max(axis=1)) < np.median(-grad.min(axis=1)):
        grad = -grad  # a paper darker than the mat
    k = np.argmax(grad, axis=1)
    peak = grad[np.arange(len(k)), k]
    ok = (k > 0) & (k < len(s) - 1) & (peak > 0.5 * np.median(peak)) & (peak > 2.0)
    if ok.sum() < 8:
        return None
    k, rows = k[ok], np.nonzero(ok)[0]
    left, mid, right = grad[rows, k - 1], grad[rows, k], grad[rows, k + 1]
    denom = left - 2 * mid + right
    frac = np.where(np.abs(denom) > 1e-9, 0.5 * (left - right) / np.where(denom == 0, 1, denom), 0)
    offsets = s[k] + 0.5 * np.clip(frac, -0.5, 0.5)
    pts = (base[rows] + offsets[:, None] * n).astype(np.float32)
    vx, vy, x0, y0 = cv2.fitLine(pts, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    return np.array([x0, y0], np.float64), np.array([vx, vy], np.float64)


def _intersect(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
) -> np.ndarray | None:
    (p1, d1), (p2, d2) = a, b
    cross = d1[0] * d2[1] - d1[1] * d2[0]
    if abs(cross) < 1e-6:
        return None
    diff = p2 - p1
    u = (diff[0] * d2[1] - diff[1] * d2[0]) / cross
    return p1 + u * d1
