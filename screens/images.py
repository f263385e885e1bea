"""Turning camera frames and encoded pages into Kivy textures."""

from __future__ import annotations

import cv2
import numpy as np
from kivy.graphics.texture import Texture


def texture_from_bgr(frame: np.ndarray) -> Texture:
    """A texture from an OpenCV-style BGR (or grey) array, flipped for OpenGL."""
    rgb = np.repeat(frame[:, :, None], 3, axis=2) if frame.ndim == 2 else frame[:, :, ::-1]
    rgb = np.ascontiguousarray(rgb[::-1])
    height, width = rgb.shape[:2]
    texture = Texture.create(size=(width, height), colorfmt="rgb")
    texture.blit_buffer(rgb.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
    return texture


def thumbnail_texture(jpeg: bytes) -> Texture:
    """A half-size texture of an encoded page: enough for the screen, a quarter of the
    memory (a 200 dpi A4 page is 1654×2339)."""
    frame = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_REDUCED_COLOR_2)
    if frame is None:
        raise ValueError("not a decodable image")
    return texture_from_bgr(frame)
