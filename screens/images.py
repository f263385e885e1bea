"""Turning camera frames and encoded pages into Kivy textures."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from kivy.core.image import Image as CoreImage
from kivy.graphics.texture import Texture


def texture_from_bgr(frame: np.ndarray) -> Texture:
    """A texture from an OpenCV-style BGR (or grey) array, flipped for OpenGL."""
    rgb = np.repeat(frame[:, :, None], 3, axis=2) if frame.ndim == 2 else frame[:, :, ::-1]
    rgb = np.ascontiguousarray(rgb[::-1])
    height, width = rgb.shape[:2]
    texture = Texture.create(size=(width, height), colorfmt="rgb")
    texture.blit_buffer(rgb.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
    return texture


def texture_from_encoded(data: bytes, ext: str = "jpg") -> Any:
    return CoreImage(io.BytesIO(data), ext=ext).texture
