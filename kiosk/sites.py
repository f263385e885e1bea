"""Site types: a village station, a township centre, a bank branch's government-service
corner (银行网点政务服务驿站). A bank lobby's popular matters differ from a village
hall's (research/features.md §1.4: 社保, 医保, 公积金 and 企业登记 first), so each type
has its own default ordering, used when the site's own ``site.popular`` is empty.
"""

from __future__ import annotations

import json
from pathlib import Path

from config import SITE_TYPES_FILE
from kiosk.settings import SITE_TYPES, Settings


def type_popular(site_type: str, path: Path = SITE_TYPES_FILE) -> tuple[str, ...]:
    """The default popular ordering of ``site_type`` (empty: catalogue order)."""
    if site_type not in SITE_TYPES:
        raise ValueError(f"unknown site type {site_type!r}")
    data = json.loads(path.read_text(encoding="utf-8"))
    codes = data.get(site_type, {}).get("popular", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise ValueError(f"{path}: {site_type}.popular must be a list of matter codes")
    return tuple(codes)


def popular_order(settings: Settings) -> tuple[str, ...]:
    """The site's own ordering, else its type's."""
    return settings.site.popular or type_popular(settings.site.type)
