"""Rollouts for admins: one transaction each, each with its audit row (like fleet.py).

The command line, the console and (later) the JSON API call these, so roles, region
scopes and the audit log apply alike. The model is in rollouts.py, the waves in
rollout_plan.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from provisioning.server import audit, regions, rollout_plan, rollout_views, rollouts
from provisioning.server.accounts import Actor
from provisioning.server.db import Database
from provisioning.server.errors import Conflict, Invalid
from provisioning.server.releases import Releases

DEFAULTS = {"canary": "5%", "wave": "25%", "max_failures": "10%"}


class RolloutService:
    def __init__(
        self, db: Database, releases: Releases, clock: Callable[[], float] = time.time
    ) -> None:
        self.db, self.releases, self.clock = db, releases, clock

    def start(
        self,
        actor: Actor,
        version: str,
        target: str,
        *,
        canary: str = DEFAULTS["canary"],
        wave: str = DEFAULTS["wave"],
        max_failures: str = DEFAULTS["max_failures"],
    ) -> dict[str, Any]:
        """Offer ``version`` to the kiosks under ``target``: canaries first, then region
        by region. Refused: an unknown release or region, bad percentages, a target with
        no kiosk, or kiosks still in another rollout."""
        actor.require_write()
        release = self.releases.get(version)
        if not release["signed"]:
            raise Invalid(f"release {version} is not in the signed repository", field="version")
        wave_pct = rollout_plan.percent(wave, "wave", zero_ok=False)
        fail_pct = rollout_plan.percent(max_failures, "max_failures", zero_ok=True)
        now = self.clock()
        with self.db.tx() as tx:
            regions.get_region(tx, target)
            regions.require_within(tx, target, actor.scope)
            found = rollouts.members(tx, target)
            if not found:
                raise Invalid(f"no accepted kiosk under {target}", field="target")
            busy = rollouts.busy_rollout(tx, target)
            if busy is not None:
                raise Conflict(
                    f"rollout {busy} is still under way for kiosks under {target}:"
                    " let it finish or abort it first",
                    code="rollout_under_way",
                )
            n = rollout_plan.canaries(canary, len(found))
            waves = rollout_plan.plan(found, n, wave_pct)
            options = {
                "canary": n,
                "wave_pct": wave_pct,
                "max_failures_pct": fail_pct,
                "downgrade": release["downgrade"],
            }
            rid = rollouts.create(tx, actor.username, version, target, waves, options, now)
            audit.record(
                tx,
                actor,
                "rollout_start",
                f"rollout:{rid}",
                now,
                version=version,
                region=target,
                kiosks=len(found),
                waves=len(waves),
            )
            return rollout_views.status(tx, rid)

    def status(self, actor: Actor, rollout_id: int) -> dict[str, Any]:
        with self.db.read() as tx:
            found = rollout_views.status(tx, rollout_id)
            regions.require_within(tx, found["target"], actor.scope)
            return found

    def all(self, actor: Actor, limit: int = 100) -> list[dict[str, Any]]:
        with self.db.read() as tx:
            return [
                r
                for r in rollout_views.listing(tx, limit)
                if regions.is_within(tx, r["target"], actor.scope)
            ]

    def halted(self, actor: Actor) -> list[dict[str, Any]]:
        """Rollouts that halted by themselves: the console's alert."""
        return [r for r in self.all(actor) if r["status"] == rollouts.Status.HALTED]

    def move(self, actor: Actor, rollout_id: int, verb: str) -> dict[str, Any]:
        """pause | resume | abort."""
        actor.require_write()
        now = self.clock()
        with self.db.tx() as tx:
            regions.require_within(tx, rollouts.get(tx, rollout_id)["target"], actor.scope)
            moved = rollouts.move(tx, rollout_id, verb, now)
            audit.record(tx, actor, f"rollout_{verb}", f"rollout:{rollout_id}", now)
            return moved

    def sweep(self) -> None:
        with self.db.tx() as tx:
            rollouts.sweep(tx, self.clock())

    def device(self, device_id: str) -> list[dict[str, Any]]:
        with self.db.read() as tx:
            return rollout_views.device_rollouts(tx, device_id)
