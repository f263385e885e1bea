"""Case supervision (电子监察) on the wire (kiosk/upstream/openapi.yaml).

A page of the cases filed at a station's kiosks (or a whole region's, by the prefix of
its division code), newest first: each with its state, promised date, the day it was
finished and its latest 好差评 rating. Nothing of the applicant: supervision counts
cases, it does not look at people. The fleet server reads these pages to show red and
yellow cards (kiosk.supervision.cards) and the bad ratings to follow up
(kiosk.supervision.followup).
"""

from __future__ import annotations

import dataclasses as dc

from kiosk.upstream import fields as f
from kiosk.upstream.models import CODE, HANDLING_MODES, REGION, CaseState, Channel

REGION_PREFIX = r"[0-9]{2}([0-9]{2}){0,2}|[0-9]{6}([0-9]{6})?"  # province … village
CURSOR = r"[A-Za-z0-9_-]{1,64}"
PAGE_MAX = 200


@dc.dataclass(frozen=True)
class CaseRating:
    """The latest rating of a case; its comment stays on the platform."""

    rating_id: str
    level: int
    rated_at: str
    reasons: list[str]

    @classmethod
    def from_json(cls, d: f.JsonObj, path: str = "rating") -> CaseRating:
        d = f.obj(d, path)
        return cls(
            rating_id=f.req_str(d, "rating_id", path, pattern=CODE),
            level=f.req_int(d, "level", path, lo=1, hi=5),
            rated_at=f.req_str(d, "rated_at", path),
            reasons=f.str_list(d, "reasons", path, max_items=10, max_len=100),
        )


@dc.dataclass(frozen=True)
class SupervisedCase:
    case_no: str
    matter_code: str
    matter_name: str
    department: str
    station_id: str
    region_code: str
    channel: str
    mode: str
    status: str
    received_at: str
    promised_date: str | None
    completed_at: str | None
    rating: CaseRating | None

    @classmethod
    def from_json(cls, d: f.JsonObj, path: str = "case") -> SupervisedCase:
        d = f.obj(d, path)
        rating = d.get("rating")
        return cls(
            case_no=f.req_str(d, "case_no", path, pattern=CODE),
            matter_code=f.req_str(d, "matter_code", path, pattern=CODE),
            matter_name=f.req_str(d, "matter_name", path),
            department=f.req_str(d, "department", path),
            station_id=f.req_str(d, "station_id", path, pattern=CODE),
            region_code=f.req_str(d, "region_code", path, pattern=REGION),
            channel=f.req_str(d, "channel", path, choices=tuple(Channel)),
            mode=f.req_str(d, "mode", path, choices=HANDLING_MODES),
            status=f.req_str(d, "status", path, choices=tuple(CaseState)),
            received_at=f.req_str(d, "received_at", path),
            promised_date=f.opt_str(d, "promised_date", path, pattern=r"\d{4}-\d{2}-\d{2}"),
            completed_at=f.opt_str(d, "completed_at", path),
            rating=None if rating is None else CaseRating.from_json(rating, f"{path}.rating"),
        )


@dc.dataclass(frozen=True)
class SupervisionPage:
    """One page; ``next_cursor`` asks for the next one (None: this was the last)."""

    cases: list[SupervisedCase]
    next_cursor: str | None

    @classmethod
    def from_json(cls, d: f.JsonObj) -> SupervisionPage:
        d = f.obj(d)
        items = f.obj_list(d, "cases", max_items=PAGE_MAX)
        return cls(
            cases=[SupervisedCase.from_json(c, f"cases[{i}]") for i, c in enumerate(items)],
            next_cursor=f.opt_str(d, "next_cursor", pattern=CURSOR),
        )
