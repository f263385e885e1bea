"""The camera that reads QR codes: one capture interface over OpenCV, chosen by URL.

``v4l2:///dev/video0?width=1920&height=1080`` a UVC camera (MJPEG);
``file:///srv/clip.mp4`` a video file, played at its frame rate, looping;
``file:///srv/frames/`` a folder of images (or one image), ``?fps=5``;
``sim://camera?qr=TEXT&width=1280&height=720&blur=1&tilt=20&noise=3`` a synthetic view
(:class:`CameraSimulator`, recorded in the ``simulators`` passed to :func:`open_camera`):
``simulators.camera.show(text)`` holds up a code at run time.

    camera = open_camera("sim://camera?qr=王芳").start()
    frame = camera.next_frame()          # the newest frame, BGR, full resolution
    camera.status().device               # online / offline / hardwareError
    camera.close()
"""

from __future__ import annotations

import functools

from devices.camera.driver import Camera, Frame
from devices.camera.simulator import CameraSimulator
from devices.camera.sources import FolderSource, FrameSource, OpenCvSource, open_file_source
from devices.qr.synth import Scene
from devices.simulation import Simulators
from devices.transport import parse_url

SCENE_PARAMS = (
    "module_px",
    "rotation",
    "tilt",
    "tilt_axis",
    "blur",
    "motion",
    "noise",
    "dark",
    "light",
    "shade",
)


def open_camera(url: str, *, start: bool = False, simulators: Simulators | None = None) -> Camera:
    """The camera named by ``url`` (see the module docstring); started if ``start``.

    Opening never fails for a camera that is merely absent: it starts ``offline`` and
    the capture thread keeps looking for it. Bad URLs raise ``ValueError``.
    """
    u = parse_url(url)
    p = u.params
    name = f"{u.scheme}://{u.host}{u.path}"  # without the query: it may carry a payload
    preview_width = _int(p, "preview_width", 640)
    if u.scheme == "v4l2":
        target = u.path or u.host
        device: str | int = int(target) if target.isdigit() else target
        opener = functools.partial(
            OpenCvSource,
            device,
            live=True,
            width=_int(p, "width", 0) or None,
            height=_int(p, "height", 0) or None,
            fourcc=p.get("fourcc", "MJPG"),
        )
        camera = Camera(opener, name=name, preview_width=preview_width)
    elif u.scheme == "file":
        fps = float(p["fps"]) if "fps" in p else None
        camera = Camera(
            functools.partial(open_file_source, u.path, fps), name=name, preview_width=preview_width
        )
    elif u.scheme == "sim":
        sim = _simulator(p)
        if simulators is not None:
            simulators.camera = sim
        camera = Camera(sim.open, name=name, preview_width=preview_width)
    else:
        raise ValueError(f"unsupported camera URL scheme {u.scheme!r} in {url!r}")
    return camera.start() if start else camera


def _simulator(p: dict[str, str]) -> CameraSimulator:
    scene = Scene(module_px=5.0, jpeg=_int(p, "jpeg", 85))
    overrides = {k: _float(p, k) for k in SCENE_PARAMS if k in p}
    if "module" in p:
        overrides["module_px"] = _float(p, "module")
    sim = CameraSimulator(
        size=(_int(p, "width", 1280), _int(p, "height", 720)),
        fps=_float(p, "fps") if "fps" in p else 15.0,
        scene=Scene(**{**scene.__dict__, **overrides}),
        seed=_int(p, "seed", 0),
    )
    if p.get("qr"):
        eci = _int(p, "eci", 0) or None
        sim.show(p["qr"], encoding=p.get("encoding", "utf-8"), eci=eci)
    return sim


def _int(p: dict[str, str], key: str, default: int) -> int:
    try:
        return int(p.get(key, default))
    except ValueError as exc:
        raise ValueError(f"camera URL parameter {key} must be a whole number") from exc


def _float(p: dict[str, str], key: str) -> float:
    try:
        return float(p[key])
    except ValueError as exc:
        raise ValueError(f"camera URL parameter {key} must be a number") from exc


__all__ = [
    "Camera",
    "CameraSimulator",
    "FolderSource",
    "Frame",
    "FrameSource",
    "OpenCvSource",
    "open_camera",
    "open_file_source",
]
