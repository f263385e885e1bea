"""Labelled photographs of real QR codes, for the tests and ``bench/bench_qr.py``.

The layout is that of the zxing and zxing-cpp "blackbox" sample sets: an image
(``.png``, ``.jpg``, ``.webp``) beside a ``.txt`` of the same name that holds the exact
text of the code (UTF-8). The curated set in tests/devices/qr/photos/ follows it (see its
SOURCES.md), and so does a checkout of either project, which the benchmark can be
pointed at. Images without a ``.txt`` are skipped.
"""

from __future__ import annotations

import dataclasses as dc
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


@dc.dataclass(frozen=True, eq=False)
class Photo:
    """One photograph and the text of the code in it."""

    path: Path
    text: str
    grey: np.ndarray

    @property
    def name(self) -> str:
        """The path below the set's folder, for reports: ``qrcode-2/10.png``."""
        return "/".join(self.path.parts[-2:])


def labelled_photos(folder: Path) -> Iterator[Photo]:
    """Every labelled image below ``folder``, in path order, as grey uint8."""
    for path in sorted(folder.rglob("*.*")):  # every file with a suffix
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        label = path.with_suffix(".txt")
        if not label.is_file():
            continue
        grey = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        if grey is None:
            raise ValueError(f"{path}: not an image OpenCV can read")
        yield Photo(path, label.read_bytes().decode("utf-8"), grey)  # keep CR LF as written
