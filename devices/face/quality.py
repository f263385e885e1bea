"""The quality gate for a face capture: one face, roughly frontal, eyes open, sharp,
well lit, and large enough. Pure: numbers in, a verdict out.

:func:`measure` reads the numbers off a frame and its faces; :func:`judge` turns them
into the problems to fix, most important first, which the kiosk turns into a spoken and
shown prompt (请靠近一点, 请正对摄像头 …). The limits are a :class:`Limits`, so a site
with a poor camera can loosen them by settings.
"""

from __future__ import annotations

import dataclasses as dc
import enum
from collections.abc import Sequence

import cv2
import numpy as np

from devices.face.landmarks import eyes_open, roll, yaw
from devices.face.model import Face

SHARPNESS_WIDTH = 160  # the face is scaled to this width before its sharpness is measured


class Problem(enum.StrEnum):
    NO_FACE = "no_face"
    SEVERAL_FACES = "several_faces"
    TOO_SMALL = "too_small"
    TOO_CLOSE = "too_close"
    NOT_FRONTAL = "not_frontal"
    EYES_CLOSED = "eyes_closed"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    BLURRY = "blurry"


@dc.dataclass(frozen=True)
class Limits:
    min_width: float = 0.15  # the face's width as a share of the frame's
    max_width: float = 0.75
    max_yaw: float = 0.25  # landmarks.yaw
    max_roll: float = 15.0  # degrees
    min_eyes: float = 0.15  # eye aspect ratio (elderly lids droop: open eyes read 0.2–0.3)
    min_light: float = 60.0  # mean grey level of the face, 0–255
    max_light: float = 210.0
    min_sharpness: float = 40.0  # variance of the Laplacian of the face at 160 px wide
    other_face: float = 0.5  # a second face this large (share of the first's width) counts


@dc.dataclass(frozen=True)
class Measure:
    """The numbers the gate judges, for one frame (``faces`` counts those that matter)."""

    faces: int
    width: float = 0.0
    yaw: float = 0.0
    roll: float = 0.0
    eyes: float = 0.0
    light: float = 0.0
    sharpness: float = 0.0


@dc.dataclass(frozen=True)
class Verdict:
    measure: Measure
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def measure(image: np.ndarray, faces: Sequence[Face], limits: Limits = Limits()) -> Measure:
    """The gate's numbers for ``faces`` (largest first) found in ``image``."""
    if not faces:
        return Measure(0)
    main = faces[0]
    counted = 1 + sum(1 for f in faces[1:] if f.width >= limits.other_face * main.width)
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    left, top, right, bottom = main.box
    crop = grey[top:bottom, left:right]
    if crop.size == 0:
        return Measure(counted, width=main.width / grey.shape[1])
    scale = SHARPNESS_WIDTH / max(1, crop.shape[1])
    small = cv2.resize(crop, (SHARPNESS_WIDTH, max(1, int(crop.shape[0] * scale))))
    return Measure(
        faces=counted,
        width=main.width / grey.shape[1],
        yaw=yaw(main.landmarks),
        roll=roll(main.landmarks),
        eyes=eyes_open(main.landmarks),
        light=float(crop.mean()),
        sharpness=float(cv2.Laplacian(small, cv2.CV_64F).var()),
    )


def judge(m: Measure, limits: Limits = Limits()) -> Verdict:
    """What is wrong with a frame, the thing to fix first first."""
    if m.faces == 0:
        return Verdict(m, (Problem.NO_FACE,))
    if m.faces > 1:
        return Verdict(m, (Problem.SEVERAL_FACES,))
    found: list[Problem] = []
    if m.width < limits.min_width:
        found.append(Problem.TOO_SMALL)
    elif m.width > limits.max_width:
        found.append(Problem.TOO_CLOSE)
    if abs(m.yaw) > limits.max_yaw or abs(m.roll) > limits.max_roll:
        found.append(Problem.NOT_FRONTAL)
    if m.light < limits.min_light:
        found.append(Problem.TOO_DARK)
    elif m.light > limits.max_light:
        found.append(Problem.TOO_BRIGHT)
    if m.eyes < limits.min_eyes:
        found.append(Problem.EYES_CLOSED)
    if m.sharpness < limits.min_sharpness:
        found.append(Problem.BLURRY)
    return Verdict(m, tuple(found))


def check(image: np.ndarray, faces: Sequence[Face], limits: Limits = Limits()) -> Verdict:
    """:func:`judge` of :func:`measure`."""
    return judge(measure(image, faces, limits), limits)
