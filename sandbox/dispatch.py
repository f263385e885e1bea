"""From raw request to answer: body limits, routing, device auth, idempotency, one
transaction per request.

Order matters for hostile input: the body is bounded before it is read, JSON is parsed
before any transaction starts, and a handler's Problem rolls its transaction back. An
idempotency record is written in the same transaction as the effect, so "effect without
record" and "record without effect" cannot happen.
"""

from __future__ import annotations

import collections
import hashlib
import json
import logging
import re
from collections.abc import Callable
from urllib.parse import SplitResult, parse_qsl, urlsplit

from sandbox.context import Ctx, Settings
from sandbox.devices import DeviceRegistry
from sandbox.faults import Dropped, Faults
from sandbox.routes import Route, match
from sandbox.storage import SandboxDB
from sandbox.wire import Problem, Request, Response

log = logging.getLogger(__name__)

KEY_RE = re.compile(r"[A-Za-z0-9._:-]{1,255}")
DEVICE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_CLOSING = frozenset({400, 411, 413})  # the body may be unread: the connection must go


class Dispatcher:
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

    def handle(
        self, method: str, target: str, headers: dict[str, str], read: Callable[[int], bytes]
    ) -> Response:
        """Answer one request. Raises Dropped when the connection must close unanswered."""
        url = urlsplit(target)
        try:
            resp = self._handle(method, url, headers, read)
        except Dropped:
            self.journal.append((method, url.path, 0, headers.get("upload-offset")))
            raise
        self.journal.append((method, url.path, resp.status, headers.get("upload-offset")))
        return resp

    def _handle(
        self, method: str, url: SplitResult, headers: dict[str, str], read: Callable[[int], bytes]
    ) -> Response:
        try:
            body = self._read_body(method, headers, read)
            fault = self.faults.take(method, url.path, "before")
            if fault is not None:
                if fault.action == "drop_before":
                    raise Dropped
                extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                raise Problem(fault.status, "injected_fault", "sandbox fault", headers=extra)
            route, params = match(method, url.path)
            query = dict(parse_qsl(url.query, keep_blank_values=True))
            req = Request(method, url.path, params, query, headers, body, now=self._clock())
            if route.auth:
                req.device_id = self._authenticate(headers)
            resp = self._run(route, req)
        except Problem as problem:
            resp = problem.response()
            if problem.status in _CLOSING:
                resp.headers["Connection"] = "close"
        except Dropped:
            raise
        except Exception:
            log.exception("sandbox handler failed for %s %s", method, url.path)
            resp = Problem(500, "internal_error", "the sandbox failed").response()
        if self.faults.take(method, url.path, "after") is not None:
            raise Dropped
        return resp

    def _read_body(
        self, method: str, headers: dict[str, str], read: Callable[[int], bytes]
    ) -> bytes:
        if "transfer-encoding" in headers:
            raise Problem(411, "length_required", "send Content-Length, not chunked encoding")
        raw = headers.get("content-length")
        if raw is None:
            if method in ("POST", "PATCH", "PUT"):
                raise Problem(411, "length_required", "Content-Length is required")
            return b""
        if not raw.strip().isdigit():
            raise Problem(400, "bad_content_length", "Content-Length is not a number")
        size = int(raw)
        limit = self.settings.max_chunk_bytes if method == "PATCH" else self.settings.max_json_bytes
        if size > limit:
            raise Problem(413, "body_too_large", f"body over {limit} bytes")
        try:
            body = read(size)
        except OSError as exc:
            raise Dropped from exc
        if len(body) != size:  # the client went away mid-body: store nothing
            raise Dropped
        return body

    def _authenticate(self, headers: dict[str, str]) -> str:
        device = headers.get("x-device-id", "")
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if not device or scheme.lower() != "bearer" or not token:
            raise Problem(
                401, "auth_required", "send X-Device-Id and a Bearer token",
                headers={"WWW-Authenticate": 'Bearer realm="bianmin"'},
            )  # fmt: skip
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
                        req.device_id, key, fingerprint, resp.status, resp.content_type,
                        resp.body, json.dumps(resp.headers), req.now,
                    ),
                )  # fmt: skip
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
