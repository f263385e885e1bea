"""Face frames made from one photo: the person holds still, blinks, turns their head.

The simulated camera (devices/camera/simulator.py) replays such a clip in demos and
tests, so the whole face check — quality gate, liveness, verification — runs on frames
the real model reads. A blink and a head turn are made by moving landmarks and warping
the photo piecewise-affinely along them (a Delaunay mesh of the 68 points and the
frame's border): the upper eyelids come down onto the lower ones; the nose, mouth and
eyes slide sideways while the jaw's outline stays.

A clip made from a still photo with no movement is what a printed photo held up to the
camera looks like: it must not pass the liveness check.
"""

from __future__ import annotations

import dataclasses as dc
import functools
from pathlib import Path

import cv2
import numpy as np

from devices.face.model import FaceModel, shared_model

FRAME = (1280, 720)
FACE_SHARE = 0.26  # the face's width as a share of the frame's width
UPPER_LIDS = (37, 38, 43, 44)
LOWER_LIDS = {37: 41, 38: 40, 43: 47, 44: 46}
NOSE = range(27, 36)
MOUTH = range(48, 68)
EYES = range(36, 48)
BROWS = range(17, 27)
# Shut eyes, drawn several ways: (how far the upper lids come down, painted over). The
# landmark predictor reads any one of them open now and then, depending on the detector's
# box; a blink of several different frames reads shut in at least one, as a real one does.
VARIANTS = ((0.85, False), (0.85, True), (0.95, False), (0.95, True))


@dc.dataclass(frozen=True)
class Pose:
    """How far the eyes are shut (0 open … 1 shut) and the head turned (−1 … 1 of the
    largest turn; positive: to the subject's left)."""

    shut: float = 0.0
    turn: float = 0.0
    variant: int = 0  # shut eyes drawn one of VARIANTS ways (see :func:`blink_and_turn`)


def frame_from_photo(
    photo: np.ndarray, model: FaceModel, size: tuple[int, int] = FRAME
) -> tuple[np.ndarray, np.ndarray]:
    """The photo cropped and scaled so its face fills FACE_SHARE of a ``size`` frame
    (grey around it); returns the frame and its 68 landmarks."""
    face = model.single(photo)
    w, h = size
    scale = FACE_SHARE * w / face.width
    cx = (face.box[0] + face.box[2]) / 2 * scale
    cy = (face.box[1] + face.box[3]) / 2 * scale
    big = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    m = np.array([[1, 0, w / 2 - cx], [0, 1, h * 0.45 - cy]], dtype=np.float32)
    frame = cv2.warpAffine(big, m, (w, h), borderMode=cv2.BORDER_REPLICATE)
    points = face.landmarks * scale + np.array([w / 2 - cx, h * 0.45 - cy])
    return frame, points


def posed(frame: np.ndarray, points: np.ndarray, pose: Pose) -> np.ndarray:
    """``frame`` with its face moved into ``pose``."""
    if pose == Pose():
        return frame.copy()
    target = points.copy()
    down, paint = VARIANTS[pose.variant % len(VARIANTS)]
    for upper in UPPER_LIDS:
        lower = LOWER_LIDS[upper]
        target[upper] = points[upper] + (points[lower] - points[upper]) * down * pose.shut
    face_width = points[16][0] - points[0][0]
    shift = 0.10 * face_width * pose.turn
    for i, share in ((NOSE, 1.0), (MOUTH, 0.55), (EYES, 0.35), (BROWS, 0.3)):
        for j in i:
            target[j, 0] += shift * share * (1.3 if j in (30, 33) else 1.0)
    out = _warp(frame, points, target)
    return _paint_shut(out, target) if paint and pose.shut >= 1.0 else out


def clip(frame: np.ndarray, points: np.ndarray, poses: list[Pose]) -> list[np.ndarray]:
    """One frame per pose; equal poses share one array (read-only)."""
    made: dict[Pose, np.ndarray] = {}
    out = []
    for pose in poses:
        if pose not in made:
            image = posed(frame, points, pose)
            image.flags.writeable = False
            made[pose] = image
        out.append(made[pose])
    return out


def blink_and_turn(hold: int = 6, turn: float = 1.0) -> list[Pose]:
    """Still, a blink, still, a turn to the subject's left (``turn`` < 0: right) and
    back, still: about 4 s at 10 frames a second."""
    still = [Pose()] * hold
    shut = [Pose(shut=1.0, variant=v) for v in range(len(VARIANTS))]
    blink = [Pose(shut=0.5), *shut, Pose(shut=0.5)]
    t = turn
    turning = [Pose(turn=x * t) for x in (0.3, 0.6, 1.0, 1.0, 1.0, 0.6, 0.3)]
    return still + blink + still + turning + still


def _paint_shut(image: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Shut eyes: each eye's opening filled with the skin just under it, a dark lash
    line along the lower lid (warping alone leaves a sliver the predictor reads open)."""
    out = image.astype(np.float64)
    for eye in (range(36, 42), range(42, 48)):
        e = points[list(eye)]
        w = float(e[3][0] - e[0][0])
        y0, x0, x1 = int(e[:, 1].max() + 0.25 * w), int(e[0][0]), int(e[3][0])
        skin = image[y0 : y0 + max(2, int(0.15 * w)), x0:x1].reshape(-1, 3).mean(axis=0)
        lift = np.array([0.0, -0.15 * w])
        poly = np.vstack([e[0], e[1] + lift, e[2] + lift, e[3], e[4], e[5]]).astype(np.int32)
        mask = np.zeros(image.shape[:2], np.uint8)
        cv2.fillConvexPoly(mask, poly, 255)
        alpha = (cv2.GaussianBlur(mask, (0, 0), w * 0.06) / 255.0)[..., None]
        out = out * (1 - alpha) + skin * alpha
    result = out.astype(np.uint8)
    for eye in (range(36, 42), range(42, 48)):
        e = points[list(eye)]
        lid = np.array([e[0], e[5], e[4], e[3]]).astype(np.int32)
        width = max(1, int((e[3][0] - e[0][0]) * 0.06))
        cv2.polylines(result, [lid], False, (40, 30, 30), width, cv2.LINE_AA)
    return result


def _warp(frame: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    h, w = frame.shape[:2]
    border = np.array(
        [
            [0, 0],
            [w / 2, 0],
            [w - 1, 0],
            [w - 1, h / 2],
            [w - 1, h - 1],
            [w / 2, h - 1],
            [0, h - 1],
            [0, h / 2],
        ]
    )
    s = np.vstack([src, border]).astype(np.float32)
    d = np.vstack([dst, border]).astype(np.float32)
    subdiv = cv2.Subdiv2D((0, 0, w, h))
    for x, y in s:
        subdiv.insert((float(min(max(x, 0), w - 1)), float(min(max(y, 0), h - 1))))
    index = {(round(float(x), 1), round(float(y), 1)): i for i, (x, y) in enumerate(s)}
    out = frame.copy()
    for tri in subdiv.getTriangleList():
        found = [
            index.get((round(float(tri[k]), 1), round(float(tri[k + 1]), 1))) for k in (0, 2, 4)
        ]
        ids = [i for i in found if i is not None]
        if len(ids) != 3:
            continue
        a, b = s[ids], d[ids]
        if np.allclose(a, b):
            continue
        _triangle(frame, out, a, b)
    return out


def _triangle(src: np.ndarray, out: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    x, y, w, h = cv2.boundingRect(b)
    if w <= 0 or h <= 0:
        return
    m = cv2.getAffineTransform(a.astype(np.float32), (b - [x, y]).astype(np.float32))
    patch = cv2.warpAffine(src, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(mask, (b - [x, y]).astype(np.int32), 1, cv2.LINE_AA)
    H, W = out.shape[:2]
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, W), min(y + h, H)
    if x1 <= x0 or y1 <= y0:
        return
    region = out[y0:y1, x0:x1]
    sub = patch[y0 - y : y1 - y, x0 - x : x1 - x]
    keep = mask[y0 - y : y1 - y, x0 - x : x1 - x].astype(bool)
    region[keep] = sub[keep]


SAMPLES = Path(__file__).parent / "samples"


@functools.lru_cache(maxsize=4)
def face_clip(
    sample: str = "elder", *, live: bool = True, size: tuple[int, int] = FRAME
) -> tuple[np.ndarray, ...]:
    """A clip of ``sample`` (devices/face/samples/<sample>.jpg): blinking and turning its
    head to the left and then to the right (``live``), or one still frame."""
    path = SAMPLES / f"{sample}.jpg"
    photo = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if photo is None:
        raise FileNotFoundError(f"no face sample {path}")
    frame, points = frame_from_photo(photo, shared_model(), size)
    poses = blink_and_turn() + blink_and_turn(turn=-1.0) if live else [Pose()]
    return tuple(clip(frame, points, poses))
