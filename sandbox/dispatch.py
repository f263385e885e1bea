"""From a routed request with its body to the answer: injected faults, device auth,
idempotency, one transaction per request.

Order matters for hostile input: the body was bounded before it was read (web.py), JSON
is parsed before any transaction starts, and a handler's Problem rolls its transaction
back. An idempotency record is written in the same transaction as the effect, so "effect
without record" and "record without effect" cannot happen.
"""

from __future__ import annotations

import collections
import hashlib
import json
import logging
import re
from collections.abc import Callable

from sandbox.context import Ctx, Settings
from sandbox.devices import DeviceRegistry
from sandbox.faults import Dropped, Faults
from sandbox.routes import Route
from sandbox.storage import SandboxDB
from sandbox.wire import Problem, Request, Response

log = logging.getLogger(__name__)

KEY_RE = re.compile(r"[A-Za-z0-9._:-]{1,255}")
DEVICE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


class Dispatcher:
    """Runs one routed request (on a worker thread: it blocks on the database)."""

    def __init__(
        self,
        db: SandboxDB,
        settings: Settings,
        devices: DeviceRegistry,
        faults: Faults,
        clock: Callable[[], float],
    ) -> None:
        self.db, self.settings, self.devices, self.faults = db, settings, devices, faults
        self._clock = clock
        self._last_purge = float("-inf")
        #: (method, path, status, Upload-Offset) of recent requests; status 0 = dropped
        self.journal: collections.deque[tuple[str, str, int, str | None]] = collections.deque(
            maxlen=100_000
        )

    def body_limit(self, method: str) -> int:
        return self.settings.max_chunk_bytes if method == "PATCH" else self.settings.max_json_bytes

    def handle(self, route: Route, req: Request) -> Response:
        """Answer one request. Raises Dropped when the connection must close unanswered."""
        offset = req.headers.get("upload-offset")
        try:
            resp = self._handle(route, req)
        except Dropped:
            self.journal.append((req.method, req.path, 0, offset))
            raise
        self.journal.append((req.method, req.path, resp.status, offset))
        return resp

    def dropped(self, req: Request) -> None:
        """A request whose client went away before its body was all there."""
        self.journal.append((req.method, req.path, 0, req.headers.get("upload-offset")))

    def refused(self, req: Request, problem: Problem) -> Response:
        """A request refused before it was routed or read (404, 405, 411, 413)."""
        self.journal.append((req.method, req.path, problem.status, None))
        return problem.response()

    def _handle(self, route: Route, req: Request) -> Response:
        try:
            fault = self.faults.take(req.method, req.path, "before")
            if fault is not None:
                if fault.action == "drop_before":
                    raise Dropped
                extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                raise Problem(fault.status, "injected_fault", "sandbox fault", headers=extra)
            req.now = self._clock()
            if route.auth:
                req.device_id = self._authenticate(req.headers)
            resp = self._run(route, req)
        except Problem as problem:
            resp = problem.response()
        except Dropped:
            raise
        except Exception:
            log.exception("sandbox handler failed for %s %s", req.method, req.path)
            resp = Problem(500, "internal_error", "the sandbox failed").response()
        if self.faults.take(req.method, req.path, "after") is not None:
            raise Dropped
        return resp

    def _authenticate(self, headers: dict[str, str]) -> str:
        device = headers.get("x-device-id", "")
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if not device or scheme.lower() != "bearer" or not token:
            raise Problem(
                401,
                "auth_required",
                "send X-Device-Id and a Bearer token",
                headers={"WWW-Authenticate": 'Bearer realm="bianmin"'},
            )
        if not DEVICE_RE.fullmatch(device) or not self.devices.check(device, token.strip()):
            raise Problem(401, "auth_invalid", "device credentials refused")
        return device

    def _run(self, route: Route, req: Request) -> Response:
        key = req.header("idempotency-key") if route.key != "none" else None
        if key is not None and not KEY_RE.fullmatch(key):
            raise Problem(400, "idempotency_key_invalid", "1-255 of A-Z a-z 0-9 . _ : -")
        if key is None and route.key == "required":
            raise Problem(400, "idempotency_key_required", "send an Idempotency-Key header")
        dedupe = key is not None and self.settings.dedupe
        fingerprint = _fingerprint(req) if dedupe else ""
        self._maybe_purge(req.now)
        with self.db.tx() as conn:
            if dedupe:
                row = conn.execute(
                    "SELECT * FROM idempotency WHERE device_id = ? AND key = ?",
                    (req.device_id, key),
                ).fetchone()
                if row is not None and row["fingerprint"] != fingerprint:
                    raise Problem(409, "idempotency_key_reused", "key was used for another request")
                if row is not None and route.replay:
                    headers = json.loads(row["headers"]) | {"Idempotent-Replayed": "true"}
                    return Response(row["status"], bytes(row["body"]), row["content_type"], headers)
            resp = route.handler(req, Ctx(conn, self.settings))
            if dedupe and 200 <= resp.status < 300:
                conn.execute(
                    "INSERT OR IGNORE INTO idempotency (device_id, key, fingerprint, status,"
                    " content_type, body, headers, created_at) VALUES (?,?,?,?,?,?,?,?)",
                    (
                        req.device_id,
                        key,
                        fingerprint,
                        resp.status,
                        resp.content_type,
                        resp.body,
                        json.dumps(resp.headers),
                        req.now,
                    ),
                )
        return resp

    def _maybe_purge(self, now: float) -> None:
        if now - self._last_purge >= 3600:
            self._last_purge = now
            self.purge_idempotency(now)

    def purge_idempotency(self, now: float) -> int:
        """Forget keys older than the retention (≥ 30 days); returns how many."""
        with self.db.tx() as conn:
            cur = conn.execute(
                "DELETE FROM idempotency WHERE created_at < ?",
                (now - self.settings.idempotency_retention,),
            )
            return cur.rowcount


def _fingerprint(req: Request) -> str:
    """What makes two requests "the same": method, path and the canonical JSON body."""
    canonical = json.dumps(req.json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{req.method} {req.path}\n{canonical}".encode()).hexdigest()
