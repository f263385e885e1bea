"""dlib's face models, offline: HOG detection, 68-point landmarks, 128-d embeddings.

The weights come from the ``face-recognition-models`` package (installed from the
package index with ``dlib-bin``); nothing is downloaded at run time. Loading them takes
about a second and 100 MB, so one :class:`FaceModel` is shared (:func:`shared_model`)
and loaded on first use.

Detection runs on a grey copy shrunk to ``detect_width`` pixels (HOG at 1280×720 costs
up to a second on one core; a kiosk's face fills a good part of the frame, so the small
copy loses nothing that matters); landmarks and embeddings use the full frame.

    model = shared_model()
    faces = model.analyse(frame_bgr)        # [Face(box, landmarks)], largest first
    vec = model.embedding(frame_bgr, faces[0])
    distance(vec, other)                    # < threshold: the same person
"""

from __future__ import annotations

import dataclasses as dc
import functools
import importlib.util
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from devices.face.errors import ModelMissing, NoFace, SeveralFaces, UnreadableImage

DETECT_WIDTH = 640  # pixels: HOG on a 1280×720 frame shrunk to this width (faces from 1/8 of it)
UPSAMPLE = 0  # HOG pyramid upsampling; 0 finds faces of 80 px and more in the small copy

# the model files inside the face_recognition_models package
LANDMARKS_68 = "shape_predictor_68_face_landmarks.dat"
RESNET = "dlib_face_recognition_resnet_model_v1.dat"


@dc.dataclass(frozen=True, eq=False)
class Face:
    """One face in a frame: its box (left, top, right, bottom) in frame pixels, the
    detector's score, and the 68 landmarks (x, y) in frame pixels (iBUG 300-W order)."""

    box: tuple[int, int, int, int]
    score: float
    landmarks: np.ndarray = dc.field(repr=False)  # shape (68, 2), float

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


def model_dir() -> Path:
    """Where the weights are; ModelMissing when the package is not installed."""
    # Found, not imported: its __init__ needs pkg_resources, which setuptools 81+ dropped.
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or spec.origin is None:
        raise ModelMissing("the face-recognition-models package is not installed")
    return Path(spec.origin).parent / "models"


def _dlib() -> Any:  # dlib has no type information: Any at this boundary
    try:
        import dlib
    except ImportError as exc:
        raise ModelMissing("dlib (the dlib-bin package) is not installed") from exc
    return dlib


class FaceModel:
    """The three dlib models behind one lock (dlib objects are not shared across
    threads here: the capture loop and a CLI each hold the lock while they use them)."""

    def __init__(self, *, detect_width: int = DETECT_WIDTH) -> None:
        dlib = _dlib()
        folder = model_dir()
        self.detect_width = detect_width
        self._detector = dlib.get_frontal_face_detector()
        self._shape = dlib.shape_predictor(str(folder / LANDMARKS_68))
        self._encoder = dlib.face_recognition_model_v1(str(folder / RESNET))
        self._rect = dlib.rectangle
        self._lock = threading.Lock()

    def analyse(self, image: np.ndarray) -> list[Face]:
        """Every face in a BGR (or grey) frame with its landmarks, the largest first."""
        grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        h, w = grey.shape[:2]
        scale = min(1.0, self.detect_width / float(w))
        small = grey if scale == 1.0 else cv2.resize(grey, (int(w * scale), int(h * scale)))
        with self._lock:
            rects, scores, _kinds = self._detector.run(small, UPSAMPLE, 0.0)
            faces = []
            for rect, score in zip(rects, scores, strict=True):
                box = (
                    max(0, int(rect.left() / scale)),
                    max(0, int(rect.top() / scale)),
                    min(w, int(rect.right() / scale)),
                    min(h, int(rect.bottom() / scale)),
                )
                shape = self._shape(grey, self._rect(*box))
                points = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
                faces.append(Face(box, float(score), points))
        faces.sort(key=lambda f: f.width * f.height, reverse=True)
        return faces

    def embedding(self, image: np.ndarray, face: Face) -> np.ndarray:
        """The 128-d descriptor of ``face`` in the BGR frame it was found in."""
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB) if image.ndim == 3 else image
        with self._lock:
            shape = self._shape(rgb, self._rect(*face.box))
            vec = self._encoder.compute_face_descriptor(rgb, shape, 0)
        return np.asarray(vec, dtype=np.float64)

    def single(self, image: np.ndarray) -> Face:
        """The one face in ``image``; NoFace or SeveralFaces otherwise."""
        faces = self.analyse(image)
        if not faces:
            raise NoFace("no face found")
        if len(faces) > 1:
            raise SeveralFaces(len(faces))
        return faces[0]

    def describe(self, image: np.ndarray) -> np.ndarray:
        """The descriptor of the one face in ``image``."""
        return self.embedding(image, self.single(image))


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Euclidean distance between two descriptors: small for the same person."""
    return float(np.linalg.norm(np.asarray(a) - np.asarray(b)))


def decode(data: bytes) -> np.ndarray:
    """A BGR image from JPEG/PNG/BMP bytes; UnreadableImage otherwise."""
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
    if image is None:
        raise UnreadableImage("not an image this kiosk can read")
    return image


@functools.lru_cache(maxsize=1)
def shared_model() -> FaceModel:
    """The process's one model, loaded on first use."""
    return FaceModel()
