"""The fleet server assembled: database, signing key, services, storm limits, housekeeping.

``FleetApp`` holds what every request needs; web.py turns it into an ASGI application
and serving.py serves that with uvicorn. ``start()`` serves it on a loopback port from a
background thread (tests, embedding) and sweeps every minute; ``stop()`` closes every
connection, the sweep and the database. ``kiosk-fleet serve`` runs the same application
in worker processes instead (serving.serve).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from provisioning.server.db import open_database
from provisioning.server.device_service import DeviceService
from provisioning.server.errors import TooMany
from provisioning.server.fleet import Fleet
from provisioning.server.keys import load_or_create_key
from provisioning.server.migrations import migrate
from provisioning.server.ratelimit import Admission, ClientLimits, TokenBuckets, wait_s
from provisioning.server.releases import Releases
from provisioning.server.rollout_service import RolloutService

log = logging.getLogger(__name__)


def database_url(data_dir: Path, url: str | None) -> str:
    return url or f"sqlite:///{data_dir / 'fleet.sqlite3'}"


class FleetApp:
    def __init__(
        self,
        data_dir: Path,
        db_url: str | None = None,
        *,
        clock: Callable[[], float] = time.time,
        admission: Admission | None = None,
        buckets: TokenBuckets | None = None,
        client_limits: ClientLimits | None = None,
        heartbeat_s: int = 300,
        public_url: str = "",
        db_pool: int = 10,
        migrate_schema: bool = True,
    ) -> None:
        self.db = open_database(database_url(data_dir, db_url), db_pool)
        if migrate_schema:
            migrate(self.db)
        self.fleet = Fleet(self.db, load_or_create_key(data_dir / "signing.key"), clock)
        self.releases = Releases(data_dir / "tuf", self.db, clock)
        self.rollouts = RolloutService(self.db, self.releases, clock)
        self.admission = admission or Admission()
        self.buckets = buckets or TokenBuckets()
        self.client_limits = client_limits or ClientLimits()
        self.devices = DeviceService(self.fleet, heartbeat_s, self.charge_device)
        self.public_url = public_url
        self.base_url = ""
        self._server: object | None = None
        self._sweeper: threading.Thread | None = None
        self._stop = threading.Event()

    def charge_device(self, device_id: str) -> None:
        """Spend one of an authenticated device's requests; TooMany when it has none left."""
        wait = self.buckets.take(device_id)
        if wait > 0:
            raise TooMany(wait_s(wait), "this device is asking too often")

    # ---- housekeeping ----------------------------------------------------------------

    def start_sweeping(self, every: float = 60.0) -> None:
        self.db.maintain()
        self._stop.clear()
        self._sweeper = threading.Thread(
            target=self._sweep_loop, args=(every,), name="fleet-sweep", daemon=True
        )
        self._sweeper.start()

    def _sweep_loop(self, every: float) -> None:
        while not self._stop.wait(every):
            try:
                self.fleet.sweep()
                self.releases.refresh_if_due()
                self.rollouts.sweep()
            except Exception:
                log.exception("fleet sweep failed")

    def close(self) -> None:
        """Stop the sweep and close the database (the server has stopped already)."""
        self._stop.set()
        if self._sweeper is not None:
            self._sweeper.join()
            self._sweeper = None
        self.db.close()

    # ---- serving in this process -------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0, sweep_every: float = 60.0) -> str:
        from provisioning.server.serving import ServerThread
        from provisioning.server.web import build_app

        server = ServerThread(build_app(self), host, port)
        self.base_url = server.start()
        self._server = server
        self.public_url = self.public_url or self.base_url
        self.start_sweeping(sweep_every)
        log.info("fleet server listening on %s", self.base_url)
        return self.base_url

    def stop(self) -> None:
        from provisioning.server.serving import ServerThread

        if isinstance(self._server, ServerThread):
            self._server.stop()
        self._server = None
        self.close()

    def __enter__(self) -> FleetApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
