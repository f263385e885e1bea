"""Where a QR code may be in a frame, cheaply, when the library found nothing to read.

A QR symbol is a square patch dense with edges in both directions. On a 1/4-scale copy,
the smaller of the horizontal and vertical gradient (so stripes and single edges score
low), box-averaged, marks such patches; connected blobs that are large enough and
roughly square become candidate boxes, best first. About 2 ms per 720p frame and 3 ms
per 1080p frame on one core. Text and textures give candidates too: the reader spends
its time budget on them in order, and a wrong candidate costs time, never a wrong code.
"""

from __future__ import annotations

import dataclasses as dc

import cv2
import numpy as np

SCALE = 4  # work at 1/4 size
MIN_SIDE_PX = 30  # smallest code worth a second look: 21 modules at ~1.5 px
MAX_ASPECT = 3.0  # a tilted square stays within this
MIN_ENERGY = 8.0  # grey levels: flat frames yield nothing
PEAK_SHARE = 0.4


@dc.dataclass(frozen=True)
class Box:
    """A candidate region in frame pixels, half-open: [x0, x1) x [y0, y1)."""

    x0: int
    y0: int
    x1: int
    y1: int
    score: float = 0.0

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def grown(self, share: float, shape: tuple[int, ...]) -> Box:
        """This box widened by ``share`` of its size on each side, clipped to ``shape``."""
        dx, dy = round(self.width * share), round(self.height * share)
        h, w = shape[:2]
        return Box(
            max(0, self.x0 - dx),
            max(0, self.y0 - dy),
            min(w, self.x1 + dx),
            min(h, self.y1 + dy),
            self.score,
        )

    def overlaps(self, other: Box) -> bool:
        return not (
            other.x0 >= self.x1 or other.x1 <= self.x0 or other.y0 >= self.y1 or other.y1 <= self.y0
        )

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x < self.x1 and self.y0 <= y < self.y1


def box_around(points: np.ndarray, shape: tuple[int, ...]) -> Box:
    """The bounding box of ``points`` ((N, 2) x, y), clipped to ``shape``."""
    lo = np.floor(points.min(axis=0)).astype(int)
    hi = np.ceil(points.max(axis=0)).astype(int) + 1
    h, w = shape[:2]
    return Box(max(0, lo[0]), max(0, lo[1]), min(w, hi[0]), min(h, hi[1]))


def candidates(grey: np.ndarray, limit: int = 3) -> list[Box]:
    """Up to ``limit`` boxes likely to hold a QR symbol, most likely first."""
    h, w = grey.shape[:2]
    if h < 4 * SCALE or w < 4 * SCALE:
        return []
    small = cv2.resize(grey, (w // SCALE, h // SCALE), interpolation=cv2.INTER_AREA)
    gx = cv2.convertScaleAbs(cv2.Sobel(small, cv2.CV_16S, 1, 0))
    gy = cv2.convertScaleAbs(cv2.Sobel(small, cv2.CV_16S, 0, 1))
    energy = cv2.blur(cv2.min(gx, gy).astype(np.float32), (7, 7))
    mean, std = cv2.meanStdDev(energy)
    # Above the frame's usual texture; for a frame the code fills, above a share of the
    # peak instead, or the flat finder patterns would fall outside the blob.
    peak = float(energy.max())
    threshold = max(min(float(mean[0, 0] + 2 * std[0, 0]), PEAK_SHARE * peak), MIN_ENERGY)
    mask = cv2.morphologyEx(
        (energy > threshold).astype(np.uint8), cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)
    )
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    found = []
    for i in range(1, n):
        x, y, bw, bh = (int(v) for v in stats[i][:4])
        if min(bw, bh) * SCALE < MIN_SIDE_PX or max(bw, bh) > MAX_ASPECT * min(bw, bh):
            continue
        score = float(energy[y : y + bh, x : x + bw][labels[y : y + bh, x : x + bw] == i].sum())
        found.append(Box(x * SCALE, y * SCALE, (x + bw) * SCALE, (y + bh) * SCALE, score))
    found.sort(key=lambda b: b.score, reverse=True)
    return found[:limit]
