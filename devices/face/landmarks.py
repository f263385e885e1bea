"""What the 68 landmarks say about a face: eyes open or shut, head turned or tilted.

Points follow the iBUG 300-W layout dlib's predictor is trained on: jaw 0–16, brows
17–26, nose 27–35 (tip 30), the subject's right eye 36–41 and left eye 42–47 (in a
camera image, not mirrored: the right eye is on the image's left), mouth 48–67.

- Eye aspect ratio (Soukupová and Čech, "Real-Time Eye Blink Detection using Facial
  Landmarks", CVWW 2016): the eyelids' distance over the eye's width; about 0.3 open,
  under 0.2 shut.
- Yaw: where the nose tip sits between the two sides of the jaw, 0 facing the camera,
  positive when the subject turns to their left (the nose moves to the image's right).
- Roll: the angle of the line through the eyes' centres, in degrees.
"""

from __future__ import annotations

import math

import numpy as np

RIGHT_EYE = slice(36, 42)
LEFT_EYE = slice(42, 48)
NOSE_TIP = 30
JAW_RIGHT, JAW_LEFT = 2, 14  # the jaw's sides at the height of the nose


def eye_aspect_ratio(eye: np.ndarray) -> float:
    """(|p2−p6| + |p3−p5|) / (2 |p1−p4|) for one eye's six points."""
    p = np.asarray(eye, dtype=np.float64)
    width = np.linalg.norm(p[0] - p[3])
    if width == 0:
        return 0.0
    lids = np.linalg.norm(p[1] - p[5]) + np.linalg.norm(p[2] - p[4])
    return float(lids / (2.0 * width))


def eyes_open(points: np.ndarray) -> float:
    """The mean eye aspect ratio of both eyes."""
    return (eye_aspect_ratio(points[RIGHT_EYE]) + eye_aspect_ratio(points[LEFT_EYE])) / 2.0


def yaw(points: np.ndarray) -> float:
    """−1 … 1: the nose tip's place between the jaw's sides, 0 in the middle."""
    right, left = points[JAW_RIGHT][0], points[JAW_LEFT][0]
    span = left - right
    if span <= 0:
        return 0.0
    return float((points[NOSE_TIP][0] - right) / span * 2.0 - 1.0)


def roll(points: np.ndarray) -> float:
    """Degrees the line through the eyes' centres is tilted from level."""
    right = points[RIGHT_EYE].mean(axis=0)
    left = points[LEFT_EYE].mean(axis=0)
    return math.degrees(math.atan2(left[1] - right[1], left[0] - right[0]))
