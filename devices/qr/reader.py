"""The QR reader: one library call, then closer looks where they may pay, on a time budget.

Per frame: (1) the backend reads the whole grey frame; whatever it decodes is the answer
for the frame. (2) If it decoded nothing, or located a symbol it could not read, the
reader looks again at regions of interest, best first: symbols the backend located but
could not read, where codes were in the last frames (:class:`~devices.qr.track.Track`),
then patches that look like codes (:mod:`~devices.qr.locate`). Each region is tried as
an enhanced copy (denoised, enlarged and sharpened; then contrast-stretched), see
:mod:`~devices.qr.enhance`. (3) If all that read nothing and something in
the frame looks like a code, the same again on the inverted frame: light-on-dark codes
(and some dotted ones) are only read that way. Backends read one polarity only, which
halves what a frame without a code costs.
A look is skipped when the reader expects it to end past the time budget (it learns
what a look costs with this backend as it goes), so a 30 fps camera is kept up with:
bench/bench_qr.py measures p95 per 1080p frame.

The text of every code follows :mod:`devices.qr.text`. Not thread-safe: one reader per
camera thread. Time comes from an injected clock, so the budget is tested without
sleeping.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import cv2
import numpy as np

from devices.qr import charset, enhance
from devices.qr.locate import Box, box_around, candidates
from devices.qr.model import Backend, QrCode, RawCode
from devices.qr.text import decode_segments
from devices.qr.track import Track

log = logging.getLogger(__name__)

Clock = Callable[[], float]
BUDGET_MS = 24.0  # closer looks start only while this much of the frame time is left
ROI_MARGIN = 0.25  # share of a region added on each side: the quiet zone, the tilt
MAX_REGIONS = 4
COST_LEARNING = 0.2  # weight of the newest measurement in the cost of a closer look
# The least a look at so many pixels is expected to cost, as a share of the backend's
# whole-frame rate (ms_per_mpx, set near its p95; ZBar's crops measure 19-23 of its 30 ms
# per megapixel). Chosen on bench/bench_qr.py: at 0.4 ZBar keeps its read rate and its
# worst 1080p frame under 33 ms; at 0.6 it reads 1 % fewer codes, at 0 a frame took 42 ms.
LOOK_RATE_SHARE = 0.4


class QrReader:
    """Reads QR codes from frames or stills with ``backend``; see the module docstring.

    ``improve=False`` gives the raw library call alone (for comparison and benchmarks).
    ``budget_ms=None`` removes the time limit, for stills where seconds do not matter.
    ``regions_first`` (default: the backend's ``slow`` flag, set for ZBar, which needs
    ~60 ms for a whole 1080p frame) reads likely regions before the whole frame, and
    the whole frame only if they gave nothing and it fits in the budget, or if nothing
    in the frame looks like a code.
    """

    def __init__(
        self,
        backend: Backend,
        *,
        improve: bool = True,
        budget_ms: float | None = BUDGET_MS,
        track: Track | None = None,
        regions_first: bool | None = None,
        clock: Clock = time.perf_counter,
    ) -> None:
        self.backend = backend
        self.improve = improve
        self.regions_first = (
            getattr(backend, "slow", False) if regions_first is None else regions_first
        )
        self.budget_ms = budget_ms
        self.track = track if track is not None else Track()
        # What a closer look costs, per kind of copy, learnt as it reads. Per look, not per
        # pixel: ZBar spends ~10 ms on a 0.05 MP crop and ~15 ms on a 0.25 MP one.
        self.ms_per_look: dict[str, float] = {}
        self._first_guess = float(getattr(backend, "ms_per_look", 5.0))
        self._ms_per_mpx = float(getattr(backend, "ms_per_mpx", 30.0))  # whole frames
        self._clock = clock
        charset.warm_up()  # its tables, built now rather than on the first code

    def read(self, image: np.ndarray) -> list[QrCode]:
        """The QR codes in ``image`` (grey or BGR uint8); positions in its pixels."""
        grey = to_grey(image)
        start = self._clock()
        search = _Search(grey)
        codes, raw = self._read(grey, start, search)
        if self.improve and not codes and (raw or search.boxes() or self.track.boxes(grey.shape)):
            # Only a frame with something code-like in it is read again, inverted.
            codes, inverted_raw = self._read(cv2.bitwise_not(grey), start, search, "invert:")
            raw += inverted_raw
        self.track.update([np.asarray(c.position) for c in codes], [c.position for c in raw])
        return codes

    def _read(
        self, grey: np.ndarray, start: float, search: _Search, tag: str = ""
    ) -> tuple[list[QrCode], list[RawCode]]:
        """One polarity: the whole frame, then closer looks (or regions first, for slow
        backends). ``tag`` prefixes ``found_by``. Returns the codes and the raw symbols."""
        if self.improve and self.regions_first:
            return self._regions_first(grey, start, search, tag), []
        if tag and not self._affordable(start, self._frame_ms(grey)):
            raw = []  # the first polarity's whole-frame read was not optional; this one is
        else:
            raw = self.backend.read(grey)
        codes = [_code(c, self.backend.name, f"{tag}raw") for c in raw if c.decoded]
        if self.improve:
            located = [c for c in raw if not c.decoded]
            regions = self._regions(grey.shape, codes, located, search)
            codes += self._closer_looks(grey, codes, start, regions, tag=tag)
        return codes, raw

    def _regions_first(
        self, grey: np.ndarray, start: float, search: _Search, tag: str
    ) -> list[QrCode]:
        """For slow backends: likely regions first, then the whole frame if time allows.

        The whole frame is read when nothing in it looks like a code, or when the regions
        gave nothing and the budget still has room for it (always, for stills).
        """
        regions = self._regions(grey.shape, [], [], search)
        codes = self._closer_looks(grey, [], start, regions, plain=True, tag=tag) if regions else []
        if codes or (regions and not self._affordable(start, self._frame_ms(grey))):
            return codes
        raw = self.backend.read(grey)
        return [_code(c, self.backend.name, f"{tag}raw") for c in raw if c.decoded]

    def _regions(
        self,
        shape: tuple[int, ...],
        codes: list[QrCode],
        located: list[RawCode],
        search: _Search,
    ) -> list[tuple[str, Box]]:
        """Regions worth a closer look, best first, none overlapping a decoded code."""
        regions = [
            ("located", box_around(c.position, shape).grown(ROI_MARGIN, shape)) for c in located
        ]
        if not codes:
            regions += [("track", b.grown(ROI_MARGIN, shape)) for b in self.track.boxes(shape)]
            regions += [("search", b.grown(ROI_MARGIN, shape)) for b in search.boxes()]
        done = [box_around(np.asarray(c.position), shape) for c in codes]
        kept: list[tuple[str, Box]] = []
        for source, box in regions:
            if box.width < 8 or box.height < 8 or any(box.overlaps(d) for d in done):
                continue
            if any(_same_region(box, k) for _, k in kept):
                continue
            kept.append((source, box))
        return kept[:MAX_REGIONS]

    def _closer_looks(
        self,
        grey: np.ndarray,
        codes: list[QrCode],
        start: float,
        regions: list[tuple[str, Box]],
        *,
        plain: bool = False,
        tag: str = "",
    ) -> list[QrCode]:
        found: list[QrCode] = []
        variants = enhance.variants(plain=plain)
        for source, box in regions:
            crop = grey[box.y0 : box.y1, box.x0 : box.x1]
            factor = enhance.upscale_factor(crop)
            for name, variant in variants:
                if not self._affordable(start, self._look_ms(name, crop, factor)):
                    continue  # a cheaper kind of copy may still fit
                copy = variant(crop, factor)
                scale = copy.shape[1] / crop.shape[1]  # what the variant really did
                raw = self._timed_read(copy, name)
                hits = [c for c in raw if c.decoded]
                if hits:
                    found += [
                        _code(c, self.backend.name, f"{tag}{source}:{name}", scale, box)
                        for c in hits
                    ]
                    break
        if found:
            log.debug("QR: %d code(s) found on a closer look", len(found))
        return _unique(found, codes)

    def _affordable(self, start: float, cost_ms: float) -> bool:
        """Whether a read expected to take ``cost_ms`` would end within the budget."""
        if self.budget_ms is None:
            return True
        spent = (self._clock() - start) * 1000
        return spent + cost_ms <= self.budget_ms

    def _look_ms(self, kind: str, crop: np.ndarray, factor: float) -> float:
        """The expected cost of a look: what such looks have cost so far, but no less than
        the backend's typical rate for the copy's pixels. Learnt on small regions, the
        cost of a look misjudges a region that fills the image, which costs ZBar a frame's
        time (found on real photographs: 41 ms for one, past the budget)."""
        scale = enhance.output_scale(kind, factor)
        floor = LOOK_RATE_SHARE * self._ms_per_mpx * crop.size * scale * scale / 1e6
        return max(self.ms_per_look.get(kind, self._first_guess), floor)

    def _frame_ms(self, grey: np.ndarray) -> float:
        """The expected cost of reading the whole frame (the backend's own estimate)."""
        return self._ms_per_mpx * grey.size / 1e6

    def _timed_read(self, image: np.ndarray, kind: str) -> list[RawCode]:
        """A backend read of a ``kind`` of copy, learning what such a look costs."""
        t0 = self._clock()
        raw = self.backend.read(image)
        ms = (self._clock() - t0) * 1000
        known = self.ms_per_look.get(kind, self._first_guess)
        self.ms_per_look[kind] = known + COST_LEARNING * (ms - known)
        return raw


class _Search:
    """The code-like patches of a frame, found once and only if asked for (they are the
    same in both polarities: the locator looks at edges, not at which side is dark)."""

    def __init__(self, grey: np.ndarray) -> None:
        self._grey = grey
        self._boxes: list[Box] | None = None

    def boxes(self) -> list[Box]:
        if self._boxes is None:
            self._boxes = candidates(self._grey)
        return self._boxes


def to_grey(image: np.ndarray) -> np.ndarray:
    """A contiguous grey uint8 copy of a grey, BGR or BGRA frame."""
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8:
        raise ValueError("a frame must be a uint8 numpy array")
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        return np.ascontiguousarray(image)
    if image.ndim == 3 and image.shape[2] == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    raise ValueError(f"a frame must be HxW, HxWx3 or HxWx4, not {image.shape}")


def _code(
    raw: RawCode, backend: str, found_by: str, factor: float = 1.0, box: Box | None = None
) -> QrCode:
    """A :class:`QrCode` from a backend's symbol, its corners mapped to frame pixels."""
    pos = raw.position / factor
    if box is not None:
        pos = pos + np.array([box.x0, box.y0])
    text = decode_segments(list(raw.segments))
    return QrCode(
        text=text.text,
        data=b"".join(s.data for s in raw.segments),
        position=tuple((float(x), float(y)) for x, y in pos),
        encodings=text.encodings,
        backend=backend,
        found_by=found_by,
    )


def _same_region(a: Box, b: Box) -> bool:
    """Whether two boxes mostly cover the same area (intersection over union > 0.5)."""
    ix = max(0, min(a.x1, b.x1) - max(a.x0, b.x0))
    iy = max(0, min(a.y1, b.y1) - max(a.y0, b.y0))
    inter = ix * iy
    union = a.width * a.height + b.width * b.height - inter
    return union > 0 and inter / union > 0.5


def _unique(found: list[QrCode], already: list[QrCode]) -> list[QrCode]:
    """``found`` without codes already reported (the same text in the same place)."""
    out: list[QrCode] = []
    for code in found:
        centre = np.mean(code.position, axis=0)
        if any(
            other.text == code.text
            and np.linalg.norm(np.mean(other.position, axis=0) - centre) < 20
            for other in [*already, *out]
        ):
            continue
        out.append(code)
    return out
