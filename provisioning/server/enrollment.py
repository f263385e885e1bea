"""Enrollment: pairing codes, pending devices, approval into a site, pre-authorisation
by serial number, rejection and revocation.

A kiosk makes its own key pair and enrolls with a pairing code a technician types (or a
QR code carries). Its id follows from its key. It waits as *pending* until an admin
approves it into a site, unless its serial number was pre-authorised from a CSV for the
very site its pairing code was made for, in which case it is accepted at once. Allowed
moves follow Mender's: pending → accepted | rejected, rejected → accepted, accepted →
revoked. Revoked is final: the kiosk must make a new key and enroll again.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from typing import Any

from provisioning.protocol import (
    CODE_ALPHABET,
    CODE_LENGTH,
    ProtocolError,
    device_id_for,
    load_public_key,
    normalize_code,
)
from provisioning.server.db import Tx
from provisioning.server.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from provisioning.server.regions import get_site
from provisioning.server.schemas import Enrollment

SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}")
CODE_TTL_S = 24 * 3600


def new_pairing_code(
    tx: Tx, site_id: str, created_by: str, now: float, *, uses: int = 1, ttl_s: float = CODE_TTL_S
) -> tuple[str, float]:
    """A fresh code for ``site_id``: (code, expiry)."""
    get_site(tx, site_id)
    if not 1 <= uses <= 1000:
        raise Invalid("uses must be 1-1000", field="uses")
    if not 60 <= ttl_s <= 30 * 86400:
        raise Invalid("a code lives between a minute and 30 days", field="ttl_s")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    tx.run(
        "INSERT INTO pairing_codes (code, site_id, uses_left, created_by, created_at, expires_at)"
        " VALUES (?,?,?,?,?,?)",
        (code, site_id, uses, created_by, now, now + ttl_s),
    )
    return code, now + ttl_s


def _take_code(tx: Tx, text: str, now: float) -> str:
    """Spend one use of a pairing code; the site it was made for."""
    try:
        code = normalize_code(text)
    except ProtocolError as exc:
        raise Unauthorized(str(exc), code="pairing_code_invalid") from exc
    row = tx.one("SELECT * FROM pairing_codes WHERE code = ?", (code,))
    if row is None or row["uses_left"] <= 0:
        raise Unauthorized("unknown or used pairing code", code="pairing_code_invalid")
    if now >= row["expires_at"]:
        raise Unauthorized("this pairing code has expired", code="pairing_code_expired")
    tx.run("UPDATE pairing_codes SET uses_left = uses_left - 1 WHERE code = ?", (code,))
    return str(row["site_id"])


def enroll(tx: Tx, body: Enrollment, device_id: str, now: float) -> dict[str, Any]:
    """Record a kiosk that proved it holds ``body.public_key``; its status afterwards."""
    public_key, serial, software = body.public_key, body.serial, body.software_version
    try:
        load_public_key(public_key)
    except ProtocolError as exc:
        raise Invalid(str(exc), field="public_key") from exc
    if device_id != device_id_for(public_key):
        raise Unauthorized("the device id does not belong to this key", code="signature_invalid")
    existing = tx.one("SELECT * FROM devices WHERE id = ?", (device_id,))
    if existing is not None:  # a retried enrollment answers the same
        if existing["status"] == "revoked":
            raise Forbidden("this key was revoked; make a new one", code="device_revoked")
        return device_view(existing)
    site = _take_code(tx, body.code, now)
    pre = tx.one("SELECT * FROM preauthorized WHERE serial = ? AND used_by IS NULL", (serial,))
    if pre is not None and pre["site_id"] != site:
        # the code's site and the pre-authorised site disagree: neither overrides the
        # other (a county admin's code must not carry a kiosk into another county's
        # site); it waits for an admin whose scope covers it
        pre = None
    status, site_id = ("accepted", pre["site_id"]) if pre else ("pending", None)
    tx.run(
        "INSERT INTO devices (id, public_key, serial, status, site_id, requested_site,"
        " software_version, enrolled_at, decided_at, decided_by)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        (
            device_id,
            public_key,
            serial,
            status,
            site_id,
            site,
            software,
            now,
            now if pre else None,
            "preauthorized" if pre else None,
        ),
    )
    if pre:
        tx.run("UPDATE preauthorized SET used_by = ? WHERE serial = ?", (device_id, serial))
    return device_view(get_device(tx, device_id))


def get_device(tx: Tx, device_id: str) -> dict[str, Any]:
    row = tx.one("SELECT * FROM devices WHERE id = ?", (device_id,))
    if row is None:
        raise NotFound(f"no device {device_id}", code="unknown_device")
    return row


def device_view(row: dict[str, Any]) -> dict[str, Any]:
    return {"device_id": row["id"], "status": row["status"], "site_id": row["site_id"]}


def approve(tx: Tx, device_id: str, site_id: str, by: str, now: float) -> dict[str, Any]:
    row = get_device(tx, device_id)
    get_site(tx, site_id)
    if row["status"] not in ("pending", "rejected", "accepted"):
        raise Conflict(f"a {row['status']} device cannot be approved", code="bad_transition")
    tx.run(
        "UPDATE devices SET status = 'accepted', site_id = ?, decided_at = ?, decided_by = ?"
        " WHERE id = ?",
        (site_id, now, by, device_id),
    )
    return get_device(tx, device_id)


def reject(tx: Tx, device_id: str, by: str, now: float) -> None:
    row = get_device(tx, device_id)
    if row["status"] != "pending":
        raise Conflict(
            f"only a pending device can be rejected ({row['status']})", code="bad_transition"
        )
    tx.run(
        "UPDATE devices SET status = 'rejected', decided_at = ?, decided_by = ? WHERE id = ?",
        (now, by, device_id),
    )


def revoke(tx: Tx, device_id: str, by: str, now: float) -> None:
    row = get_device(tx, device_id)
    if row["status"] == "revoked":
        return  # revoking twice is the same as once
    tx.run(
        "UPDATE devices SET status = 'revoked', decided_at = ?, decided_by = ? WHERE id = ?",
        (now, by, device_id),
    )
    tx.run(
        "UPDATE commands SET status = 'cancelled' WHERE device_id = ? AND status IN"
        " ('pending', 'delivered')",
        (device_id,),
    )


def preauthorize_csv(tx: Tx, text: str, by: str, now: float) -> list[str]:
    """Read ``serial,site`` rows (a header row is allowed); all or nothing."""
    try:
        parsed = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:  # a stray carriage return, a NUL …: not a CSV file
        raise Invalid(f"not a CSV file: {exc}", field="csv") from exc
    rows = [r for r in parsed if r and any(c.strip() for c in r)]
    if rows and [c.strip().lower() for c in rows[0]][:2] == ["serial", "site"]:
        rows = rows[1:]
    if not rows:
        raise Invalid("the CSV has no rows", field="csv")
    serials = []
    for number, row in enumerate(rows, start=1):
        if len(row) < 2:
            raise Invalid(f"row {number}: expected serial,site", field="csv")
        serial, site = row[0].strip(), row[1].strip()
        if not SERIAL.fullmatch(serial):
            raise Invalid(f"row {number}: bad serial {serial!r}", field="csv")
        try:
            get_site(tx, site)
        except (NotFound, Invalid) as exc:
            raise Invalid(f"row {number}: {exc.detail}", field="csv") from exc
        tx.run(
            "INSERT INTO preauthorized (serial, site_id, created_by, created_at) VALUES (?,?,?,?)"
            " ON CONFLICT (serial) DO UPDATE SET site_id = excluded.site_id",
            (serial, site, by, now),
        )
        serials.append(serial)
    return serials
