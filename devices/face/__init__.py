"""The face check's model and measures (人证核验): dlib offline, pure numbers out.

- :mod:`devices.face.model`: detection, 68 landmarks and 128-d embeddings (dlib with the
  ``face-recognition-models`` weights; nothing downloaded at run time);
- :mod:`devices.face.landmarks`: eyes open or shut, head turned or tilted;
- :mod:`devices.face.quality`: the capture's quality gate.

Frames come from the camera (devices/camera); what a kiosk does with these numbers —
the liveness challenge, the attempts, the verification — is policy, in kiosk/face/.
Nothing here writes an image or a descriptor anywhere, or logs one.
"""

from __future__ import annotations

from devices.face.errors import FaceError, ModelMissing, NoFace, SeveralFaces, UnreadableImage
from devices.face.model import Face, FaceModel, decode, distance, shared_model
from devices.face.quality import Limits, Measure, Problem, Verdict, check, judge, measure

__all__ = [
    "Face",
    "FaceError",
    "FaceModel",
    "Limits",
    "Measure",
    "ModelMissing",
    "NoFace",
    "Problem",
    "SeveralFaces",
    "UnreadableImage",
    "Verdict",
    "check",
    "decode",
    "distance",
    "judge",
    "measure",
    "shared_model",
]
