"""A fleet server on loopback that takes usage batches as docs/analytics.md says the real
one must, for the agent's and the kiosks' tests until the new server stack has the
endpoint: every request's signature checked (provisioning.protocol), the state and
heartbeat calls an agent makes, and ``POST /v1/device/usage`` with its answers (201
stored, 200 duplicate, 409 conflict, 413 too large, 422 invalid). Batches are checked
with the kiosk's own checker (kiosk.usage.check_batch) on the server's clock, allowing
for the kiosk's clock being ahead by ``CLOCK_SKEW_S``.

``script`` makes the next usage requests fail: a status (answered with a problem
document), ``"cut"`` (stored, then the connection closed unanswered), ``"html"`` (a
proxy's 403 page). ``down`` drops every connection.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Container
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from kiosk.usage import UsageRefused, check_batch
from kiosk.usage.batch import MAX_BYTES, canonical
from provisioning.agent import Agent
from provisioning.agent.state import AgentState
from provisioning.protocol import (
    CLOCK_SKEW_S,
    H_DEVICE,
    H_NONCE,
    H_SIGNATURE,
    H_TIMESTAMP,
    load_public_key,
    request_message,
    verify,
)

STATUS = {"usage_too_large": 413, "batch_conflict": 409, "unknown_format": 422}


class UsageFleet:
    def __init__(self, matters: Container[str], now: Callable[[], dt.datetime]) -> None:
        self.matters, self.now = matters, now
        self.keys: dict[str, str] = {}  # device id -> public key text
        self.nonces: set[str] = set()
        self.stored: dict[tuple[str, str], dict[str, Any]] = {}  # (device, hour) -> batch
        self.received: list[tuple[str, bytes]] = []  # every usage body, as it came
        self.heartbeats = 0
        self.script: list[int | str] = []
        self.down = False
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}"

    def start(self) -> UsageFleet:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def enroll(self, agent: Agent, site_id: str = "s-0001") -> None:
        """The agent as an accepted device of this server (enrollment itself is tested
        with the real server)."""
        self.keys[agent.key.device_id] = agent.key.public_text
        agent.state = AgentState(
            server_url=self.url, server_key="-", server_key_id="-",
            device_id=agent.key.device_id, status="accepted", site_id=site_id,
        )  # fmt: skip

    def batches(self, device_id: str) -> list[dict[str, Any]]:
        return [b for (d, _h), b in sorted(self.stored.items()) if d == device_id]

    # ---- HTTP ----

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fleet = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fleet._serve(self, "GET")

            def do_POST(self) -> None:
                fleet._serve(self, "POST")

        return Handler

    def _serve(self, h: BaseHTTPRequestHandler, method: str) -> None:
        if self.down:
            h.close_connection = True
            return
        length = int(h.headers.get("Content-Length") or 0)
        if h.path == "/v1/device/usage" and length > MAX_BYTES:
            return self._problem(h, 413, "body_too_large", "refused unread", close=True)
        body = h.rfile.read(length)
        device = self._authenticate(h, method, body)
        if device is None:
            return self._problem(h, 401, "bad_signature", "not signed by an enrolled device")
        if method == "GET" and h.path == "/v1/device/state":
            return self._json(h, 200, {"status": "accepted", "site_id": "s-0001",
                                       "heartbeat_s": 300})  # fmt: skip
        if method == "POST" and h.path == "/v1/device/heartbeat":
            self.heartbeats += 1
            return self._json(h, 200, {"next_heartbeat_s": 300, "bundle_version": None,
                                       "commands": [], "server_time": 0})  # fmt: skip
        if method == "POST" and h.path == "/v1/device/usage":
            return self._usage(h, device, body)
        return self._problem(h, 404, "not_found", "no such resource")

    def _authenticate(self, h: BaseHTTPRequestHandler, method: str, body: bytes) -> str | None:
        device, nonce = h.headers.get(H_DEVICE, ""), h.headers.get(H_NONCE, "")
        stamp, signature = h.headers.get(H_TIMESTAMP, ""), h.headers.get(H_SIGNATURE, "")
        if device not in self.keys or not stamp.isdigit():
            return None
        message = request_message(method, h.path, device, int(stamp), nonce, body)
        with self._lock:
            if nonce in self.nonces or not verify(load_public_key(self.keys[device]),
                                                  signature, message):  # fmt: skip
                return None
            self.nonces.add(nonce)
        return device

    def _usage(self, h: BaseHTTPRequestHandler, device: str, body: bytes) -> None:
        with self._lock:
            self.received.append((device, body))
            fault = self.script.pop(0) if self.script else None
        if isinstance(fault, int):
            return self._problem(h, fault, "injected", "a scripted failure")
        if fault == "html":
            h.send_response(403)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "13")
            h.end_headers()
            h.wfile.write(b"<h1>login</h1>")
            return None
        try:
            doc = json.loads(body)
            check_batch(doc, self.matters, self.now(), skew=dt.timedelta(seconds=CLOCK_SKEW_S))
        except UsageRefused as exc:
            return self._problem(h, STATUS.get(exc.code, 422), exc.code,
                                 f"{exc.field}: {exc.detail}")  # fmt: skip
        except ValueError:
            return self._problem(h, 400, "malformed_json", "body is not JSON")
        with self._lock:
            key = (device, doc["hour"])
            before = self.stored.get(key)
            if before is None:
                self.stored[key] = doc
        if fault == "cut":  # stored, but the answer never reaches the kiosk
            h.close_connection = True
            return None
        if before is None:
            return self._json(h, 201, {"batch_id": doc["batch_id"], "status": "stored"})
        if canonical(before) == canonical(doc):
            return self._json(h, 200, {"batch_id": doc["batch_id"], "status": "duplicate"})
        return self._problem(h, 409, "batch_conflict", "another batch for this hour")

    @staticmethod
    def _json(h: BaseHTTPRequestHandler, status: int, value: Any) -> None:
        raw = json.dumps(value).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(raw)))
        h.end_headers()
        h.wfile.write(raw)

    @staticmethod
    def _problem(
        h: BaseHTTPRequestHandler, status: int, code: str, detail: str, *, close: bool = False
    ) -> None:
        raw = json.dumps({"type": f"https://bianmin.example/problems/{code}", "title": code,
                          "status": status, "code": code, "detail": detail}).encode()  # fmt: skip
        h.send_response(status)
        h.send_header("Content-Type", "application/problem+json")
        h.send_header("Content-Length", str(len(raw)))
        if close:
            h.send_header("Connection", "close")
            h.close_connection = True
        h.end_headers()
        h.wfile.write(raw)
