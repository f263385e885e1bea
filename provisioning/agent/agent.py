"""The fleet agent inside a kiosk: enroll, heartbeat, fetch and verify bundles, run commands.

Nothing here touches the UI or imports the kiosk: the kiosk hands the agent what it needs
(terminal/fleet.py): a *validator* that runs a bundle through the kiosk's own loaders,
its software version, a *probe* (a callable returning the health part of a heartbeat),
hooks (a test print, the log folder, the redaction applied before logs leave) and the
queue of hourly usage batches it carries after each heartbeat (usage.py). The
kiosk calls :meth:`Agent.between_sessions` when no citizen is being served: that is the
only moment a new configuration becomes active. With the
network away the agent records the failure and the kiosk keeps running on its last good
bundle; the next contact catches up.
"""

from __future__ import annotations

import dataclasses as dc
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from provisioning.agent import commands
from provisioning.agent.active import check_active
from provisioning.agent.client import FleetClient
from provisioning.agent.errors import AgentError, BundleRefused, NotEnrolled, Refused
from provisioning.agent.identity import load_or_create_device_key
from provisioning.agent.state import AgentState, load_state, save_state
from provisioning.agent.store import BundleStore, Validator
from provisioning.agent.usage import UsageQueue, send_usage
from provisioning.agent.verify import verify_bundle
from provisioning.protocol import (
    ProtocolError,
    follow_rotation,
    key_id,
    parse_offer,
    trust_of,
    trusted_key_ids,
)

log = logging.getLogger(__name__)

Probe = Callable[[], dict[str, Any]]
TERMINAL = ("revoked", "rejected")
MAX_WARNINGS = 20  # a heartbeat carries at most this many (schemas.Heartbeat)


@dc.dataclass(frozen=True)
class Activation:
    """A bundle that just became active: the kiosk reloads from these files."""

    version: int
    settings_file: Path
    catalogue_file: Path | None
    branding: dict[str, Any]


class Agent:
    def __init__(
        self,
        state_dir: Path,
        *,
        validate: Validator,
        software_version: str,
        probe: Probe | None = None,
        hooks: commands.Hooks | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        session: requests.Session | None = None,
        usage: UsageQueue | None = None,
    ) -> None:
        self.root = state_dir / "fleet"
        self.key = load_or_create_device_key(self.root / "device.key")
        self._state_file = self.root / "agent.json"
        self.state: AgentState = load_state(self._state_file)
        self.store = BundleStore(self.root)
        self.probe = probe or (lambda: {})
        self.hooks = hooks or commands.Hooks()
        self.validate = validate
        self.software_version = software_version
        self.usage = usage
        self.clock, self.rng = clock, rng or random.Random()
        self._session = session
        self._lock = threading.RLock()
        self._born = time.monotonic()
        self._client: FleetClient | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    # ---- plumbing ------------------------------------------------------------------------

    def save(self) -> None:
        save_state(self._state_file, self.state)

    def client(self) -> FleetClient:
        if not self.state.enrolled:
            raise NotEnrolled("this kiosk is not enrolled: run `kiosk enroll` first")
        if self._client is None or self._client.base != self.state.server_url.rstrip("/"):
            self._client = FleetClient(
                self.state.server_url, self.key, clock=self.clock, session=self._session
            )
        return self._client

    def close(self) -> None:
        self.stop()
        if self._client is not None:
            self._client.close()

    # ---- enrollment ----------------------------------------------------------------------

    def enroll(
        self, server_url: str, code: str, serial: str, server_key_id: str = ""
    ) -> dict[str, Any]:
        """Register this kiosk's key with a pairing code; pins the server's key."""
        client = FleetClient(server_url, self.key, clock=self.clock, session=self._session)
        body = {
            "code": code,
            "serial": serial,
            "public_key": self.key.public_text,
            "software_version": self.software_version,
        }
        answer = client.call("POST", "/v1/enroll", body)
        pinned = str(answer.get("server_key", ""))
        if key_id(pinned) != answer.get("server_key_id") or (
            server_key_id and server_key_id != answer.get("server_key_id")
        ):
            raise AgentError("the server's key is not the one expected", code="server_key_mismatch")
        with self._lock:
            self.state = AgentState(
                server_url=server_url,
                server_key=pinned,
                server_key_id=key_id(pinned),
                device_id=self.key.device_id,
                status=str(answer["status"]),
                site_id=answer.get("site_id"),
            )
            self.save()
        self._client = client
        s = self.state
        return {
            "device_id": s.device_id,
            "status": s.status,
            "site_id": s.site_id,
            "server_key_id": s.server_key_id,
        }

    # ---- one round -----------------------------------------------------------------------

    def sync_once(self, apply: bool = False) -> dict[str, Any]:
        """State, heartbeat, commands, bundle; activate too when ``apply`` (no citizen)."""
        with self._lock:
            report: dict[str, Any] = {"device_id": self.key.device_id, "contacted": False}
            problem = check_active(self.store, self.state)  # before the heartbeat tells it
            if problem is not None:
                report["active_bundle"] = problem
            try:
                self._sync(report)
                self.state.last_error = ""
            except Refused as exc:
                self._refused(exc, report)
            except AgentError as exc:
                self.state.last_error = f"{exc.code}: {exc.detail}"
                report["error"] = {"code": exc.code, "detail": exc.detail}
            if apply and self.state.status == "accepted":
                activation = self.between_sessions()
                report["applied"] = activation.version if activation else None
            report.update(self.summary())
            self.save()
            return report

    def _sync(self, report: dict[str, Any]) -> None:
        client = self.client()
        answer = client.call("GET", "/v1/device/state")
        report["contacted"] = True
        self.state.last_contact = self.clock()
        self.state.status, self.state.site_id = answer["status"], answer.get("site_id")
        if self.state.status != "accepted":
            return
        sent = list(self.state.pending_results)
        events = list(self.state.pending_events)
        beat = client.call("POST", "/v1/device/heartbeat", self.heartbeat_body(sent, events))
        self.state.pending_results = [r for r in self.state.pending_results if r not in sent]
        self.state.pending_events = [e for e in self.state.pending_events if e not in events]
        report["heartbeat_s"] = beat["next_heartbeat_s"]
        report["commands"] = [commands.run(self.state, c, self._hooks()) for c in beat["commands"]]
        if "update" in beat:  # absent: a server that says nothing of software
            report["update"] = self._offer(beat["update"])
        report["bundle"] = self._fetch(beat.get("bundle_version"))
        if self.state.pending_results:
            client.call("POST", "/v1/device/results", {"results": self.state.pending_results})
            self.state.pending_results = []
        if self.usage is not None:
            report["usage"] = self._send_usage(client, self.usage)
            if "retry_after" in report["usage"]:
                report.setdefault("retry_after", report["usage"]["retry_after"])

    def _send_usage(self, client: FleetClient, queue: UsageQueue) -> dict[str, Any]:
        """The usage batches after the heartbeat; a fault of the kiosk's queue must not
        stop the heartbeats, so it is reported and the round goes on."""
        try:
            return send_usage(client, queue)
        except Exception as exc:
            log.exception("usage batches not sent")
            return {"sent": 0, "error": type(exc).__name__}

    def _offer(self, doc: Any) -> dict[str, Any]:
        """Hand the updater the version the fleet wants (``None``: no offer, withdraw
        one not yet switched to); a path as repository is on this fleet server."""
        if self.hooks.offer_update is None:
            return {"action": "ignored", "reason": "no_updater"}
        if doc is None:
            self.hooks.offer_update(None)
            return {"action": "withdrawn"}
        try:
            offer = parse_offer(doc)
        except ProtocolError as exc:
            return {"action": "refused", "reason": "bad_offer", "detail": str(exc)}
        if offer["repository"].startswith("/"):
            offer["repository"] = self.state.server_url.rstrip("/") + offer["repository"]
        self.hooks.offer_update(offer)
        return {"action": "offered", "offer_id": offer["offer_id"], "version": offer["version"]}

    def _hooks(self) -> commands.Hooks:
        upload = lambda cid, text: self.client().call(  # noqa: E731
            "POST", "/v1/device/logs", {"command_id": cid, "text": text}
        )
        return dc.replace(self.hooks, upload_logs=upload)

    def _fetch(self, offered: int | None) -> dict[str, Any]:
        """Download, verify and stage a newer bundle; what happened, for the report."""
        force, self.state.force_resync = self.state.force_resync, False
        if offered is None or (offered <= self.state.highest_version and not force):
            return {"offered": offered, "action": "up_to_date"}
        envelope = self.client().call("GET", "/v1/device/bundle")
        if isinstance(envelope, dict) and "key_rotations" in envelope:
            envelope = dict(envelope)
            self._follow(envelope.pop("key_rotations"))
        try:
            payload = self._verify(envelope)
        except BundleRefused as exc:
            log.warning("%s", exc.detail)
            self.state.config_error = f"{exc.code}: {exc.detail}"
            return {
                "offered": offered,
                "action": "refused",
                "reason": exc.code,
                "detail": exc.detail,
            }
        self.store.stage(envelope)
        return {"offered": offered, "action": "staged", "version": payload["version"]}

    def _follow(self, statements: Any) -> None:
        """Walk the fleet's key rotations from the key set this kiosk trusts (like a TUF
        client walks roots); a statement that does not follow is skipped and logged."""
        trust = self.state.server_trust or trust_of(self.state.server_key)
        for statement in statements if isinstance(statements, list) else []:
            try:
                payload = json.loads(statement["payload"])
                if int(payload.get("version", 0)) <= int(trust["version"]):
                    continue  # already followed
                trust = follow_rotation(trust, statement)
            except (ProtocolError, ValueError, KeyError, TypeError) as exc:
                log.warning("server key rotation not followed: %s", exc)
                break
        if trust.get("version", 1) > 1:
            self.state.server_trust = trust

    def _verify(self, envelope: Any) -> dict[str, Any]:
        trusted = trusted_key_ids(self.state.server_trust) if self.state.server_trust else None
        return verify_bundle(
            envelope,
            server_key=self.state.server_key,
            server_key_id=self.state.server_key_id,
            site_id=self.state.site_id,
            highest_version=self.state.highest_version,
            now=self.clock(),
            trusted=trusted,
        )

    def _refused(self, exc: Refused, report: dict[str, Any]) -> None:
        report["contacted"] = True
        self.state.last_error = f"{exc.code}: {exc.detail}"
        report["error"] = {"code": exc.code, "detail": exc.detail, "status": exc.status}
        if exc.retry_after:
            report["retry_after"] = exc.retry_after
        if exc.code in ("device_revoked", "device_rejected"):
            self.state.status = exc.code.removeprefix("device_")
            self.state.in_service = False  # a revoked kiosk stops serving citizens
            self.state.service_message = "本机已停用，请联系管理员"

    # ---- the kiosk's hook ----------------------------------------------------------------

    def between_sessions(self) -> Activation | None:
        """Activate a staged bundle, if any. Call only when no citizen is being served."""
        with self._lock:
            envelope = self.store.staged()
            if envelope is None:
                return None
            self.store.drop_staged()
            try:
                payload = self._verify(envelope)  # again: it may have expired meanwhile
                warnings = self.store.activate(envelope, payload, self.validate)
            except BundleRefused as exc:
                log.warning("bundle not activated: %s", exc.detail)
                self.state.config_error = f"{exc.code}: {exc.detail}"
                self.save()
                return None
            version = int(payload["version"])
            self.state.applied_version = self.state.highest_version = version
            self.state.active_expires_at = int(payload["expires_at"])
            self.state.config_error = ""
            self.state.config_warnings = [w[:200] for w in warnings[:MAX_WARNINGS]]
            self.save()
            log.info("configuration bundle %d active", version)
            for warning in warnings:
                log.warning("configuration bundle %d: %s", version, warning)
            current = self.store.current_dir()
            assert current is not None
            catalogue = current / "catalogue.json"
            found = catalogue if catalogue.exists() else None
            return Activation(version, current / "settings.toml", found, payload["branding"])

    def rollback(self, reason: str) -> int | None:
        """The kiosk could not run the active bundle: go back to the previous one."""
        with self._lock:
            version = self.store.rollback()
            if version is not None:
                self.state.applied_version = version
                payload = self.store.active_payload() or {}
                self.state.active_expires_at = int(payload.get("expires_at", 0))
            self.state.config_error = f"rolled_back: {reason}"[:500]
            self.state.config_warnings = []  # the previous bundle's were not kept
            self.save()
            return version

    def report_event(self, event: dict[str, Any]) -> None:
        """Queue a kiosk event (a technician entered maintenance mode, a wrong PIN …);
        it rides on the next heartbeat and is kept across restarts until sent."""
        with self._lock:
            self.state.add_event(dict(event))
            self.save()

    def ping(self) -> bool:
        """True when the fleet server answers this kiosk's signed state request."""
        try:
            self.client().call("GET", "/v1/device/state")
        except AgentError:
            return False
        return True

    def service_state(self) -> tuple[bool, str]:
        """(in service, message): the kiosk shows the message instead of the home screen."""
        return self.state.in_service, self.state.service_message

    # ---- heartbeat and status ------------------------------------------------------------

    def heartbeat_body(
        self,
        results: list[dict[str, Any]] | None = None,
        events: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        try:
            health = dict(self.probe())
        except Exception as exc:  # a broken probe must not silence the heartbeat
            health = {"probe_error": type(exc).__name__}
        return {
            "devices": health.get("devices", {}),
            "paper": health.get("paper", "unknown"),
            "outbox": health.get("outbox", {"depth": 0, "oldest_pending_age_s": None}),
            "uptime_s": int(time.monotonic() - self._born),
            "software_version": self.software_version,
            "config_version": self.state.applied_version or None,
            "config_error": self.state.config_error or None,
            "config_warnings": self.state.config_warnings,
            "in_service": self.state.in_service,
            "results": results or [],
            "events": events or [],
            **self._update_report(),
        }

    def _update_report(self) -> dict[str, Any]:
        """``{"update": …}`` for the heartbeat when the kiosk has an updater."""
        if self.hooks.update_report is None:
            return {}
        try:
            report = self.hooks.update_report()
        except Exception as exc:  # a broken report must not silence the heartbeat
            report = {"state": "unknown", "reason": type(exc).__name__}
        return {} if report is None else {"update": report}

    def summary(self) -> dict[str, Any]:
        s = self.state
        now = self.clock()
        return {
            "enrolled": s.enrolled,
            "server": s.server_url,
            "status": s.status,
            "site_id": s.site_id,
            "config_version": s.applied_version or None,
            "config_expires_at": s.active_expires_at or None,
            "config_stale": bool(s.active_expires_at) and s.active_expires_at <= now,
            "staged": self.store.staged() is not None,
            "in_service": s.in_service,
            "service_message": s.service_message,
            "last_contact": s.last_contact or None,
            "last_error": s.last_error or None,
            "config_error": s.config_error or None,
            "config_warnings": s.config_warnings,
        }

    # ---- background loop -----------------------------------------------------------------

    def next_delay(self, base: float, retry_after: float = 0.0) -> float:
        """Jittered wait (±20 %), never shorter than the server's Retry-After."""
        if retry_after > 0:
            return retry_after * self.rng.uniform(1.0, 1.2)
        return base * self.rng.uniform(0.8, 1.2)

    def start(self, is_idle: Callable[[], bool], interval: float = 300.0) -> None:
        """Sync in a thread every ``interval`` (jittered); apply only when ``is_idle()``."""

        def loop() -> None:
            delay = interval * self.rng.uniform(0.0, 1.0)  # spread kiosks that boot together
            while not self._stop.wait(delay):
                report = self.sync_once(apply=is_idle())
                base = float(report.get("heartbeat_s", interval))
                delay = self.next_delay(base, float(report.get("retry_after", 0.0)))

        self._stop.clear()
        self._thread = threading.Thread(target=loop, name="fleet-agent", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
