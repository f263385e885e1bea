"""The reader: closer looks that rescue hard frames, within a time budget, no false codes."""

from __future__ import annotations

import numpy as np
import pytest

from devices.qr import QrReader, Track, open_backend, open_reader
from devices.qr.model import RawCode
from devices.qr.samples import empty_sample, sample
from devices.qr.text import Segment
from tests.support import FakeClock

HD = (1280, 720)


@pytest.mark.parametrize(("seed", "via"), [(1, "search"), (10, "located"), (14, "located")])
def test_a_closer_look_reads_what_the_raw_call_cannot(seed: int, via: str) -> None:
    shot = sample(seed, "hard", HD)
    assert shot.payload is not None
    assert open_reader("zxing", improve=False).read(shot.frame) == []
    codes = open_reader("zxing", budget_ms=None).read(shot.frame)
    assert [c.text for c in codes] == [shot.payload.text]
    assert codes[0].found_by == f"{via}:upscale"


def test_positions_from_a_closer_look_are_in_frame_pixels() -> None:
    shot = sample(14, "hard", HD)
    (code,) = open_reader("zxing", budget_ms=None).read(shot.frame)
    cx, cy = np.mean(code.position, axis=0)
    assert abs(cx / HD[0] - shot.scene.centre[0]) < 0.03
    assert abs(cy / HD[1] - shot.scene.centre[1]) < 0.03


def test_slow_backend_reads_likely_regions_instead_of_the_frame() -> None:
    shot = sample(17, "medium", HD)
    assert shot.payload is not None
    zbar = open_backend("zbar")
    sizes: list[tuple[int, ...]] = []
    real_read = zbar.read

    def spy(image, **kw):
        sizes.append(image.shape)
        return real_read(image, **kw)

    zbar.read = spy  # type: ignore[method-assign]
    reader = QrReader(zbar, budget_ms=None)
    assert reader.regions_first
    assert [c.text for c in reader.read(shot.frame)] == [shot.payload.text]
    assert (HD[1], HD[0]) not in sizes  # the whole frame was never handed to ZBar


@pytest.mark.parametrize("name", ["zxing", "zbar"])
def test_no_code_is_invented_on_frames_without_one(name: str) -> None:
    reader = open_reader(name, budget_ms=None)
    for seed in range(8):
        reader.track.clear()
        assert reader.read(empty_sample(seed, HD).frame) == []


class SlowNothing:
    """A backend that finds nothing and costs ``ms`` of fake time per call."""

    name = "fake"
    ms_per_mpx = 1.0
    ms_per_look = 1.0  # a first guess far too hopeful: the reader must learn better

    def __init__(self, clock: FakeClock, ms: float) -> None:
        self.clock, self.ms, self.calls = clock, ms, 0

    def read(self, grey, *, binarizer: str = "local"):
        self.calls += 1
        self.clock.now += self.ms / 1000
        return []


def test_closer_looks_stop_when_the_budget_is_spent() -> None:
    frame = empty_sample(3, HD).frame  # look-alikes: several candidate regions
    clock = FakeClock(0.0)
    backend = SlowNothing(clock, ms=10)
    reader = QrReader(backend, budget_ms=24, clock=clock, track=Track(0))
    assert reader.read(frame) == []
    assert backend.calls == 3  # the frame (10 ms), two closer looks (20 ms), then stop
    assert clock.now * 1000 <= 24 + 10

    unlimited = SlowNothing(FakeClock(0.0), ms=10)
    QrReader(unlimited, budget_ms=None, track=Track(0)).read(frame)
    assert unlimited.calls > backend.calls


def test_a_look_expected_to_overrun_is_skipped() -> None:
    clock = FakeClock(0.0)
    backend = SlowNothing(clock, ms=5)
    reader = QrReader(backend, budget_ms=24, clock=clock, track=Track(0))
    reader._first_guess = 1e6  # it believes every look costs far more than the budget
    reader.read(empty_sample(3, HD).frame)
    assert backend.calls == 2  # only the frame itself, and the frame inverted


class Scripted:
    """Decodes a fixed code at a fixed place on the full frame once, then only in crops."""

    name = "scripted"
    ms_per_mpx = 1.0

    def __init__(self) -> None:
        self.full_reads = 0

    def read(self, grey, *, binarizer: str = "local"):
        corners = np.array([[600, 300], [700, 300], [700, 400], [600, 400]], float)
        if grey.shape == (HD[1], HD[0]):
            self.full_reads += 1
            if self.full_reads > 1:
                return []
        else:
            corners = np.array([[10, 10], [30, 10], [30, 30], [10, 30]], float)
        return [RawCode((Segment(None, "王芳".encode()),), corners)]


def test_where_a_code_was_is_looked_at_first_in_the_next_frame() -> None:
    reader = QrReader(Scripted(), budget_ms=None)
    blank = np.full((HD[1], HD[0]), 128, np.uint8)  # nothing for the locator to find
    (first,) = reader.read(blank)
    assert first.found_by == "raw" and first.text == "王芳"
    (second,) = reader.read(blank)  # the full frame fails now; the tracked spot does not
    assert second.found_by == "track:upscale"
    assert second.text == "王芳"
    assert 560 <= second.position[0][0] <= 620  # mapped back from the crop


def test_frames_must_be_uint8_images() -> None:
    reader = open_reader("zxing")
    with pytest.raises(ValueError, match="uint8"):
        reader.read(np.zeros((10, 10), np.float32))
    with pytest.raises(ValueError, match="HxW"):
        reader.read(np.zeros((10, 10, 2), np.uint8))


def test_a_plain_region_read_maps_positions_back_unscaled(clean) -> None:
    # Regression: positions from an untouched crop were divided by the upscale factor.
    img = np.pad(clean("杨周", module=5), 30, constant_values=255)
    (raw,) = open_reader("zbar", improve=False).read(img)
    (looked,) = open_reader("zbar", budget_ms=None).read(img)
    assert looked.found_by == "search:plain"
    assert np.allclose(looked.position, raw.position, atol=2)


class WholeFrameOnly:
    """Decodes only when handed the whole frame; crops yield nothing."""

    name = "whole"
    ms_per_mpx = 30.0  # a 720p frame: ~28 ms, more than the budget leaves

    def __init__(self, clock: FakeClock | None = None, ms: float = 0.0) -> None:
        self.clock, self.ms, self.calls = clock, ms, []

    def read(self, grey, *, binarizer: str = "local"):
        self.calls.append(grey.shape)
        if self.clock is not None:
            self.clock.now += self.ms / 1000
        if grey.shape != (HD[1], HD[0]):
            return []
        corners = np.array([[10, 10], [90, 10], [90, 90], [10, 90]], float)
        return [RawCode((Segment(None, b"ok"),), corners)]


def test_a_slow_backend_reads_the_whole_frame_when_regions_fail_and_time_allows() -> None:
    frame = empty_sample(3, HD).frame  # look-alikes: regions to try, none holds a code
    backend = WholeFrameOnly()
    codes = QrReader(backend, budget_ms=None, regions_first=True, track=Track(0)).read(frame)
    assert [(c.text, c.found_by) for c in codes] == [("ok", "raw")]
    assert backend.calls[-1] == (HD[1], HD[0]) and len(backend.calls) > 1

    clock = FakeClock(0.0)
    hurried = WholeFrameOnly(clock, ms=10)
    reader = QrReader(hurried, budget_ms=24, regions_first=True, clock=clock, track=Track(0))
    assert reader.read(frame) == []  # the budget had no room for the whole frame
    assert (HD[1], HD[0]) not in hurried.calls


@pytest.mark.parametrize(
    ("name", "found_by"), [("zxing", "invert:raw"), ("zbar", "invert:search:plain")]
)
def test_a_light_on_dark_code_is_read(clean, name: str, found_by: str) -> None:
    # Regression (issue 19): light-on-dark codes were not read at all.
    img = np.pad(255 - clean("王芳", module=6), 40, constant_values=0)
    assert open_reader(name, improve=False).read(img) == []
    codes = open_reader(name, budget_ms=None).read(img)
    assert [(c.text, c.found_by) for c in codes] == [("王芳", found_by)]
    (raw,) = open_reader(name, improve=False).read(255 - img)
    assert np.allclose(codes[0].position, raw.position, atol=2)  # same place, same corners


def test_a_frame_with_nothing_code_like_is_not_read_again_inverted() -> None:
    backend = SlowNothing(FakeClock(), ms=1)
    reader = QrReader(backend, budget_ms=None, track=Track(0))
    assert reader.read(np.full((HD[1], HD[0]), 128, np.uint8)) == []
    assert backend.calls == 1  # a camera looking at nothing costs one library call a frame


class PerPixel:
    """Finds nothing and costs ``ms_per_mpx`` of fake time per megapixel it is handed."""

    name = "per-pixel"
    ms_per_mpx = 30.0  # ZBar's rate
    ms_per_look = 1.0  # as if learnt on small regions: far too hopeful for a big one

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def read(self, grey, *, binarizer: str = "local"):
        self.clock.now += self.ms_per_mpx * grey.size / 1e6 / 1000
        return []


def test_a_look_at_a_big_region_is_costed_by_its_pixels(clean) -> None:
    # Regression (issue 19): on real photographs a code-like region can fill the image,
    # and a look at it costs ZBar a whole frame's time; judged by the cost of looks at
    # small regions it went past the budget (41 ms on one photograph).
    frame = clean("https://zwfw.example.gov.cn/q/r?n=9", module=20)  # fills the frame
    clock = FakeClock()
    reader = QrReader(PerPixel(clock), budget_ms=24, clock=clock, track=Track(0))
    assert reader.read(frame) == []
    assert clock.now * 1000 <= 24
