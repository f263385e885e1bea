"""The records the document pipeline hands out, and its one error."""

from __future__ import annotations

import dataclasses as dc

import numpy as np

from devices.status import ProtocolError


class CorruptImage(ProtocolError, ValueError):
    """Image data or an image array the pipeline cannot use.

    Empty, truncated, random or hostile bytes (a decompression bomb), absurd dimensions,
    an unsupported pixel type. ``detail`` says which, in words fit for a log line; the
    kiosk shows the citizen "please capture again".
    """

    code = "corruptImage"


@dc.dataclass(frozen=True, eq=False)
class ScannedPage:
    """One finished page.

    ``image``: uint8, (H, W) for grey and bitonal (0/255) pages, (H, W, 3) BGR for colour.
    ``corners``: the page corners found in the photo, (4, 2) float64 TL TR BR BL in photo
    pixels, or ``None`` when no page was found and the whole frame was kept.
    ``problems``: :class:`~devices.docscan.quality.Problem` codes, empty when all is well.
    ``method``: which detection strategy won (``edges``, ``threshold``, ``…+rect``) or
    ``frame`` for the whole-frame fallback.
    """

    image: np.ndarray
    corners: np.ndarray | None
    problems: tuple[str, ...]
    dpi: int
    mode: str = "grey"
    method: str = "frame"

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def size_mm(self) -> tuple[float, float]:
        """Physical (width, height) at ``dpi``."""
        h, w = self.image.shape[:2]
        return (w / self.dpi * 25.4, h / self.dpi * 25.4)
