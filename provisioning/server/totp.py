"""Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), for province admins'
second factor. Written out here (thirty lines, checked against the RFC's test vectors in
tests/provisioning/test_fleet_signin.py) rather than taken from pyotp, so the fleet's
dependency locks stay as they are; any authenticator app (SHA-1, 6 digits, 30 s) reads
the ``otpauth://`` URI."""

from __future__ import annotations

import base64
import hmac
import secrets
import struct
from urllib.parse import quote

STEP_S = 30
DIGITS = 6


def new_secret() -> str:
    """160 random bits in base32, as authenticator apps take them."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    return base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS, digest: str = "sha1") -> str:
    """RFC 4226 §5.3: dynamic truncation of HMAC(key, counter)."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def code_at(secret: str, now: float) -> str:
    return hotp(_key(secret), int(now // STEP_S))


def matching_step(secret: str, code: str, now: float, window: int = 1) -> int | None:
    """The time step ``code`` belongs to, within ``window`` steps of ``now``; None if none."""
    if not (len(code) == DIGITS and code.isdigit()):
        return None
    step, key = int(now // STEP_S), _key(secret)
    for candidate in range(step - window, step + window + 1):
        if hmac.compare_digest(hotp(key, candidate), code):
            return candidate
    return None


def uri(secret: str, username: str, issuer: str = "Bianmin Fleet") -> str:
    return (
        f"otpauth://totp/{quote(issuer)}:{quote(username)}?secret={secret}"
        f"&issuer={quote(issuer)}&digits={DIGITS}&period={STEP_S}"
    )
