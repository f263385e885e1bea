"""Combining frames: remembered positions, and one announcement per showing."""

from __future__ import annotations

import numpy as np
import pytest

from devices.qr import Debounce, Track


def square(x: float, y: float, side: float = 100) -> np.ndarray:
    return np.array([[x, y], [x + side, y], [x + side, y + side], [x, y + side]])


def test_track_remembers_for_a_few_frames_then_forgets() -> None:
    track = Track(frames=2)
    track.update([square(100, 100)], [])
    assert [(b.x0, b.y0) for b in track.boxes((720, 1280))] == [(100, 100)]
    track.update([], [])
    track.update([], [])
    assert len(track.boxes((720, 1280))) == 1  # two frames old: still remembered
    track.update([], [])
    assert track.boxes((720, 1280)) == []


def test_track_replaces_a_moved_code_and_keeps_newest_first() -> None:
    track = Track(frames=5)
    track.update([square(100, 100)], [])
    track.update([], [square(500, 300)])  # located elsewhere, not decoded
    track.update([square(110, 104)], [])  # the first code, moved a little
    boxes = track.boxes((720, 1280))
    assert [(b.x0, b.y0) for b in boxes] == [(110, 104), (500, 300)]


def test_track_boxes_are_clipped_to_the_frame() -> None:
    track = Track()
    track.update([square(1250, 700)], [])
    (box,) = track.boxes((720, 1280))
    assert (box.x1, box.y1) == (1280, 720)
    track.clear()
    assert track.boxes((720, 1280)) == []
    with pytest.raises(ValueError):
        Track(frames=-1)


def test_debounce_announces_each_showing_once() -> None:
    events = Debounce(forget_frames=3)
    assert events.new(["A"]) == ["A"]
    assert events.new(["A", "A"]) == []
    assert events.new(["A", "B"]) == ["B"]
    for _ in range(3):
        assert events.new([]) == []
    assert events.new(["B"]) == []  # out of view for 3 frames: not yet forgotten
    for _ in range(4):
        events.new([])
    assert events.new(["A", "B"]) == ["A", "B"]
    events.reset()
    assert events.new(["A"]) == ["A"]
