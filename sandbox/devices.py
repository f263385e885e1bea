"""Which devices the sandbox accepts: registered device ids with their own bearer token,
and optionally one shared token that any device id may use (the standalone
``kiosk sandbox serve`` default, so a technician's kiosk can connect without a step)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sandbox.storage import SandboxDB


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DeviceRegistry:
    def __init__(self, db: SandboxDB, shared_token: str | None = None) -> None:
        self._db = db
        self._shared = shared_token

    def register(self, device_id: str, now: float) -> str:
        """A new token for ``device_id`` (replacing any earlier one). Only the token's
        hash is stored."""
        token = secrets.token_urlsafe(24)
        with self._db.tx() as conn:
            conn.execute(
                "INSERT INTO devices (device_id, token_sha256, created_at) VALUES (?,?,?)"
                " ON CONFLICT (device_id) DO UPDATE SET token_sha256 = excluded.token_sha256",
                (device_id, _digest(token), now),
            )
        return token

    def check(self, device_id: str, token: str) -> bool:
        if self._shared is not None and hmac.compare_digest(token, self._shared):
            return True
        rows = self._db.query("SELECT token_sha256 FROM devices WHERE device_id = ?", (device_id,))
        return bool(rows) and hmac.compare_digest(rows[0][0], _digest(token))

    def device_ids(self) -> list[str]:
        return [r[0] for r in self._db.query("SELECT device_id FROM devices ORDER BY device_id")]
