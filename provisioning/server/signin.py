"""Sign-in guarded against guessing: backoff and temporary lock-out per account and per
client address, an alert when either locks, and a second factor for province admins.

Failures are counted in the database (``login_failures``), so every server process sees
the same counts. After ``ACCOUNT_LIMIT`` failures for one account (``ADDRESS_LIMIT`` from
one address) each further failure locks it for twice as long as the one before, from a
minute up to an hour; while locked, even the right password is refused (429
``login_locked`` with a Retry-After). An hour without failures forgets them; a successful
sign-in clears its account's count. Each lock-out opens a security alert the console
shows to province admins.
"""

from __future__ import annotations

from provisioning.server import totp
from provisioning.server.db import Tx
from provisioning.server.errors import TooMany, Unauthorized

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
FORGET_S = 3600
MAX_LOCK_S = 3600


def _keys(username: str, ip: str) -> list[tuple[str, int]]:
    keys = [(f"account:{username[:64]}", ACCOUNT_LIMIT)]
    if ip:
        keys.append((f"address:{ip}", ADDRESS_LIMIT))
    return keys


def check(tx: Tx, username: str, ip: str, now: float) -> None:
    """Refuse a sign-in while its account or address is locked (TooMany)."""
    for key, _ in _keys(username, ip):
        row = tx.one("SELECT locked_until FROM login_failures WHERE key = ?", (key,))
        if row is not None and row["locked_until"] > now:
            err = TooMany(
                int(row["locked_until"] - now) + 1, "too many failed sign-ins: try again later"
            )
            err.code = "login_locked"
            raise err


def failed(tx: Tx, username: str, ip: str, now: float) -> None:
    """Count a failed sign-in; lock what went over its limit and raise an alert."""
    for key, limit in _keys(username, ip):
        row = tx.one("SELECT failures, last_at FROM login_failures WHERE key = ?", (key,))
        count = 1 if row is None or now - row["last_at"] > FORGET_S else row["failures"] + 1
        locked = now + min(MAX_LOCK_S, 60 * 2 ** (count - limit)) if count >= limit else 0.0
        tx.run(
            "INSERT INTO login_failures (key, failures, last_at, locked_until) VALUES (?,?,?,?)"
            " ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,"
            " last_at = excluded.last_at, locked_until = excluded.locked_until",
            (key, count, now, locked),
        )
        if locked and not tx.one(
            "SELECT id FROM security_alerts WHERE subject = ? AND resolved_at IS NULL", (key,)
        ):
            tx.run(
                "INSERT INTO security_alerts (kind, subject, detail, opened_at)"
                " VALUES ('login_locked', ?, ?, ?)",
                (key, f"{count} failed sign-ins; locked until {int(locked)}", now),
            )


def succeeded(tx: Tx, username: str) -> None:
    tx.run("DELETE FROM login_failures WHERE key = ?", (f"account:{username[:64]}",))


def check_second_factor(tx: Tx, row: dict[str, object], otp: str, now: float) -> None:
    """A province admin's one-time code: right, current, and not used before."""
    secret = row.get("totp_secret")
    if not isinstance(secret, str) or not secret:
        raise Unauthorized(
            "province admins sign in with a one-time code: enroll one with"
            " `kiosk-fleet admin totp`",
            code="second_factor_required",
        )
    step = totp.matching_step(secret, otp.strip(), now)
    if step is None:
        raise Unauthorized(
            "send the one-time code from the authenticator (otp)", code="second_factor_required"
        )
    last = row.get("totp_last_step")
    if isinstance(last, int) and step <= last:  # a code seen before: replayed
        raise Unauthorized("this one-time code was used already", code="second_factor_required")
    tx.run("UPDATE admins SET totp_last_step = ? WHERE username = ?", (step, row["username"]))


def open_alerts(tx: Tx) -> list[dict[str, object]]:
    return tx.all(
        "SELECT * FROM security_alerts WHERE resolved_at IS NULL"
        " ORDER BY opened_at DESC, id DESC LIMIT 100"
    )
