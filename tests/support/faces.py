"""Face images for the face check's tests: the sample photos (devices/face/samples) and
clips made from them (devices/face/synth.py), read by the real model."""

from __future__ import annotations

import cv2
import numpy as np

from devices.face.model import shared_model
from devices.face.synth import SAMPLES, Pose, frame_from_photo, posed


def sample(name: str = "elder") -> np.ndarray:
    """A sample photo as BGR."""
    image = cv2.imread(str(SAMPLES / f"{name}.jpg"), cv2.IMREAD_COLOR)
    assert image is not None, name
    return image


def camera_frame(name: str = "elder", pose: Pose | None = None) -> np.ndarray:
    """The sample as a 1280×720 camera frame, its face in ``pose``."""
    frame, points = frame_from_photo(sample(name), shared_model())
    return posed(frame, points, pose or Pose())


def jpeg(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return data.tobytes()
