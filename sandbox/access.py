"""Who may see a case or an appointment: the station that filed it, or a citizen who
proved who they are at the asking kiosk.

Case numbers are sequential with a check digit and appointment ids count up, so knowing
one proves nothing. The platform gives each case and each appointment an unguessable
access token (128 bits, HMAC of its id under the platform's own secret), in the answer
that creates it and in an applicant's own search (the kiosk sends that only after
reading the citizen's ID card). A device other than the one that filed the case or
booked the appointment must send that token as ``X-Access-Token``; without it the case
or appointment does not exist for it (404, so ids cannot be probed either).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import sqlite3

from sandbox.storage import get_setting, set_setting
from sandbox.wire import Problem, Request

HEADER = "x-access-token"


def _secret(conn: sqlite3.Connection) -> bytes:
    found = get_setting(conn, "access_secret")
    if found is None:
        found = secrets.token_hex(32)
        set_setting(conn, "access_secret", found)
    return bytes.fromhex(found)


def token(conn: sqlite3.Connection, kind: str, ident: str) -> str:
    """The access token of case ``ident`` (kind ``case``) or appointment (``appointment``)."""
    mac = hmac.new(_secret(conn), f"{kind}|{ident}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:16]).decode().rstrip("=")


def require(
    req: Request,
    conn: sqlite3.Connection,
    kind: str,
    ident: str,
    owner: str | None,
    not_found: Problem,
) -> None:
    """Refuse (``not_found``) a device that is not ``owner`` and sends no right token."""
    if owner is not None and hmac.compare_digest(owner.encode(), req.device_id.encode()):
        return
    sent = req.header(HEADER) or ""
    if sent and hmac.compare_digest(sent.encode(), token(conn, kind, ident).encode()):
        return
    raise not_found
