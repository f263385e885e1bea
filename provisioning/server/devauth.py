"""Checking a signed device request: known key, not revoked, fresh, never seen, intact.

The order of checks gives each refusal one clear reason. The nonce is recorded in the
same transaction as the request's effect; a replay inside the clock window hits the
primary key and is refused, one outside it is refused by its timestamp.
"""

from __future__ import annotations

import dataclasses as dc
import functools
import re
from typing import Any

from provisioning.protocol import (
    CLOCK_SKEW_S,
    DEVICE_ID_RE,
    H_DEVICE,
    H_NONCE,
    H_SIGNATURE,
    H_TIMESTAMP,
    NONCE_RE,
    load_public_key,
    request_message,
    verify,
)
from provisioning.server.db import Statement, Tx
from provisioning.server.errors import Forbidden, Unauthorized

#: what a device request needs of its device, and of its site's newest bundle, in one
#: look-up (the bundle columns are NULL for a device without a site or bundle)
DEVICE = (
    "SELECT d.id, d.public_key, d.status, d.site_id, d.requested_site, d.config_version,"
    " b.version AS bundle_version, b.expires_at AS bundle_expires_at"
    " FROM devices d LEFT JOIN regions r ON r.id = d.site_id"
    " LEFT JOIN bundles b ON b.site_id = d.site_id AND b.version = r.bundle_version"
    " WHERE d.id = ?"
)


@functools.lru_cache(maxsize=262_144)
def _public_key(text: str) -> Any:
    """Parsed once per key (a heartbeat is the hot path; keys never change)."""
    return load_public_key(text)


def signed_parts(headers: dict[str, str]) -> tuple[str, int, str, str]:
    """(device id, timestamp, nonce, signature) from the headers, or Unauthorized."""
    device = headers.get(H_DEVICE.lower(), "")
    stamp = headers.get(H_TIMESTAMP.lower(), "")
    nonce = headers.get(H_NONCE.lower(), "")
    signature = headers.get(H_SIGNATURE.lower(), "")
    if not (device and stamp and nonce and signature):
        raise Unauthorized("send the X-Fleet-Device/Timestamp/Nonce/Signature headers")
    if not DEVICE_ID_RE.fullmatch(device):
        raise Unauthorized("malformed device id", code="unknown_device")
    if not re.fullmatch(r"\d{1,12}", stamp) or not NONCE_RE.fullmatch(nonce):
        raise Unauthorized("malformed timestamp or nonce", code="signature_invalid")
    return device, int(stamp), nonce, signature


@dc.dataclass(frozen=True)
class Signed:
    """One signed request as the HTTP layer saw it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    ip: str = ""


def check_signature(public_key: str, req: Signed, now: float) -> tuple[str, int, str]:
    """Verify the signature and the clock; (device id, timestamp, nonce)."""
    device, stamp, nonce, signature = signed_parts(req.headers)
    message = request_message(req.method, req.target, device, stamp, nonce, req.body)
    if not verify(_public_key(public_key), signature, message):
        raise Unauthorized("the signature does not match", code="signature_invalid")
    if abs(now - stamp) > CLOCK_SKEW_S:
        err = Unauthorized(
            f"timestamp more than {CLOCK_SKEW_S}s from server time", code="stale_timestamp"
        )
        err.headers["X-Fleet-Server-Time"] = str(int(now))
        raise err
    return device, stamp, nonce


def authenticate(tx: Tx, req: Signed, now: float, *, allow_pending: bool = False) -> dict[str, Any]:
    """The device row of a properly signed request; Unauthorized/Forbidden otherwise."""
    row, nonce = verified(tx, req, now, allow_pending=allow_pending)
    remember_nonce(tx, row["id"], nonce, now)
    return row


def verified(
    tx: Tx, req: Signed, now: float, *, allow_pending: bool = False
) -> tuple[dict[str, Any], str]:
    """The device row and the nonce of a properly signed request, the nonce not yet
    remembered (the caller does that in the same transaction: ``remembering``)."""
    device_id = signed_parts(req.headers)[0]
    row = tx.one(DEVICE, (device_id,))
    if row is None:
        raise Unauthorized("this device is not enrolled", code="unknown_device")
    _, _, nonce = check_signature(row["public_key"], req, now)
    if row["status"] == "revoked":
        raise Forbidden("this device's key has been revoked", code="device_revoked")
    if row["status"] == "rejected":
        raise Forbidden("this device's enrollment was rejected", code="device_rejected")
    if row["status"] == "pending" and not allow_pending:
        raise Forbidden("waiting for an admin to approve this device", code="device_pending")
    return row, nonce


def remembering(device_id: str, nonce: str, now: float) -> Statement:
    """The statement that stores a nonce; it changes no row if the nonce was seen."""
    return (
        "INSERT INTO device_nonces (device_id, nonce, seen_at) VALUES (?,?,?)"
        " ON CONFLICT (device_id, nonce) DO NOTHING",
        (device_id, nonce, now),
    )


def first_time(inserted: int) -> None:
    """Refuse a replay: ``inserted`` is what the ``remembering`` statement changed."""
    if not inserted:
        raise Unauthorized("this request was already received", code="replayed_request")


def remember_nonce(tx: Tx, device_id: str, nonce: str, now: float) -> None:
    first_time(tx.run(*remembering(device_id, nonce, now)))


def purge_nonces(tx: Tx, now: float) -> int:
    """Nonces older than the clock window on both sides (plus margin) can no longer pass
    the timestamp check, so they need not be kept."""
    return tx.run("DELETE FROM device_nonces WHERE seen_at < ?", (now - 3 * CLOCK_SKEW_S,))
