"""Synthetic document-camera photos with known page corners.

A white A4 page printed with a Chinese title, a form grid, body text and a red round
stamp is laid in perspective on a dark desk mat, lit unevenly, blurred by the optics and
sprinkled with sensor noise. Scenarios add the faults the quality gate must catch. The
ground-truth corners let tests measure corner error in pixels. Everything is
deterministic by seed; nothing here is real personal data.
"""

from __future__ import annotations

import dataclasses as dc
import functools
import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from devices.docscan.geometry import PAPER_MM

FONT_REGULAR = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FONT_INDEX_SC = 2  # the Simplified Chinese face inside the Noto CJK collection

SCENARIOS = ("ok", "blurry", "dark", "no_page", "cutoff", "glare", "tilted")
A4_MM = (210.0, 297.0)

_FILLER = (
    "根据有关规定经审核符合条件予以登记本证明仅用于办理相关业务事项请妥善保管不得转借涂改"
    "申请人承诺所提交材料真实有效如有虚假愿承担相应法律责任村民委员会乡镇人民政府便民服务"
)
_FIELDS = ("户别", "户主姓名", "户号", "住址", "登记日期", "承办人签章")


@dc.dataclass(frozen=True)
class SynthPhoto:
    """One synthetic photo: BGR ``image`` and the page's true corners.

    ``corners`` is (4, 2) float64 in frame pixel coordinates (pixel centres at integers),
    ordered top-left, top-right, bottom-right, bottom-left of the page; ``None`` when
    there is no page. Corners may lie outside the frame in the ``cutoff`` scenario.
    """

    image: np.ndarray
    corners: np.ndarray | None
    scenario: str
    title: str


@functools.lru_cache(maxsize=32)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_BOLD if bold else FONT_REGULAR, size, index=FONT_INDEX_SC)


def render_page(
    title: str,
    rng: np.random.Generator,
    width_px: int,
    *,
    landscape: bool = False,
    paper_mm: tuple[float, float] = A4_MM,
) -> np.ndarray:
    """A flat printed page (A4 unless ``paper_mm``), ``width_px`` wide, as BGR uint8."""
    w_mm, h_mm = (paper_mm[1], paper_mm[0]) if landscape else paper_mm
    mm = width_px / w_mm
    size = (width_px, round(h_mm * mm))
    tint = tuple(int(v) for v in rng.integers(236, 250, 3))
    img = Image.new("RGB", size, tint)  # type: ignore[arg-type]
    draw = ImageDraw.Draw(img)
    ink = (25, 25, 30)
    margin = 20 * mm
    draw.text(
        (size[0] / 2, margin + 6 * mm),
        title,
        font=_font(round(8 * mm), True),
        fill=ink,
        anchor="mm",
    )
    y = _draw_form(draw, mm, margin, margin + 18 * mm, size[0] - margin, ink)
    body = _font(round(3.6 * mm))
    line_h = 6.2 * mm
    chars = max(4, int((size[0] - 2 * margin) / (3.7 * mm)))
    while y + line_h < size[1] - margin - 10 * mm:
        n = chars if rng.random() > 0.15 else int(chars * rng.uniform(0.3, 0.9))
        line = "".join(_FILLER[i] for i in rng.integers(0, len(_FILLER), n))
        draw.text((margin, y), line, font=body, fill=ink)
        y += line_h
    _draw_stamp(draw, mm, (size[0] - margin - 30 * mm, size[1] - margin - 28 * mm))
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def _draw_form(
    draw: ImageDraw.ImageDraw, mm: float, x0: float, y0: float, x1: float, ink: tuple
) -> float:
    """A two-column form grid of field labels; returns the y below it."""
    font = _font(round(3.8 * mm))
    row = 11 * mm
    split = x0 + 40 * mm
    for i, label in enumerate(_FIELDS):
        top = y0 + i * row
        draw.rectangle((x0, top, x1, top + row), outline=ink, width=max(1, round(0.35 * mm)))
        draw.line((split, top, split, top + row), fill=ink, width=max(1, round(0.35 * mm)))
        draw.text((x0 + 3 * mm, top + row / 2), label, font=font, fill=ink, anchor="lm")
        draw.text((split + 4 * mm, top + row / 2), "示例内容", font=font, fill=ink, anchor="lm")
    return y0 + len(_FIELDS) * row + 8 * mm


def _draw_stamp(draw: ImageDraw.ImageDraw, mm: float, centre: tuple[float, float]) -> None:
    """A red round official-seal look-alike: ring, star and a line of text."""
    red = (205, 35, 40)
    cx, cy = centre
    r = 20 * mm
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=round(1.1 * mm))
    star = []
    for k in range(10):
        rad = (6 * mm) if k % 2 == 0 else (2.4 * mm)
        a = -math.pi / 2 + k * math.pi / 5
        star.append((cx + rad * math.cos(a), cy - 3 * mm + rad * math.sin(a)))
    draw.polygon(star, fill=red)
    draw.text((cx, cy + 9 * mm), "业务专用章", font=_font(round(3.6 * mm)), fill=red, anchor="mm")


def synth_photo(
    seed: int = 0,
    *,
    scenario: str = "ok",
    title: str = "居民户口簿",
    size: tuple[int, int] = (2592, 1944),
    landscape: bool = False,
    paper: str = "A4",
) -> SynthPhoto:
    """A document-camera photo (``size`` = width, height) for one ``scenario``.

    ``paper`` is a key of :data:`~devices.docscan.geometry.PAPER_MM` (A4 by default).
    """
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; expected one of {SCENARIOS}")
    paper_mm = PAPER_MM[paper]
    rng = np.random.default_rng(seed)
    fw, fh = size
    frame = _desk(rng, fw, fh)
    corners = None
    if scenario != "no_page":
        corners = _place_page(rng, fw, fh, scenario, landscape, paper_mm)
        page_w = round(float(np.linalg.norm(corners[1] - corners[0])))
        page = render_page(title, rng, max(page_w, 64), landscape=landscape, paper_mm=paper_mm)
        _composite(frame, page, corners)
    frame *= _lighting(rng, fw, fh, dark=scenario == "dark")[..., None]
    if scenario == "glare" and corners is not None:
        frame += _glare(rng, fw, fh, corners)[..., None]
    np.minimum(frame, 255.0, out=frame)
    sigma = (3.2 if scenario == "blurry" else 0.7) * fw / 2592
    frame = cv2.GaussianBlur(frame, (0, 0), sigma)
    frame += _noise(rng, fw, fh, 4.0 if scenario == "dark" else 2.5)[..., None]
    image = np.clip(frame, 0, 255).astype(np.uint8)
    return SynthPhoto(image=image, corners=corners, scenario=scenario, title=title)


def _desk(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A dark mat: a base colour, slow blotches and a fine weave, float32 BGR."""
    base = rng.uniform(35, 70) + rng.uniform(-8, 8, 3)
    blotch = cv2.resize(
        rng.normal(0, 6, (6, 8)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC
    )
    weave = np.tile(rng.normal(0, 3, (128, 128)).astype(np.float32), (h // 128 + 1, w // 128 + 1))[
        :h, :w
    ]
    desk = np.empty((h, w, 3), np.float32)
    desk[:] = base.astype(np.float32)
    desk += (blotch + weave)[..., None]
    return desk


def _place_page(
    rng: np.random.Generator,
    fw: int,
    fh: int,
    scenario: str,
    landscape: bool,
    paper_mm: tuple[float, float] = A4_MM,
) -> np.ndarray:
    """Ground-truth page corners in the frame (TL, TR, BR, BL).

    The camera stands at a fixed height, framed for A4: smaller papers look smaller.
    """
    aspect = paper_mm[1] / paper_mm[0]
    scale = paper_mm[1] / A4_MM[1]
    if landscape:
        pw = rng.uniform(0.80, 0.86) * fw * scale
        ph = pw / aspect
    else:
        ph = rng.uniform(0.80, 0.88) * fh * scale
        pw = ph / aspect
    angle = rng.uniform(-6, 6)
    keystone = 0.0
    if scenario == "tilted":
        angle = float(rng.choice([-1, 1])) * rng.uniform(28, 36)
        keystone = 0.22
        pw, ph = pw * 0.72, ph * 0.72
    rect = np.array([[-pw / 2, -ph / 2], [pw / 2, -ph / 2], [pw / 2, ph / 2], [-pw / 2, ph / 2]])
    rect[:2, 0] *= 1 - keystone  # top side shorter: the camera looks at the page slanted
    rect += rng.uniform(-0.012, 0.012, (4, 2)) * [pw, ph]
    a = math.radians(angle)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    pts = rect @ rot.T
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    fit = min(1.0, *(np.array([fw, fh]) * 0.95 / (hi - lo)))
    pts, lo, hi = pts * fit, lo * fit, hi * fit
    free = np.array([fw, fh]) * 0.97 - (hi - lo)
    centre = np.array([fw, fh]) / 2 + rng.uniform(-0.5, 0.5, 2) * np.maximum(free, 0)
    pts += centre - (lo + hi) / 2
    if scenario == "cutoff":
        side = int(rng.integers(0, 4))
        over = rng.uniform(0.08, 0.15) * (pw if side in (0, 2) else ph)
        shift = {
            0: (pts[:, 0].min() + over, 0),
            1: (0, pts[:, 1].min() + over),
            2: (pts[:, 0].max() - fw - over, 0),
            3: (0, pts[:, 1].max() - fh - over),
        }
        pts -= np.array(shift[side])
    return pts.astype(np.float64)


def _composite(frame: np.ndarray, page: np.ndarray, corners: np.ndarray) -> None:
    """Warp ``page`` onto ``frame`` in place with anti-aliased edges."""
    ph, pw = page.shape[:2]
    src = np.array(
        [[-0.5, -0.5], [pw - 0.5, -0.5], [pw - 0.5, ph - 0.5], [-0.5, ph - 0.5]], np.float32
    )
    m = cv2.getPerspectiveTransform(src, corners.astype(np.float32))
    size = (frame.shape[1], frame.shape[0])
    warped = cv2.warpPerspective(page, m, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, size, flags=cv2.INTER_LINEAR)
    frame *= (1.0 - mask)[..., None]
    frame += warped.astype(np.float32) * mask[..., None]


def _lighting(rng: np.random.Generator, w: int, h: int, *, dark: bool) -> np.ndarray:
    """A smooth gain field: exposure, a side-light ramp, vignetting and a soft shadow."""
    sw, sh = max(w // 8, 2), max(h // 8, 2)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    xx, yy = xx / sw - 0.5, yy / sh - 0.5
    theta = rng.uniform(0, 2 * math.pi)
    ramp = 1.0 - rng.uniform(0.12, 0.28) * (xx * math.cos(theta) + yy * math.sin(theta) + 0.7)
    vignette = 1.0 - 0.25 * (xx**2 + yy**2)
    sx, sy = rng.uniform(-0.3, 0.3, 2)
    shadow = 1.0 - 0.22 * np.exp(-(((xx - sx) / 0.18) ** 2 + ((yy - sy) / 0.3) ** 2))
    gain = rng.uniform(0.22, 0.28) if dark else rng.uniform(0.92, 1.0)
    field = (gain * ramp * vignette * shadow).astype(np.float32)
    return cv2.resize(field, (w, h), interpolation=cv2.INTER_LINEAR)


def _glare(rng: np.random.Generator, w: int, h: int, corners: np.ndarray) -> np.ndarray:
    """A specular hot spot over the page's text area, strong enough to clip."""
    centre = corners.mean(axis=0) + rng.uniform(-0.15, 0.15, 2) * (corners[2] - corners[0])
    radius = 0.09 * float(np.linalg.norm(corners[1] - corners[0]))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r2 = (xx - centre[0]) ** 2 + (yy - centre[1]) ** 2
    return (420.0 * np.exp(-r2 / (2 * radius**2))).astype(np.float32)


def _noise(rng: np.random.Generator, w: int, h: int, sigma: float) -> np.ndarray:
    """Luma sensor noise; a tiled 256-pixel patch keeps 12 MP frames fast."""
    tile = rng.normal(0, sigma, (256, 256)).astype(np.float32)
    return np.tile(tile, (h // 256 + 1, w // 256 + 1))[:h, :w]
