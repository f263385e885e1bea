"""The fleet's operations for admins, one transaction each, each with its audit row.

The HTTP API, the web console and the ``kiosk-fleet`` command all call these, so a rule
(role, region scope, audit) is enforced in one place whatever door the admin came in by.
Device-side operations live in :mod:`provisioning.server.device_service`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from provisioning.server import (
    accounts,
    approvals,
    audit,
    bundles,
    commands,
    enrollment,
    fleetview,
    health,
    layers,
    regions,
    signin,
)
from provisioning.server.accounts import Actor
from provisioning.server.analytics import ingest as analytics_ingest
from provisioning.server.db import Database, Tx
from provisioning.server.devauth import purge_nonces
from provisioning.server.errors import Conflict, Unauthorized
from provisioning.server.keys import SigningKey


class Fleet:
    def __init__(
        self,
        db: Database,
        key: SigningKey,
        clock: Callable[[], float] = time.time,
        bundle_ttl_s: float = bundles.BUNDLE_TTL_S,
    ) -> None:
        self.db, self.key, self.clock, self.bundle_ttl_s = db, key, clock, bundle_ttl_s
        self._versions: tuple[float, list[str]] = (float("-inf"), [])

    # ---- sessions -----------------------------------------------------------------------

    def login(
        self, username: str, password: str, ip: str = "", otp: str = ""
    ) -> tuple[str, str, float]:
        """Open a session, unless the account or the address is locked out (signin.py)."""
        now = self.clock()
        with self.db.read() as tx:
            signin.check(tx, username, ip, now)
        try:
            with self.db.tx() as tx:
                result = accounts.login(tx, username, password, now, otp)
                signin.succeeded(tx, username)
                audit.record(tx, Actor(username, "", None, ip), "login", username, now)
                return result
        except Unauthorized:
            with self.db.tx() as tx:
                signin.failed(tx, username, ip, now)
                audit.record(tx, Actor(username, "", None, ip), "login_failed", username, now)
            raise

    def security_alerts(self, actor: Actor) -> list[dict[str, Any]]:
        """Open lock-outs (province admins only see them: they name accounts)."""
        if actor.role != "province_admin":
            return []
        with self.db.read() as tx:
            return signin.open_alerts(tx)

    def new_totp(self, actor: Actor, username: str) -> str:
        actor.require_province()
        with self.db.tx() as tx:
            secret = accounts.new_totp(tx, username)
            audit.record(tx, actor, "admin_totp", username, self.clock())
            return secret

    def actor(self, token: str, ip: str = "") -> Actor:
        with self.db.tx() as tx:
            return accounts.session_actor(tx, token, self.clock(), ip)

    def logout(self, actor: Actor, token: str) -> None:
        with self.db.tx() as tx:
            accounts.logout(tx, token)
            audit.record(tx, actor, "logout", actor.username, self.clock())

    # ---- admins and regions ------------------------------------------------------------

    def add_admin(
        self, actor: Actor, username: str, password: str, role: str, scope: str | None
    ) -> str | None:
        """Add an admin; a province admin's TOTP secret, to show once."""
        actor.require_province()
        with self.db.tx() as tx:
            if scope is not None:
                regions.require_within(tx, scope, actor.scope)
            secret = accounts.add_admin(tx, username, password, role, scope, self.clock())
            audit.record(tx, actor, "admin_add", username, self.clock(), role=role, scope=scope)
            return secret

    def add_region(
        self, actor: Actor, node_id: str, name: str, level: str, parent_id: str | None
    ) -> None:
        actor.require_write()
        with self.db.tx() as tx:
            if parent_id is None:
                actor.require_province()
            else:
                regions.require_within(tx, parent_id, actor.scope)
            regions.add_region(tx, node_id, name, level, parent_id, self.clock())
            audit.record(
                tx, actor, "region_add", node_id, self.clock(), level=level, parent=parent_id
            )

    def regions(self, actor: Actor) -> list[dict[str, Any]]:
        with self.db.read() as tx:
            if actor.scope is None:
                return regions.all_regions(tx)
            return tx.all(
                "SELECT r.* FROM regions r JOIN region_ancestors a ON a.node_id = r.id"
                " WHERE a.ancestor_id = ? ORDER BY r.id",
                (actor.scope,),
            )

    def region(self, actor: Actor, node_id: str) -> dict[str, Any]:
        """One node with its ancestors (root first) and its census (fleetview.census)."""
        with self.db.read() as tx:
            regions.require_within(tx, node_id, actor.scope)
            chain = regions.ancestors(tx, node_id)
            return {
                "node": chain[-1],
                "chain": chain,
                "census": fleetview.census(tx, node_id, self.clock()),
            }

    def tops(self, actor: Actor) -> list[dict[str, Any]]:
        """Where the actor's tree starts: the node it is scoped to, or the provinces."""
        with self.db.read() as tx:
            if actor.scope is not None:
                return [regions.get_region(tx, actor.scope)]
            return regions.children(tx, None)

    def top(self, actor: Actor) -> dict[str, Any]:
        """The actor's whole scope: the provinces, or the node the admin is scoped to."""
        if actor.scope is not None:
            return self.region(actor, actor.scope)
        with self.db.read() as tx:
            roots = regions.children(tx, None)
        if len(roots) == 1:  # one province (the usual case): start there
            return self.region(actor, roots[0]["id"])
        with self.db.read() as tx:
            return {"node": None, "chain": [], "census": fleetview.census(tx, None, self.clock())}

    def chain(self, actor: Actor, node_id: str) -> list[dict[str, Any]]:
        """A node and its ancestors, root first (breadcrumbs)."""
        with self.db.read() as tx:
            regions.require_within(tx, node_id, actor.scope)
            return regions.ancestors(tx, node_id)

    def children(self, actor: Actor, node_id: str) -> list[dict[str, Any]]:
        with self.db.read() as tx:
            regions.require_within(tx, node_id, actor.scope)
            return regions.children(tx, node_id)

    def versions(self) -> list[str]:
        """The software versions accepted kiosks report (a device list's choices), at
        most a minute old: reading them costs a pass over every kiosk's index entry."""
        now = time.monotonic()
        if now - self._versions[0] > 60:
            with self.db.read() as tx:
                rows = tx.all(
                    "SELECT DISTINCT software_version AS v FROM devices"
                    " WHERE status = 'accepted' ORDER BY 1"
                )
            self._versions = (now, [r["v"] for r in rows])
        return list(self._versions[1])

    def device_page(
        self, actor: Actor, query: fleetview.DeviceQuery
    ) -> tuple[list[dict[str, Any]], int]:
        with self.db.read() as tx:
            if query.region is not None:
                regions.get_region(tx, query.region)
            return fleetview.device_page(tx, query, actor.scope, self.clock())

    # ---- enrollment ----------------------------------------------------------------------

    def pairing_code(
        self, actor: Actor, site_id: str, uses: int = 1, ttl_s: float = enrollment.CODE_TTL_S
    ) -> tuple[str, float]:
        actor.require_write()
        now = self.clock()
        with self.db.tx() as tx:
            regions.require_within(tx, site_id, actor.scope)
            code, expires = enrollment.new_pairing_code(
                tx, site_id, actor.username, now, uses=uses, ttl_s=ttl_s
            )
            audit.record(tx, actor, "pairing_code", site_id, now, uses=uses, expires_at=expires)
            return code, expires

    def preauthorize(self, actor: Actor, csv_text: str) -> list[str]:
        actor.require_write()
        now = self.clock()
        with self.db.tx() as tx:
            serials = enrollment.preauthorize_csv(tx, csv_text, actor.username, now)
            for serial in serials:
                row = tx.one("SELECT site_id FROM preauthorized WHERE serial = ?", (serial,))
                regions.require_within(tx, row["site_id"] if row else None, actor.scope)
            audit.record(tx, actor, "preauthorize", f"{len(serials)} serials", now, serials=serials)
            return serials

    def devices(
        self, actor: Actor, status: str | None = None, limit: int = 100_000, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Devices in the actor's scope, oldest enrollment first (the CLI and the API)."""
        return self.devices_and_total(actor, status, None, limit, offset)[0]

    def devices_and_total(
        self, actor: Actor, status: str | None, region: str | None, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of :meth:`devices`, narrowed to a region, and how many match in all."""
        query = fleetview.DeviceQuery(
            status=status or "", region=region, sort="enrolled", page_size=limit
        )
        with self.db.read() as tx:
            if region is not None:
                regions.get_region(tx, region)
            return fleetview.device_slice(tx, query, actor.scope, self.clock(), offset)

    def device(self, actor: Actor, device_id: str) -> dict[str, Any]:
        now = self.clock()
        with self.db.read() as tx:
            row = enrollment.get_device(tx, device_id)
            regions.require_within(tx, row["site_id"] or row["requested_site"], actor.scope)
            alerts = health.open_alerts(tx, device_id)
            detail = fleetview.summary(row, now, [a["kind"] for a in alerts])
            detail["health"] = json.loads(row["health"])
            detail["open_alerts"] = alerts
            detail["commands"] = commands.for_device(tx, device_id)
            detail["public_key"] = row["public_key"]
            return detail

    def approve(self, actor: Actor, device_id: str, site_id: str) -> dict[str, Any]:
        actor.require_write()
        now = self.clock()
        with self.db.tx() as tx:
            row = enrollment.get_device(tx, device_id)
            regions.require_within(tx, row["site_id"] or row["requested_site"], actor.scope)
            regions.require_within(tx, site_id, actor.scope)
            enrollment.approve(tx, device_id, site_id, actor.username, now)
            bundles.issue(tx, self.key, site_id, now, ttl_s=self.bundle_ttl_s)
            audit.record(tx, actor, "device_approve", device_id, now, site=site_id)
        return self.device(actor, device_id)

    def reject(self, actor: Actor, device_id: str) -> None:
        self._decide(actor, device_id, "device_reject", enrollment.reject)

    def revoke(self, actor: Actor, device_id: str) -> None:
        self._decide(actor, device_id, "device_revoke", enrollment.revoke)

    def _decide(
        self, actor: Actor, device_id: str, action: str, change: Callable[..., None]
    ) -> None:
        actor.require_write()
        now = self.clock()
        with self.db.tx() as tx:
            row = enrollment.get_device(tx, device_id)
            regions.require_within(tx, row["site_id"] or row["requested_site"], actor.scope)
            change(tx, device_id, actor.username, now)
            audit.record(tx, actor, action, device_id, now)

    # ---- configuration -------------------------------------------------------------------

    def layer(self, actor: Actor, node_id: str) -> tuple[int, dict[str, Any]]:
        with self.db.tx() as tx:
            regions.get_region(tx, node_id)
            regions.require_within(tx, node_id, actor.scope)
            return layers.current_layer(tx, node_id) or (0, {})

    def preview(self, actor: Actor, node_id: str, doc: Any) -> list[dict[str, Any]]:
        """For each site under ``node_id``: what would change if ``doc`` were pushed."""
        layer = layers.validate_layer(doc)
        with self.db.read() as tx:
            regions.get_region(tx, node_id)
            regions.require_within(tx, node_id, actor.scope)
            layers.needs_approval(tx, node_id, layer)
            sites = regions.sites_under(tx, node_id)
            before = layers.effective_contents(tx, sites)
            after = layers.effective_contents(tx, sites, replace=(node_id, layer))
            return [
                {"site_id": s, "changes": layers.describe_changes(before[s], after[s])}
                for s in sites
            ]

    def warnings(self, actor: Actor, node_id: str, doc: Any) -> list[str]:
        """What an admin should hear before pushing ``doc``: excluded matter codes that
        the catalogue of a site under ``node_id`` does not have (issue 19, item 7)."""
        layer = layers.validate_layer(doc)
        with self.db.read() as tx:
            regions.get_region(tx, node_id)
            regions.require_within(tx, node_id, actor.scope)
            sites = regions.sites_under(tx, node_id)
            unknown = layers.unknown_exclusions(tx, sites, replace=(node_id, layer))
            return layers.exclusion_warnings(unknown)

    def push(self, actor: Actor, node_id: str, doc: Any) -> dict[str, Any]:
        """Store a new layer for ``node_id`` and sign bundles for every site it changes;
        with ``warnings`` the admin should read (:meth:`warnings`); one that changes a
        setting needing a second admin waits as a proposal instead."""
        actor.require_write()
        now = self.clock()
        with self.db.tx() as tx:
            regions.require_within(tx, node_id, actor.scope)
            layer = layers.validate_layer(doc)
            needs = layers.needs_approval(tx, node_id, layer)
            if needs:
                actor.require_province()
                proposal = approvals.propose(tx, node_id, layer, needs, actor.username, now)
                audit.record(
                    tx, actor, "config_propose", node_id, now, proposal=proposal, needs=needs
                )
                return {
                    "node_id": node_id,
                    "status": "awaiting_approval",
                    "proposal_id": proposal,
                    "needs_approval": needs,
                }
            version = layers.put_layer(tx, node_id, layer, actor.username, now)
            return self._publish(tx, actor, node_id, version, now)

    def approve_layer(self, actor: Actor, node_id: str, proposal_id: int) -> dict[str, Any]:
        """A second province admin approves a proposed layer: it is stored and signed."""
        actor.require_province()
        now = self.clock()
        with self.db.tx() as tx:
            regions.require_within(tx, node_id, actor.scope)
            taken = approvals.take(tx, node_id, proposal_id, actor.username, now)
            layers.needs_approval(tx, node_id, taken["document"])  # the rules still hold
            version = layers.put_layer(
                tx, node_id, taken["document"], taken["proposed_by"], now, taken["approved"]
            )
            audit.record(tx, actor, "config_approve", node_id, now, proposal=proposal_id)
            return self._publish(tx, actor, node_id, version, now)

    def proposals(self, actor: Actor, node_id: str) -> list[dict[str, Any]]:
        with self.db.read() as tx:
            regions.require_within(tx, node_id, actor.scope)
            return approvals.pending(tx, node_id)

    def _publish(
        self, tx: Tx, actor: Actor, node_id: str, version: int, now: float
    ) -> dict[str, Any]:
        """A layer was stored: sign bundles for the sites it changes."""
        sites = regions.sites_under(tx, node_id)
        issued = bundles.publish(tx, self.key, sites, now, self.bundle_ttl_s)
        warnings = layers.exclusion_warnings(layers.unknown_exclusions(tx, sites))
        audit.record(tx, actor, "config_push", node_id, now, layer_version=version, bundles=issued)
        return {
            "node_id": node_id,
            "layer_version": version,
            "bundles": issued,
            "warnings": warnings,
        }

    # ---- commands, alerts, audit --------------------------------------------------------

    def command(
        self,
        actor: Actor,
        device_id: str,
        kind: str,
        args: dict[str, Any],
        command_id: str | None = None,
    ) -> dict[str, Any]:
        actor.require_write()
        now = self.clock()
        with self.db.tx() as tx:
            row = enrollment.get_device(tx, device_id)
            regions.require_within(tx, row["site_id"], actor.scope)
            if row["status"] != "accepted":
                raise Conflict("only an accepted device takes commands", code="bad_transition")
            made = commands.create(tx, device_id, kind, args, actor.username, now, command_id)
            audit.record(tx, actor, "command", device_id, now, kind=kind, command_id=made["id"])
            return made

    def alerts(self, actor: Actor, limit: int = 1000) -> list[dict[str, Any]]:
        """Open alerts in the actor's scope, newest first."""
        scoped = "" if actor.scope is None else f" AND d.site_id {fleetview.UNDER}"
        with self.db.read() as tx:
            return tx.all(
                "SELECT a.* FROM alerts a JOIN devices d ON d.id = a.device_id"
                f" WHERE a.resolved_at IS NULL{scoped} ORDER BY a.opened_at DESC, a.id DESC"
                " LIMIT ?",
                ((actor.scope,) if actor.scope else ()) + (limit,),
            )

    def audit_log(self, actor: Actor, limit: int = 200) -> list[dict[str, Any]]:
        actor.require_write()
        with self.db.read() as tx:
            return audit.entries(tx, limit=limit)

    def sweep(self) -> dict[str, int]:
        """Housekeeping: offline alerts, old nonces and sessions, usage batches' keys past
        the age a kiosk may still send. Runs every minute."""
        now = self.clock()
        self.db.maintain()
        with self.db.tx() as tx:
            return {
                "offline_alerts": health.sweep(tx, now),
                "nonces": purge_nonces(tx, now),
                "sessions": accounts.purge_sessions(tx, now),
                "usage_batches": analytics_ingest.forget_old_batches(tx, now),
            }
