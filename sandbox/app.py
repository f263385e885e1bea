"""The sandbox platform: the whole platform API on loopback, with its own SQLite file.

It is the kiosk's embedded default (``kiosk run`` with no platform URL configured) and
the other end of every upstream and outbox test. Query helpers let tests and the demo
look inside without going through the API.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kiosk.appointments import AppointmentRules
from sandbox import uploads
from sandbox.cases import case_status
from sandbox.context import Ctx, Settings
from sandbox.devices import DeviceRegistry
from sandbox.dispatch import Dispatcher
from sandbox.faults import Faults
from sandbox.review import ReviewPolicy
from sandbox.rounds import first_round, rounds
from sandbox.server import serve_options
from sandbox.storage import SandboxDB, get_setting, set_setting
from sandbox.web import build_app
from webstack.serving import ServerThread

log = logging.getLogger(__name__)


class SandboxPlatform:
    """``start()`` binds (port 0 = any free port) and returns the base URL; ``stop()``
    closes every connection and thread. ``dedupe=False`` turns idempotency off (the
    kill test's control run)."""

    def __init__(
        self,
        db_path: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.time,
        review_speed: float = 1.0,
        review: ReviewPolicy | None = None,
        shared_token: str | None = None,
        dedupe: bool = True,
        region_code: str = "330110",
        fault_seed: int = 0,
        appointments: AppointmentRules | None = None,
    ) -> None:
        self.db = SandboxDB(db_path)
        self.clock = clock
        self.settings = Settings(
            policy=review or ReviewPolicy(),
            speed=review_speed,
            dedupe=dedupe,
            region_code=region_code,
            appointments=appointments or AppointmentRules(),
        )
        self._registry = DeviceRegistry(self.db, shared_token)
        self.faults = Faults(fault_seed)
        self.dispatcher = Dispatcher(self.db, self.settings, self._registry, self.faults, clock)
        self._server = ServerThread(build_app(self.dispatcher), host, port, name="sandbox-http")
        self._serving = False
        self.base_url = ""

    # -- life cycle ---------------------------------------------------------------------

    def start(self) -> str:
        host, port = self._server.start(**serve_options())
        self._serving = True
        self.base_url = f"http://{host}:{port}"
        log.info("sandbox platform listening on %s", self.base_url)
        return self.base_url

    def stop(self) -> None:
        """Stop serving. The database stays open: ``start()`` again resumes."""
        if self._serving:
            self._server.stop()
            self._serving = False

    def close(self) -> None:
        self.stop()
        self.db.close()

    def __enter__(self) -> SandboxPlatform:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- devices ------------------------------------------------------------------------

    def register_device(self, device_id: str) -> str:
        """Accept ``device_id`` and return its bearer token."""
        return self._registry.register(device_id, self.clock())

    @property
    def devices(self) -> list[str]:
        return self._registry.device_ids()

    # -- looking inside (tests, demo) ---------------------------------------------------

    def application(self, case_no: str) -> dict[str, Any]:
        """Status, form, applicant and attachments (count, sizes) of a case."""
        with self.db.tx() as conn:
            row = _opening(conn, case_no)
            status = case_status(Ctx(conn, self.settings), row, self.clock())
            ups = _uploads(conn, row, "manifest_index, material_code, length, offset, complete")
        body = json.loads(row["body"])
        return {
            **status,
            "client_ref": row["client_ref"],
            "channel": body["channel"],
            "station_id": body["station_id"],
            "form": body.get("answers", {}),
            "applicant": body["applicant"],
            "materials": body.get("materials", []),
            "attachments": ups,
        }

    def applications(self, client_ref: str | None = None) -> list[dict[str, Any]]:
        """Every application row (duplicates included), optionally for one client_ref."""
        sql = "SELECT id, case_no, client_ref, idem_key, matter_code FROM applications"
        args: tuple[object, ...] = ()
        if client_ref is not None:
            sql, args = sql + " WHERE client_ref = ?", (client_ref,)
        return [dict(r) for r in self.db.query(sql + " ORDER BY id", args)]

    def attachment_bytes(self, case_no: str, index: int) -> bytes:
        rows = self.db.query(
            "SELECT u.upload_id FROM uploads u JOIN applications a ON a.id = u.application_id"
            " WHERE a.case_no = ? AND u.manifest_index = ? ORDER BY a.id LIMIT 1",
            (case_no, index),
        )
        if not rows:
            raise KeyError((case_no, index))
        with self.db.tx() as conn:
            return uploads.assemble(conn, rows[0][0])

    def set_review_outcome(self, case_no: str, outcome: str, missing: Sequence[str] = ()) -> None:
        """Choose how review ends for one case: "completed" or "returned" with materials."""
        if outcome not in ("completed", "returned"):
            raise ValueError(outcome)
        with self.db.tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO review_overrides (case_no, outcome, missing)"
                " VALUES (?,?,?)",
                (case_no, outcome, json.dumps(list(missing), ensure_ascii=False)),
            )

    def set_review_speed(self, speed: float) -> None:
        """Run department review ``speed`` times faster from now on (demo, tests)."""
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.settings = dataclasses.replace(self.settings, speed=speed)
        self.dispatcher.settings = self.settings

    def pay(self, payment_id: str) -> None:
        """The citizen's phone pays a payment order (what the payment provider reports)."""
        with self.db.tx() as conn:
            done = conn.execute(
                "UPDATE payments SET status = 'paid', paid_at = ? WHERE payment_id = ?"
                " AND status = 'pending'",
                (self.clock(), payment_id),
            ).rowcount
        if not done:
            raise KeyError(payment_id)

    def put_photo_on_record(self, id_number: str, jpeg: bytes) -> None:
        """The department's photo of a person, for 人证核验 (sandbox/faces.py)."""
        with self.db.tx() as conn:
            conn.execute("INSERT OR REPLACE INTO photos_on_record VALUES (?, ?)", (id_number, jpeg))

    def certifications(self) -> list[dict[str, Any]]:
        """资格认证 on record, oldest first: who (ID number), how, until when."""
        with self.db.tx() as conn:
            rows = conn.execute(
                "SELECT certification_id, id_number, method, valid_until, body"
                " FROM certifications ORDER BY at"
            ).fetchall()
        keys = ("certification_id", "id_number", "method", "valid_until", "body")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def corrections(self, case_no: str) -> list[dict[str, Any]]:
        """The corrections sent to a case: their materials and uploads, in order."""
        with self.db.tx() as conn:
            out = []
            for row in rounds(conn, _opening(conn, case_no))[1:]:
                body = json.loads(row["body"])
                out.append(
                    {
                        "device_id": row["device_id"],
                        "materials": [m["material_code"] for m in body.get("materials", [])],
                        "attachments": _uploads(
                            conn, row, "manifest_index, material_code, length, complete"
                        ),
                    }
                )
        return out

    def purge_idempotency(self) -> int:
        return self.dispatcher.purge_idempotency(self.clock())


def _opening(conn: sqlite3.Connection, case_no: str) -> sqlite3.Row:
    """The application that opened case ``case_no``; KeyError if there is none."""
    row = first_round(conn, case_no)
    if row is None:
        raise KeyError(case_no)
    return row


def _uploads(conn: sqlite3.Connection, round_: sqlite3.Row, columns: str) -> list[dict[str, Any]]:
    """``columns`` of one round's uploads, in the manifest's order."""
    rows = conn.execute(
        f"SELECT {columns} FROM uploads WHERE application_id = ? ORDER BY manifest_index",
        (round_["id"],),
    ).fetchall()
    return [dict(u) for u in rows]


def shared_token_for(db_path: Path) -> str:
    """The standalone sandbox's shared device token, made once and kept in its database."""
    db = SandboxDB(db_path)
    try:
        with db.tx() as conn:
            token = get_setting(conn, "shared_token")
            if token is None:
                token = secrets.token_urlsafe(18)
                set_setting(conn, "shared_token", token)
        return token
    finally:
        db.close()


def serve(
    port: int,
    db_path: Path,
    *,
    host: str = "127.0.0.1",
    review_speed: float = 1.0,
    stop: threading.Event | None = None,
) -> None:
    """Run the sandbox alone until interrupted or ``stop`` is set (``kiosk sandbox serve
    [--port P]``). Any device id is accepted with the shared token logged at start-up
    (``shared_token_for(db_path)`` gives it to a script)."""
    token = shared_token_for(db_path)
    sandbox = SandboxPlatform(
        db_path, host=host, port=port, shared_token=token, review_speed=review_speed
    )
    url = sandbox.start()
    log.warning("sandbox platform at %s; device token: %s", url, token)
    try:
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.close()
