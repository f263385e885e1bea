"""Camera-like frames of QR codes: the hard cases a kiosk camera sees, with known answers.

A code printed on a card or shown on a phone is held up to the camera: turned any way,
tilted up to 35°, small (modules down to 1.5 px) or large, blurred by focus or a shaky
hand, lit unevenly, low in contrast, noisy, and JPEG-compressed by the camera. Frames
without a code carry look-alikes (squares in squares, grids, stripes) to catch false
positives. Everything is deterministic by seed; payloads are made up.
"""

from __future__ import annotations

import dataclasses as dc
import math

import cv2
import numpy as np

SUPERSAMPLE = 3  # the code is drawn at 3x and area-averaged down: real anti-aliasing


@dc.dataclass(frozen=True)
class Scene:
    """How one code appears in one frame.

    ``module_px``: module size in frame pixels (before tilt); ``rotation``: in-plane
    degrees; ``tilt``: degrees the card leans away from the camera, about the axis at
    ``tilt_axis`` degrees; ``blur``: Gaussian sigma (px); ``motion``: length (px) of a
    straight motion streak; ``dark``/``light``: grey levels of ink and paper;
    ``shade``: strength of a light gradient across the frame (0-1); ``noise``: sensor
    noise sigma; ``jpeg``: camera JPEG quality (0 = none); ``centre``: (x, y) as a share
    of the frame.
    """

    module_px: float = 4.0
    rotation: float = 0.0
    tilt: float = 0.0
    tilt_axis: float = 0.0
    blur: float = 0.0
    motion: float = 0.0
    dark: float = 30.0
    light: float = 230.0
    shade: float = 0.0
    noise: float = 2.0
    jpeg: int = 0
    centre: tuple[float, float] = (0.5, 0.5)


def render_frame(
    matrix: np.ndarray | None,
    scene: Scene,
    size: tuple[int, int] = (1280, 720),
    *,
    seed: int = 0,
) -> np.ndarray:
    """A grey uint8 frame (``size`` = width, height) showing ``matrix`` as ``scene`` says.

    ``matrix`` is a bool module matrix with its quiet zone (``encode.qr_matrix``), or
    ``None`` for a frame with look-alikes and no code.
    """
    rng = np.random.default_rng(seed)
    w, h = size
    frame = _background(rng, w, h)
    if matrix is None:
        _lookalikes(frame, rng)
    else:
        _paste_code(frame, matrix, scene)
    return _camera(frame, scene, rng)


def code_corners(matrix_side: int, scene: Scene, size: tuple[int, int]) -> np.ndarray:
    """Where the symbol's outer corners (quiet zone included) land in the frame, (4, 2)."""
    side = matrix_side * scene.module_px
    half = side / 2
    square = np.array([[-half, -half, 0], [half, -half, 0], [half, half, 0], [-half, half, 0]])
    a = math.radians(scene.tilt_axis)
    axis = np.array([math.cos(a), math.sin(a), 0.0])
    pts = _rotate(square, axis, math.radians(scene.tilt))
    pts = _rotate(pts, np.array([0.0, 0.0, 1.0]), math.radians(scene.rotation))
    focal = 2.2 * max(size)  # a normal lens; the card a little nearer than the frame width
    depth = focal + pts[:, 2]
    xy = pts[:, :2] * (focal / depth)[:, None]
    centre = np.array([scene.centre[0] * size[0], scene.centre[1] * size[1]])
    return xy + centre


def _rotate(pts: np.ndarray, axis: np.ndarray, angle: float) -> np.ndarray:
    """Rodrigues' rotation of row vectors ``pts`` about unit ``axis``."""
    k = axis / np.linalg.norm(axis)
    cos, sin = math.cos(angle), math.sin(angle)
    return pts * cos + np.cross(k, pts) * sin + np.outer(pts @ k, k) * (1 - cos)


def _background(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """A counter top or a coat: a base grey, slow blotches, a few flat shapes."""
    base = rng.uniform(60, 190)
    blotch = cv2.resize(rng.normal(0, 18, (5, 7)).astype(np.float32), (w, h))
    frame = np.full((h, w), base, np.float32) + blotch
    for _ in range(int(rng.integers(2, 6))):
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1, y1 = x0 + int(rng.integers(40, w // 3)), y0 + int(rng.integers(40, h // 3))
        cv2.rectangle(frame, (x0, y0), (x1, y1), float(rng.uniform(20, 235)), -1)
    return frame


def _lookalikes(frame: np.ndarray, rng: np.random.Generator) -> None:
    """Things that are not QR codes: nested squares, check grids, stripes, text-like rows."""
    h, w = frame.shape
    for _ in range(int(rng.integers(3, 8))):
        kind = int(rng.integers(0, 4))
        s = int(rng.integers(20, max(21, min(w, h) // 4)))
        x, y = int(rng.integers(0, w - s)), int(rng.integers(0, h - s))
        roi = frame[y : y + s, x : x + s]
        if kind == 0:  # a lone finder-pattern look-alike: 1:1:3:1:1
            u = s / 7
            roi[:] = 20
            roi[round(u) : round(6 * u), round(u) : round(6 * u)] = 235
            roi[round(2 * u) : round(5 * u), round(2 * u) : round(5 * u)] = 20
        elif kind == 1:  # a chessboard
            n = int(rng.integers(4, 12))
            yy, xx = np.indices((s, s)) * n // s
            roi[:] = np.where((yy + xx) % 2 == 0, 25.0, 230.0)
        elif kind == 2:  # barcode-like stripes
            bars = np.repeat(np.arange(s) % 2, rng.integers(1, 5, s))[:s]
            roi[:] = np.where(bars == 0, 20.0, 230.0)[None, :]
        else:  # text-like rows of blobs
            roi[:] = 225
            for r in range(2, s - 6, 9):
                cols = rng.random(s) < 0.6
                roi[r : r + 5, cols] = 40


def _paste_code(frame: np.ndarray, matrix: np.ndarray, scene: Scene) -> None:
    """Draw the symbol (paper colour in its quiet zone) in perspective, anti-aliased."""
    h, w = frame.shape
    corners = code_corners(matrix.shape[0], scene, (w, h))
    lo = np.floor(corners.min(axis=0)).astype(int) - 2
    hi = np.ceil(corners.max(axis=0)).astype(int) + 2
    x0, y0 = max(lo[0], 0), max(lo[1], 0)
    x1, y1 = min(hi[0], w), min(hi[1], h)
    if x1 <= x0 or y1 <= y0:
        return
    ss = SUPERSAMPLE
    n = matrix.shape[0]
    src = np.array([[0, 0], [n, 0], [n, n], [0, n]], np.float32)
    dst = ((corners - [x0, y0] + 0.5) * ss - 0.5).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    out_size = ((x1 - x0) * ss, (y1 - y0) * ss)
    tone = np.where(matrix, scene.dark, scene.light).astype(np.float32)
    # One texel per module; nearest sampling keeps module edges crisp before averaging.
    warped = cv2.warpPerspective(tone, m, out_size, flags=cv2.INTER_NEAREST, borderValue=-1.0)
    inside = (warped >= 0).astype(np.float32)
    small = (x1 - x0, y1 - y0)
    code = cv2.resize(np.maximum(warped, 0.0), small, interpolation=cv2.INTER_AREA)
    mask = cv2.resize(inside, small, interpolation=cv2.INTER_AREA)
    roi = frame[y0:y1, x0:x1]
    roi *= 1.0 - mask
    roi += code


def _camera(frame: np.ndarray, scene: Scene, rng: np.random.Generator) -> np.ndarray:
    """Light, optics and sensor: shading, blur, motion, noise, JPEG."""
    h, w = frame.shape
    if scene.shade > 0:
        theta = rng.uniform(0, 2 * math.pi)
        yy, xx = np.mgrid[0:8, 0:8].astype(np.float32) / 7 - 0.5
        ramp = 1.0 - scene.shade * (xx * math.cos(theta) + yy * math.sin(theta) + 0.5)
        frame *= cv2.resize(ramp, (w, h))
    if scene.blur > 0:
        frame = cv2.GaussianBlur(frame, (0, 0), scene.blur)
    if scene.motion >= 1:
        frame = _motion_blur(frame, scene.motion, rng.uniform(0, math.pi))
    tile = rng.normal(0, scene.noise, (256, 256)).astype(np.float32)
    frame += np.tile(tile, (h // 256 + 1, w // 256 + 1))[:h, :w]
    out = np.clip(frame, 0, 255).astype(np.uint8)
    if scene.jpeg:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, scene.jpeg])
        if ok:
            out = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    return out


def _motion_blur(frame: np.ndarray, length: float, angle: float) -> np.ndarray:
    k = math.ceil(length) | 1
    kernel = np.zeros((k, k), np.float32)
    c = k // 2
    dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
    cv2.line(kernel, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1.0, 1)
    return cv2.filter2D(frame, -1, kernel / max(float(kernel.sum()), 1.0))


def random_scene(rng: np.random.Generator, level: str, matrix_side: int) -> Scene:
    """A scene of difficulty ``easy``, ``medium`` or ``hard`` that fits in a 16:9 frame."""
    if level == "easy":
        module = rng.uniform(4.0, 10.0)
        tilt, blur, motion = rng.uniform(0, 12), rng.uniform(0, 0.15) * module, 0.0
        dark, light = rng.uniform(10, 50), rng.uniform(190, 245)
        noise, jpeg, shade = rng.uniform(1, 3), int(rng.integers(80, 95)), rng.uniform(0, 0.2)
    elif level == "medium":
        module = rng.uniform(2.5, 6.0)
        tilt, blur, motion = rng.uniform(5, 25), rng.uniform(0.15, 0.35) * module, rng.uniform(0, 2)
        dark, light = rng.uniform(30, 80), rng.uniform(160, 230)
        noise, jpeg, shade = rng.uniform(2, 5), int(rng.integers(60, 85)), rng.uniform(0.1, 0.4)
    elif level == "hard":
        module = rng.uniform(2.0, 5.0)
        tilt, blur, motion = rng.uniform(20, 35), rng.uniform(0.3, 0.5) * module, rng.uniform(0, 3)
        dark, light = rng.uniform(50, 100), rng.uniform(140, 200)
        noise, jpeg, shade = rng.uniform(3, 7), int(rng.integers(40, 75)), rng.uniform(0.2, 0.5)
    else:
        raise ValueError(f"level must be easy, medium or hard, not {level!r}")
    span = matrix_side * module / 2 / 720 * 1.1  # half the code, as a share of 720 px height
    cx = rng.uniform(min(0.5, span * 720 / 1280 + 0.02), max(0.5, 0.98 - span * 720 / 1280))
    cy = rng.uniform(min(0.5, span + 0.02), max(0.5, 0.98 - span))
    return Scene(
        module_px=float(module),
        rotation=float(rng.uniform(0, 360)),
        tilt=float(tilt),
        tilt_axis=float(rng.uniform(0, 180)),
        blur=float(min(blur, 2.5)),
        motion=float(motion),
        dark=float(dark),
        light=float(light),
        shade=float(shade),
        noise=float(noise),
        jpeg=jpeg,
        centre=(float(cx), float(cy)),
    )
