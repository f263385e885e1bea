"""How a rollout's kiosks are split into waves, and what its options mean.

Canaries first, spread over the target's regions (round robin, so one village's bad
printer model does not decide alone); then the rest region by region (the target's
children: counties under a province, townships under a county, sites under a township),
each region cut into waves of at most ``--wave`` per cent of those kiosks. Pure
functions: the database part is in rollouts.py.
"""

from __future__ import annotations

import dataclasses as dc
import math
import re

from provisioning.server.errors import Invalid

_PERCENT = re.compile(r"(\d{1,3}(?:\.\d{1,2})?)%?")
_COUNT = re.compile(r"\d{1,6}")


@dc.dataclass(frozen=True)
class Wave:
    label: str  # "canary" or the region's id (with its part when cut)
    region: str  # "" for the canaries
    devices: tuple[str, ...]


def percent(text: str, field: str, *, zero_ok: bool) -> float:
    """``10%`` or ``10`` (0-100, two decimals at most); Invalid naming ``field``."""
    match = _PERCENT.fullmatch(text.strip())
    value = float(match.group(1)) if match else -1.0
    if not 0 <= value <= 100 or (value == 0 and not zero_ok):
        low = "0" if zero_ok else "more than 0"
        raise Invalid(f"a percentage from {low} to 100%, such as 10%: not {text!r}", field=field)
    return value


def canaries(text: str, total: int) -> int:
    """``--canary N`` (kiosks) or ``P%`` (of the target's kiosks, at least one when P>0)."""
    spec = text.strip()
    if _COUNT.fullmatch(spec):
        n = int(spec)
        if n >= total:
            raise Invalid(
                f"{n} canaries, but the target has {total} kiosks: leave some for the waves",
                field="canary",
            )
        return n
    if not spec.endswith("%"):
        raise Invalid(f"a number of kiosks (3) or a percentage (5%): not {text!r}", field="canary")
    share = percent(spec, "canary", zero_ok=True)
    return min(total - 1, math.ceil(total * share / 100)) if share else 0


def plan(members: list[tuple[str, str]], canary: int, wave_pct: float) -> list[Wave]:
    """Waves for ``members`` (device id, region id), in the order they go out."""
    by_region: dict[str, list[str]] = {}
    for device, region in sorted(members, key=lambda m: (m[1], m[0])):
        by_region.setdefault(region, []).append(device)
    chosen: list[str] = []
    queues = [list(ds) for ds in by_region.values()]
    while len(chosen) < canary:
        for queue in queues:
            if queue and len(chosen) < canary:
                chosen.append(queue.pop(0))
    waves = [Wave("canary", "", tuple(chosen))] if chosen else []
    taken = set(chosen)
    rest = {r: [d for d in ds if d not in taken] for r, ds in by_region.items()}
    size = max(1, math.ceil(sum(len(ds) for ds in rest.values()) * wave_pct / 100))
    for region, devices in rest.items():
        parts = [devices[i : i + size] for i in range(0, len(devices), size)]
        for n, part in enumerate(parts, start=1):
            label = region if len(parts) == 1 else f"{region} ({n}/{len(parts)})"
            waves.append(Wave(label, region, tuple(part)))
    return waves
