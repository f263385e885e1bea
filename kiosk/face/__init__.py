"""The face check (人证核验) as the kiosk does it: the liveness challenge, the live
capture with its quality gate, and the verification against the photo on record.

The model and the measures are in devices/face/; the journey that uses this is
养老保险待遇领取资格认证 (kiosk/flows/certification.py). Frames and the capture live
only in memory: in the capture loop, then in the session's flow, wiped with it.
"""

from __future__ import annotations

from kiosk.face.capture import Board, Capture, CaptureFailed, FaceCapture, Phase, Progress
from kiosk.face.liveness import Action, LivenessCheck, Outcome, Sample, State, challenge

__all__ = [
    "Action",
    "Board",
    "Capture",
    "CaptureFailed",
    "FaceCapture",
    "LivenessCheck",
    "Outcome",
    "Phase",
    "Progress",
    "Sample",
    "State",
    "challenge",
]
