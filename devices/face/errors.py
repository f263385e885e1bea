"""The face model's errors: one small tree, mapped to message keys in kiosk/errors.py."""

from __future__ import annotations


class FaceError(Exception):
    """Anything the face model cannot do with what it was given."""


class ModelMissing(FaceError):
    """The dlib model files (the ``face-recognition-models`` package) are not installed."""


class UnreadableImage(FaceError):
    """The bytes are not an image OpenCV can decode."""


class NoFace(FaceError):
    """No face was found where exactly one was needed."""


class SeveralFaces(FaceError):
    """More than one face was found where exactly one was needed."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} faces found, one needed")
        self.count = count
