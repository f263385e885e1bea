"""Checking a configuration bundle before anything of it is used.

In order: the envelope's signature against a key this kiosk trusts — the one pinned at
enrollment, or the set it rotated to since (provisioning/protocol.py, key rotation); the
bundle is for this kiosk's site; its version is above every version accepted before
(rollback protection); it has not expired (freeze protection). Each refusal names its
reason with a stable code, and nothing is written.
"""

from __future__ import annotations

from typing import Any

from provisioning.agent.errors import BundleRefused
from provisioning.protocol import ProtocolError, load_public_key, open_envelope


def verify_bundle(
    envelope: Any,
    *,
    server_key: str,
    server_key_id: str,
    site_id: str | None,
    highest_version: int,
    now: float,
    trusted: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The bundle's payload if it may be applied; BundleRefused otherwise. ``trusted``
    (key id → key) replaces the pinned key once the fleet has rotated it."""
    if trusted and isinstance(envelope, dict) and envelope.get("key_id") in trusted:
        server_key_id = str(envelope["key_id"])
        server_key = trusted[server_key_id]
    elif trusted:
        server_key_id = "(none of the trusted keys)"
    try:
        payload = open_envelope(envelope, load_public_key(server_key), server_key_id)
    except ProtocolError as exc:
        code = "wrong_key" if "unknown key" in str(exc) else "bad_signature"
        raise BundleRefused(f"bundle refused: {exc}", code=code) from exc
    version = payload.get("version")
    expires = payload.get("expires_at")
    if not isinstance(version, int) or not isinstance(expires, int):
        raise BundleRefused("bundle refused: no version or expiry", code="malformed_bundle")
    if site_id is not None and payload.get("site") != site_id:
        raise BundleRefused(
            f"bundle refused: made for site {payload.get('site')!r}, this kiosk is {site_id!r}",
            code="wrong_site",
        )
    if version <= highest_version:
        raise BundleRefused(
            f"bundle refused: version {version} is not newer than {highest_version}",
            code="rollback",
        )
    if expires <= now:
        raise BundleRefused(f"bundle refused: expired at {expires}", code="expired")
    for key in ("settings", "branding"):
        if not isinstance(payload.get(key), dict):
            raise BundleRefused(f"bundle refused: {key} missing", code="malformed_bundle")
    return payload
