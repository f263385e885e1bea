"""What kiosks ask of the fleet: enroll, their state, their bundle, heartbeats, results.

Every call but enrollment is authenticated by :mod:`devauth` inside the call's own
transaction, so the nonce is remembered exactly when the request has its effect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from provisioning.server import (
    bundles,
    commands,
    db,
    devauth,
    enrollment,
    health,
    rollouts,
    schemas,
)
from provisioning.server.db import Tx
from provisioning.server.devauth import Signed
from provisioning.server.errors import Conflict, NotFound
from provisioning.server.fleet import Fleet


class DeviceService:
    def __init__(
        self,
        fleet: Fleet,
        heartbeat_s: int = health.HEARTBEAT_S,
        charge: Callable[[str], None] = lambda device_id: None,
    ) -> None:
        self.fleet = fleet
        self.heartbeat_s = heartbeat_s
        self.charge = charge  # the device's rate limit, spent only once it is authenticated

    def _auth(self, tx: Tx, req: Signed, *, allow_pending: bool = False) -> dict[str, Any]:
        row = devauth.authenticate(tx, req, self.fleet.clock(), allow_pending=allow_pending)
        self.charge(row["id"])
        return row

    def enroll(self, req: Signed, body: schemas.Enrollment) -> dict[str, Any]:
        """Proof of possession: the request is signed by the key it enrolls."""
        now = self.fleet.clock()
        device_id, _, nonce = devauth.check_signature(body.public_key, req, now)
        with self.fleet.db.tx() as tx:
            devauth.remember_nonce(tx, device_id, nonce, now)
            view = enrollment.enroll(tx, body, device_id, now)
            if view["status"] == "accepted" and view["site_id"]:
                bundles.issue(
                    tx, self.fleet.key, view["site_id"], now, ttl_s=self.fleet.bundle_ttl_s
                )
        return view | self.server_key()

    def server_key(self) -> dict[str, str]:
        return {"server_key": self.fleet.key.public_text, "server_key_id": self.fleet.key.key_id}

    def state(self, req: Signed) -> dict[str, Any]:
        with self.fleet.db.tx() as tx:
            row = self._auth(tx, req, allow_pending=True)
        return enrollment.device_view(row) | {
            "bundle_version": row["bundle_version"],
            "heartbeat_s": self.heartbeat_s,
        }

    def bundle(self, req: Signed) -> dict[str, Any]:
        now = self.fleet.clock()
        with self.fleet.db.tx() as tx:
            row = self._auth(tx, req)
            if not row["site_id"]:
                raise NotFound("this device has no site", code="no_site")
            version = bundles.for_device(tx, self.fleet.key, row, now, self.fleet.bundle_ttl_s)
            return bundles.envelope(tx, row["site_id"], version)

    def heartbeat(self, req: Signed, beat: schemas.Heartbeat) -> dict[str, Any]:
        now = self.fleet.clock()
        report = health.report(beat)
        with self.fleet.db.tx() as tx:
            row, nonce = devauth.verified(tx, req, now)
            self.charge(row["id"])
            # what every heartbeat writes and reads, in one round trip to the database
            inserted, _, alerts, unanswered = tx.batch(
                [
                    devauth.remembering(row["id"], nonce, now),
                    health.storing(row["id"], report, now),
                    health.open_alerts_of(row["id"]),
                    commands.unanswered(row["id"]),
                ]
            )
            devauth.first_time(db.count(inserted))  # a replay: everything above is undone
            if beat.results:
                commands.record_results(tx, row["id"], beat.results, now)
                unanswered = tx.all(*commands.unanswered(row["id"]))
            health.after(tx, row, report, db.rows(alerts), now)
            say, offer = rollouts.heartbeat(tx, row["id"], beat.update, now)
            pending = commands.deliver(tx, row["id"], now, db.rows(unanswered))
            now_holds = row | {"config_version": report["config_version"]}  # just reported
            latest = (
                bundles.for_device(tx, self.fleet.key, now_holds, now, self.fleet.bundle_ttl_s)
                if row["site_id"]
                else None
            )
        answer = {
            "next_heartbeat_s": self.heartbeat_s,
            "bundle_version": latest,
            "commands": pending,
            "server_time": int(now),
        }
        if say:  # absent: nothing to say of software; null withdraws an offer
            answer["update"] = offer
        return answer

    def results(self, req: Signed, body: schemas.Results) -> dict[str, Any]:
        now = self.fleet.clock()
        with self.fleet.db.tx() as tx:
            row = self._auth(tx, req)
            stored = commands.record_results(tx, row["id"], body.results, now)
        return {"stored": stored}

    def upload_logs(self, req: Signed, body: schemas.LogUpload) -> dict[str, Any]:
        now = self.fleet.clock()
        command_id, text = body.command_id, body.text
        with self.fleet.db.tx() as tx:
            row = self._auth(tx, req)
            owned = tx.one(
                "SELECT id FROM commands WHERE id = ? AND device_id = ? AND kind = 'collect_logs'",
                (command_id, row["id"]),
            )
            if owned is None:
                raise NotFound("no collect_logs command with this id", code="unknown_command")
            if tx.one(
                "SELECT id FROM device_logs WHERE command_id = ? AND device_id = ?",
                (command_id, row["id"]),
            ):
                # one upload per command: five of 512,000 characters were all kept once
                raise Conflict(
                    "the logs of this command were uploaded already", code="logs_already_uploaded"
                )
            tx.run(
                "INSERT INTO device_logs (device_id, command_id, uploaded_at, content)"
                " VALUES (?,?,?,?)",
                (row["id"], command_id, now, text),
            )
        return {"stored": len(text)}
