"""The site's update hours (``[updates] hours = "01:00-05:00"``), which may pass midnight."""

from __future__ import annotations

import datetime as dt


def in_window(hours: str, now: dt.datetime) -> bool:
    """Whether ``now`` (local time) is inside ``hours``; "" means always."""
    if not hours:
        return True
    start, end = (dt.time.fromisoformat(part) for part in hours.split("-"))
    t = now.time()
    if start < end:
        return start <= t < end
    return t >= start or t < end
