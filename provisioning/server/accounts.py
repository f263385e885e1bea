"""Admin accounts, roles and expiring sessions.

Passwords are stored as scrypt hashes with a per-account salt; province admins also
give a one-time code (TOTP, signin.py), enrolled when the account is made. A session
token is random, shown to the client once and stored only as its SHA-256, so a copy of
the database does not log anyone in. Sessions end after 30 idle minutes or 12 hours,
whichever comes first.
"""

from __future__ import annotations

import dataclasses as dc
import hashlib
import hmac
import re
import secrets

from provisioning.protocol import b64d, b64e
from provisioning.server import signin, totp
from provisioning.server.db import Tx
from provisioning.server.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from provisioning.server.regions import get_region

ROLES = ("province_admin", "county_admin", "technician")
ROLE_NAMES = {
    "province_admin": "省级管理员",
    "county_admin": "县级管理员",
    "technician": "技术员(只读)",
}
USERNAME = re.compile(r"[a-z][a-z0-9._-]{1,31}")
IDLE_S = 30 * 60
ABSOLUTE_S = 12 * 3600
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MIN_PASSWORD = 10


@dc.dataclass(frozen=True)
class Actor:
    """Who is acting: an admin, or the operator at the server's command line."""

    username: str
    role: str
    scope: str | None  # None = the whole tree
    ip: str = ""
    csrf: str = ""

    @property
    def can_write(self) -> bool:
        return self.role in ("province_admin", "county_admin")

    def require_write(self) -> None:
        if not self.can_write:
            raise Forbidden("technicians have read-only access", code="read_only")

    def require_province(self) -> None:
        if self.role != "province_admin":
            raise Forbidden("only a province admin may do this", code="province_only")


def cli_actor(user: str) -> Actor:
    return Actor(f"cli:{user}", "province_admin", None, "local")


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64e(salt)}${b64e(digest)}"


def check_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=b64d(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except ValueError:
        return False
    return hmac.compare_digest(got, b64d(digest))


_DUMMY = hash_password("not-a-password", b"\0" * 16)  # same work for unknown users


def add_admin(
    tx: Tx, username: str, password: str, role: str, scope: str | None, now: float
) -> str | None:
    """Add an admin; a province admin's TOTP secret (shown once, for the authenticator)."""
    if not USERNAME.fullmatch(username):
        raise Invalid("2-32 of a-z 0-9 . _ - starting with a letter", field="username")
    if role not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}", field="role")
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    if role != "province_admin" and scope is None:
        raise Invalid("county admins and technicians need a region scope", field="scope")
    if scope is not None:
        get_region(tx, scope)
    if tx.one("SELECT username FROM admins WHERE username = ?", (username,)):
        raise Conflict(f"admin {username} exists", code="admin_exists")
    secret = totp.new_secret() if role == "province_admin" else None
    tx.run(
        "INSERT INTO admins (username, password_hash, role, scope, created_at, totp_secret)"
        " VALUES (?,?,?,?,?,?)",
        (username, hash_password(password), role, scope, now, secret),
    )
    return secret


def new_totp(tx: Tx, username: str) -> str:
    """(Re-)enroll an admin's second factor; the new secret. Codes of the old one stop."""
    secret = totp.new_secret()
    if not tx.run(
        "UPDATE admins SET totp_secret = ?, totp_last_step = NULL WHERE username = ?",
        (secret, username),
    ):
        raise NotFound(f"no admin {username}", code="unknown_admin")
    return secret


def login(
    tx: Tx, username: str, password: str, now: float, otp: str = ""
) -> tuple[str, str, float]:
    """Check the password (and a province admin's one-time code) and open a session:
    (token, csrf token, expiry)."""
    row = tx.one("SELECT * FROM admins WHERE username = ?", (username,))
    ok = check_password(password, row["password_hash"] if row else _DUMMY)
    if row is None or not ok or row["disabled"]:
        raise Unauthorized("wrong user name or password", code="login_failed")
    if row["role"] == "province_admin":
        signin.check_second_factor(tx, row, otp, now)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(16)
    expires = now + ABSOLUTE_S
    tx.run(
        "INSERT INTO admin_sessions (token_hash, username, csrf, created_at, last_seen,"
        " expires_at) VALUES (?,?,?,?,?,?)",
        (_token_hash(token), username, csrf, now, now, expires),
    )
    return token, csrf, expires


def session_actor(tx: Tx, token: str, now: float, ip: str = "") -> Actor:
    """The admin a session token belongs to; Unauthorized when missing or expired."""
    row = tx.one(
        "SELECT s.*, a.role, a.scope, a.disabled FROM admin_sessions s"
        " JOIN admins a ON a.username = s.username WHERE s.token_hash = ?",
        (_token_hash(token),),
    )
    if row is None or row["disabled"]:
        raise Unauthorized("log in first", code="session_invalid")
    if now >= row["expires_at"] or now - row["last_seen"] >= IDLE_S:
        tx.run("DELETE FROM admin_sessions WHERE token_hash = ?", (row["token_hash"],))
        raise Unauthorized("the session has expired; log in again", code="session_expired")
    tx.run("UPDATE admin_sessions SET last_seen = ? WHERE token_hash = ?", (now, row["token_hash"]))
    return Actor(row["username"], row["role"], row["scope"], ip, row["csrf"])


def logout(tx: Tx, token: str) -> None:
    tx.run("DELETE FROM admin_sessions WHERE token_hash = ?", (_token_hash(token),))


def purge_sessions(tx: Tx, now: float) -> int:
    return tx.run(
        "DELETE FROM admin_sessions WHERE expires_at <= ? OR last_seen <= ?", (now, now - IDLE_S)
    )


def list_admins(tx: Tx) -> list[dict[str, object]]:
    return tx.all("SELECT username, role, scope, disabled, created_at FROM admins ORDER BY 1")


def set_disabled(tx: Tx, username: str, disabled: bool) -> None:
    if not tx.run("UPDATE admins SET disabled = ? WHERE username = ?", (int(disabled), username)):
        raise NotFound(f"no admin {username}", code="unknown_admin")
    if disabled:
        tx.run("DELETE FROM admin_sessions WHERE username = ?", (username,))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
