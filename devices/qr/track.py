"""Combining consecutive frames: where codes were, and which codes are new.

A citizen holds a code up for a second or two: 30-60 frames of the same code, some
sharp, some shaken. :class:`Track` remembers where a code was decoded or located in the
last frames, so a frame in which the library finds nothing still gets a close look at
that spot. :class:`Debounce` turns per-frame results into events: a code is announced
when first seen and again only after it has been out of view for a while, so that
``kiosk qr watch`` and the kiosk's screens get one event per showing, not thirty.
"""

from __future__ import annotations

import dataclasses as dc
from collections.abc import Iterable

import numpy as np

from devices.qr.locate import Box, box_around

TRACK_FRAMES = 10  # a third of a second at 30 fps
FORGET_FRAMES = 45  # 1.5 s out of view before the same code is announced again


@dc.dataclass
class _Seen:
    corners: np.ndarray
    age: int = 0


class Track:
    """Positions of codes seen in the last ``frames`` frames, newest first."""

    def __init__(self, frames: int = TRACK_FRAMES) -> None:
        if frames < 0:
            raise ValueError("frames must be >= 0")
        self.frames = frames
        self._seen: list[_Seen] = []

    def update(self, decoded: Iterable[np.ndarray], located: Iterable[np.ndarray]) -> None:
        """Age what was known by one frame and add this frame's positions."""
        for s in self._seen:
            s.age += 1
        fresh = [_Seen(np.asarray(c, np.float64)) for c in [*decoded, *located]]
        kept = [s for s in self._seen if s.age <= self.frames and not _near_any(s, fresh)]
        self._seen = fresh + kept

    def boxes(self, shape: tuple[int, ...]) -> list[Box]:
        """Bounding boxes of the remembered positions, newest first, clipped to ``shape``."""
        return [box_around(s.corners, shape) for s in self._seen]

    def clear(self) -> None:
        self._seen = []


def _near_any(seen: _Seen, fresh: list[_Seen]) -> bool:
    centre = seen.corners.mean(axis=0)
    size = float(np.ptp(seen.corners, axis=0).max())
    return any(np.linalg.norm(f.corners.mean(axis=0) - centre) < size / 2 for f in fresh)


class Debounce:
    """One announcement per showing of a code, by its text.

    A code out of view for more than ``forget_frames`` frames in a row is announced again
    when it comes back.
    """

    def __init__(self, forget_frames: int = FORGET_FRAMES) -> None:
        self.forget_frames = forget_frames
        self._last_seen: dict[str, int] = {}
        self._frame = 0

    def new(self, texts: Iterable[str]) -> list[str]:
        """Texts of this frame's codes that were not in view recently, in order."""
        self._frame += 1
        fresh = []
        for text in dict.fromkeys(texts):
            last = self._last_seen.get(text)
            if last is None or self._frame - last - 1 > self.forget_frames:
                fresh.append(text)
            self._last_seen[text] = self._frame
        self._last_seen = {
            t: f for t, f in self._last_seen.items() if self._frame - f <= self.forget_frames + 1
        }
        return fresh

    def reset(self) -> None:
        self._last_seen.clear()
