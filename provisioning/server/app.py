"""The fleet server assembled: database, signing key, services, HTTP front, housekeeping.

``FleetApp.handle`` turns one raw request into a response (tests may call it without a
socket); ``start()`` serves it on a port and runs the sweep every minute; ``stop()``
closes every connection and thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from provisioning.server import console, routes
from provisioning.server.db import open_database
from provisioning.server.devauth import signed_parts
from provisioning.server.device_service import DeviceService
from provisioning.server.errors import FleetError, Invalid, TooMany
from provisioning.server.fleet import Fleet
from provisioning.server.httpd import FleetHttpServer
from provisioning.server.keys import load_or_create_key
from provisioning.server.migrations import migrate
from provisioning.server.ratelimit import Admission, TokenBuckets
from provisioning.server.wire import Request, Response, problem_response

log = logging.getLogger(__name__)

MAX_BODY = 4_000_000
ALL_ROUTES = routes.API_ROUTES + console.ROUTES


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
        heartbeat_s: int = 300,
        public_url: str = "",
    ) -> None:
        self.db = open_database(database_url(data_dir, db_url))
        migrate(self.db)
        self.fleet = Fleet(self.db, load_or_create_key(data_dir / "signing.key"), clock)
        self.devices = DeviceService(self.fleet, heartbeat_s)
        self.admission = admission or Admission()
        self.buckets = buckets or TokenBuckets()
        self.public_url = public_url
        self.base_url = ""
        self._server: FleetHttpServer | None = None
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()

    # ---- one request ---------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: dict[str, str],
        read: Callable[[int], bytes], ip: str = "",
    ) -> Response:  # fmt: skip
        url = urlsplit(target)
        try:
            body = self._read_body(method, headers, read)  # first: keep-alive stays in step
            route, params = routes.match(ALL_ROUTES, method, url.path)
            query = dict(parse_qsl(url.query, keep_blank_values=True))
            unknown = sorted(set(query) - set(route.query))
            if unknown and route.kind != "device":  # a device's query is signed as sent
                raise Invalid(f"unknown query parameter {unknown[0]!r}", field=unknown[0])
            req = Request(method, target, url.path, query, headers, body, ip, params)
            if route.kind != "device":
                return route.handler(self, req)
            return self._admitted(route, req)
        except FleetError as error:
            resp = problem_response(error)
            if error.code in ("length_required", "body_too_large", "bad_content_length"):
                resp.headers["Connection"] = "close"
            return resp
        except Exception:
            log.exception("fleet handler failed for %s %s", method, url.path)
            return problem_response(FleetError("the server failed", code="internal_error"))

    def _admitted(self, route: routes.Route, req: Request) -> Response:
        device_id = signed_parts(req.headers)[0]  # unsigned requests are refused first
        wait = self.buckets.take(device_id)
        if wait > 0:
            raise TooMany(max(1, int(wait) + 1), "this device is asking too often")
        if not self.admission.enter():
            raise TooMany(self.admission.retry_after())
        try:
            return route.handler(self, req)
        finally:
            self.admission.leave()

    def _read_body(
        self, method: str, headers: dict[str, str], read: Callable[[int], bytes]
    ) -> bytes:
        if "transfer-encoding" in headers:
            raise _status(411, "length_required", "send Content-Length, not chunked encoding")
        raw = headers.get("content-length")
        if raw is None:
            if method in ("POST", "PUT", "PATCH"):
                raise _status(411, "length_required", "Content-Length is required")
            return b""
        if not raw.strip().isdigit():
            raise FleetError("Content-Length is not a number", code="bad_content_length")
        size = int(raw)
        if size > MAX_BODY:
            raise _status(413, "body_too_large", f"body over {MAX_BODY} bytes")
        body = read(size)
        if len(body) != size:
            raise FleetError("the body ended early", code="bad_content_length")
        return body

    # ---- life cycle ----------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0, sweep_every: float = 60.0) -> str:
        self._server = FleetHttpServer((host, port), self.handle)
        bound_host, bound_port = self._server.server_address[:2]
        base = self.base_url = f"http://{bound_host!s}:{bound_port}"
        self.public_url = self.public_url or base
        serve = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                 name="fleet-http", daemon=True)  # fmt: skip
        sweep = threading.Thread(target=self._sweep_loop, args=(sweep_every,),
                                 name="fleet-sweep", daemon=True)  # fmt: skip
        self._threads = [serve, sweep]
        for thread in self._threads:
            thread.start()
        log.info("fleet server listening on %s", base)
        return base

    def _sweep_loop(self, every: float) -> None:
        while not self._stop.wait(every):
            try:
                self.fleet.sweep()
            except Exception:
                log.exception("fleet sweep failed")

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.close_connections()
            self._server.server_close()
        for thread in self._threads:
            thread.join()
        self._server, self._threads = None, []
        self.db.close()

    def __enter__(self) -> FleetApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _status(status: int, code: str, detail: str) -> FleetError:
    err = FleetError(detail, code=code)
    err.status = status
    return err
