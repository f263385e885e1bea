"""Trust levels of captured materials, and the watermark each level carries.

国办函〔2016〕108号《"互联网+政务服务"技术体系建设指南》 grades materials (research/
features.md §2.3): A issued with the issuer's e-seal, B verified against the original by
window staff, C uploaded by the applicant, D made by the applicant. A page captured at
a kiosk is C; it becomes B once an agent (代办员) or window staff has checked the paper
original, and a B copy must read "此件经与原件核对无误，仅供办理…使用". A C copy is marked
"仅供办理…使用，他用无效" so that a citizen's scan cannot be reused for another purpose.

Pure: the page's pixels are stamped by :func:`devices.docscan.watermark.stamp`; this
module decides the level and the words.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import enum
import re

from kiosk.session import CapturedPage


class TrustLevel(enum.StrEnum):
    A = "A"  # issued with the issuer's electronic seal
    B = "B"  # checked against the original by staff
    C = "C"  # captured or uploaded by the applicant (a kiosk scan)
    D = "D"  # made by the applicant, who promises it is true


WATERMARK_TEXTS = {
    TrustLevel.B: "此件经与原件核对无误，仅供办理{matter}使用 {station} {date}",
    TrustLevel.C: "仅供办理{matter}使用，他用无效 {station} {date}",
}
_AGENT_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


@dc.dataclass(frozen=True)
class WatermarkPolicy:
    """Which trust levels are stamped; by default the kiosk's own copies (B and C)."""

    levels: frozenset[TrustLevel] = frozenset({TrustLevel.B, TrustLevel.C})

    def text(self, level: str, *, matter: str, station: str, day: dt.date) -> str | None:
        """The watermark for a page of ``level``, or ``None`` when none is asked for."""
        lvl = TrustLevel(level)
        if lvl not in self.levels or lvl not in WATERMARK_TEXTS:
            return None
        return WATERMARK_TEXTS[lvl].format(matter=matter, station=station, date=day.isoformat())


def verified(page: CapturedPage, agent_id: str) -> CapturedPage:
    """``page`` raised from C to B: an agent (by staff id, never a name) saw the original.

    Raises ``ValueError`` for a page that is not C or an id that is not a staff id.
    """
    if not _AGENT_ID.fullmatch(agent_id):
        raise ValueError("an agent is recorded by staff id: 1-32 of A-Z a-z 0-9 _ -")
    if page.trust != TrustLevel.C:
        raise ValueError(f"only a level C page can be verified, not level {page.trust}")
    return dc.replace(page, trust=str(TrustLevel.B), verified_by=agent_id)
