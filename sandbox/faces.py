"""Sandbox handlers for 人证核验 and 资格认证: a live capture compared with the photo on
record of a synthetic resident, and the certification put on record.

The comparison uses the kiosk's model (dlib with the ``face-recognition-models``
weights: HOG detection, 68 landmarks, 128-d descriptors), loaded here on its own: the
stand-in platform shares no code with the kiosk beyond the wire models. The photos on
record are sandbox/residents/<ID number>.jpg (see its SOURCES.md). The live image is
compared and dropped; only the verdict and the distance are kept, so a certification can
refer to its verification.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import importlib.util
import json
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from kiosk.upstream import fields as f
from kiosk.upstream.models import CHINA_TZ, to_json
from kiosk.upstream.service_models import (
    Certification,
    CertificationRequest,
    FaceVerification,
    FaceVerificationRequest,
)
from sandbox.context import Ctx
from sandbox.storage import next_value
from sandbox.wire import Problem, Request, Response, invalid, json_response

RESIDENTS = Path(__file__).parent / "residents"
THRESHOLD = 0.5  # the kiosk's calibrated threshold (bench/RESULTS.md)
VALID_DAYS = 365  # a certification holds for a year


class _Model:
    """dlib's detector, 68-point predictor and ResNet encoder, behind a lock."""

    def __init__(self) -> None:
        import dlib  # the platform's own copy of the model: no kiosk code

        # found, not imported: its __init__ needs pkg_resources (gone from setuptools 81+)
        spec = importlib.util.find_spec("face_recognition_models")
        if spec is None or spec.origin is None:
            raise RuntimeError("the face-recognition-models package is not installed")
        folder = Path(spec.origin).parent / "models"
        self._detector = dlib.get_frontal_face_detector()
        self._shape = dlib.shape_predictor(str(folder / "shape_predictor_68_face_landmarks.dat"))
        self._encoder = dlib.face_recognition_model_v1(
            str(folder / "dlib_face_recognition_resnet_model_v1.dat")
        )
        self._lock = threading.Lock()

    def descriptor(self, image: np.ndarray) -> np.ndarray:
        """The one face's descriptor; Problem 422 without exactly one face."""
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        with self._lock:
            rects = self._detector(rgb, 1)
            if len(rects) != 1:
                code = "no_face" if len(rects) == 0 else "several_faces"
                raise Problem(422, code, "the image must show exactly one face")
            shape = self._shape(rgb, rects[0])
            return np.asarray(self._encoder.compute_face_descriptor(rgb, shape, 0))


@functools.lru_cache(maxsize=1)
def _model() -> _Model:
    return _Model()


def _on_record(ctx: Ctx, id_number: str) -> np.ndarray | None:
    """The descriptor of the applicant's photo on record: one put on record in the
    database (SandboxPlatform.put_photo_on_record), else the shipped resident's."""
    row = ctx.conn.execute(
        "SELECT jpeg FROM photos_on_record WHERE id_number = ?", (id_number,)
    ).fetchone()
    if row is not None:
        return _descriptor_of(bytes(row[0]))
    path = RESIDENTS / f"{id_number}.jpg"
    return _descriptor_of(path.read_bytes()) if path.is_file() else None


@functools.lru_cache(maxsize=64)
def _descriptor_of(jpeg: bytes) -> np.ndarray | None:
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    return None if image is None else _model().descriptor(image)


def verify(req: Request, ctx: Ctx) -> Response:
    try:
        body = FaceVerificationRequest.from_json(req.json())
    except f.FieldError as exc:
        raise invalid(exc) from exc
    reference = _on_record(ctx, body.applicant.id_number)
    if reference is None:
        raise Problem(422, "no_reference", "no photo on record for this applicant")
    image = _decode(body.image)
    distance = float(np.linalg.norm(_model().descriptor(image) - reference))
    del image  # compared, not kept
    verification_id = f"FV{next_value(ctx.conn, 'face_verification'):08d}"
    ctx.conn.execute(
        "INSERT INTO face_verifications VALUES (?,?,?,?,?,?)",
        (
            verification_id,
            req.device_id,
            body.applicant.id_number,
            int(distance < THRESHOLD),
            distance,
            req.now,
        ),
    )
    answer = FaceVerification(verification_id, distance < THRESHOLD, round(distance, 4), THRESHOLD)
    return json_response(200, to_json(answer))


def certify(req: Request, ctx: Ctx) -> Response:
    try:
        body = CertificationRequest.from_json(req.json())
    except f.FieldError as exc:
        raise invalid(exc) from exc
    if body.method == "face_platform":
        row = ctx.conn.execute(
            "SELECT device_id, id_number, matched FROM face_verifications"
            " WHERE verification_id = ?",
            (body.verification_id,),
        ).fetchone()
        if row is None or tuple(row) != (req.device_id, body.applicant.id_number, 1):
            raise Problem(422, "verification_mismatch", "no matching verification of this")
    elif body.method == "face_chip" and (body.distance or 0.0) >= THRESHOLD:
        raise Problem(422, "verification_mismatch", "the distance is not a match")
    today = dt.datetime.fromtimestamp(req.now, CHINA_TZ).date()
    cert = Certification(
        certification_id=f"RZ{next_value(ctx.conn, 'certification'):08d}",
        method=body.method,
        certified_on=today.isoformat(),
        valid_until=(today + dt.timedelta(days=VALID_DAYS)).isoformat(),
    )
    ctx.conn.execute(
        "INSERT INTO certifications VALUES (?,?,?,?,?,?,?,?,?)",
        (
            cert.certification_id,
            req.device_id,
            body.applicant.id_number,
            body.matter_code,
            cert.method,
            cert.certified_on,
            cert.valid_until,
            json.dumps(to_json(body), ensure_ascii=False),
            req.now,
        ),
    )
    return json_response(201, to_json(cert))


def _decode(text: str) -> Any:
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise Problem(422, "bad_image", "image is not base64") from exc
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
    if image is None:
        raise Problem(422, "bad_image", "image is not a JPEG or PNG")
    return image
