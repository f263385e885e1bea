"""``kiosk face compare A B`` and ``kiosk face check IMAGE``: the face model for
technicians and integrators, on image files.

``compare`` prints one JSON object: ``same`` (the distance is under the threshold),
``distance`` (between the two faces' 128-d descriptors) and ``threshold`` (the
``face.threshold`` setting, or ``--threshold``). ``check`` prints the quality gate's
verdict for the one face in an image: ``ok``, the ``problems`` to fix (most important
first) and the ``measure`` they were judged on.

An unreadable file, an image with no face or with several faces is an error: one line
on stderr naming the file and why, and exit status 1 (2 for bad options). Nothing is
written anywhere else, and neither images nor descriptors are logged.
"""

from __future__ import annotations

import argparse
import dataclasses as dc
from pathlib import Path
from typing import Any

from terminal.commands.base import (
    CommandFailed,
    add_config_argument,
    emit,
    settings_from_args,
)


class _Refused(CommandFailed):
    """One file could not be used: the message names it and says why (exit status 1)."""

    def __init__(self, why: str) -> None:
        super().__init__(1, f"face: {why}")


def _load(name: str) -> Any:
    from devices.face import UnreadableImage, decode

    try:
        data = Path(name).read_bytes()
    except FileNotFoundError as exc:
        raise _Refused(f"{name}: no such file") from exc
    except IsADirectoryError as exc:
        raise _Refused(f"{name}: is a directory") from exc
    except OSError as exc:
        raise _Refused(f"{name}: cannot read ({exc.strerror or exc})") from exc
    try:
        return decode(data)
    except UnreadableImage as exc:
        raise _Refused(f"{name}: not an image (JPEG, PNG, BMP…)") from exc


def _single(model: Any, image: Any, name: str) -> Any:
    from devices.face import NoFace, SeveralFaces

    try:
        return model.single(image)
    except NoFace as exc:
        raise _Refused(f"{name}: no face found") from exc
    except SeveralFaces as exc:
        raise _Refused(f"{name}: {exc.count} faces found; one is needed") from exc


def _compare(args: argparse.Namespace) -> int:
    from devices.face import distance, shared_model

    threshold = args.threshold
    if threshold is None:
        threshold = settings_from_args(args).face.threshold
    model = shared_model()
    vectors = []
    for name in (args.a, args.b):
        image = _load(name)
        vectors.append(model.embedding(image, _single(model, image, name)))
    d = distance(vectors[0], vectors[1])
    emit({"same": d < threshold, "distance": round(d, 4), "threshold": threshold})
    return 0


def _check(args: argparse.Namespace) -> int:
    from devices.face import check, shared_model

    model = shared_model()
    image = _load(args.image)
    faces = model.analyse(image)
    if not faces:
        raise _Refused(f"{args.image}: no face found")
    verdict = check(image, faces)
    if verdict.measure.faces > 1:
        raise _Refused(f"{args.image}: {verdict.measure.faces} faces found; one is needed")
    measure = {k: round(v, 3) for k, v in dc.asdict(verdict.measure).items()}
    emit(
        {
            "file": args.image,
            "ok": verdict.ok,
            "problems": [str(p) for p in verdict.problems],
            "measure": measure,
        }
    )
    return 0


def _run(handler: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        from devices.face import ModelMissing

        try:
            result: int = handler(args)
        except ModelMissing as exc:
            raise _Refused(f"{exc} (install dlib-bin and face-recognition-models)") from exc
        return result

    return run


def register(sub: argparse._SubParsersAction) -> None:
    face = sub.add_parser("face", help="the face check's model on image files (人证核验)")
    commands = face.add_subparsers(dest="face_command", required=True)

    compare = commands.add_parser("compare", help="are two photos of the same person? (JSON)")
    compare.add_argument("a", metavar="A.jpg")
    compare.add_argument("b", metavar="B.jpg")
    compare.add_argument("--threshold", type=float, help="default: the face.threshold setting")
    add_config_argument(compare)
    compare.set_defaults(handler=_run(_compare))

    check = commands.add_parser("check", help="the quality gate's verdict on a photo (JSON)")
    check.add_argument("image", metavar="IMAGE")
    check.set_defaults(handler=_run(_check))
