"""Encryption at rest for queued personal data: AES-256-GCM from ``cryptography``.

Each blob is ``version byte | 12-byte random nonce | ciphertext+tag``. The associated
data names the row the blob belongs to, so a blob copied into another row fails to
open instead of attaching one citizen's scan to another's application.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.storage import secret_file

KEY_BYTES = 32
NONCE_BYTES = 12
VERSION = b"\x01"


class CryptoError(Exception):
    """A blob could not be opened: wrong key, tampered or truncated data."""

    code = "decrypt_failed"


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def load_or_create_key(path: Path) -> bytes:
    """The outbox key from ``path``, made on first use as a 0600 file (owner-only)."""
    key, _made = secret_file(path, new_key)
    if len(key) != KEY_BYTES:
        raise CryptoError(f"outbox key file must hold {KEY_BYTES} bytes")
    return key


class Sealer:
    """Seals and opens blobs with one key."""

    def __init__(self, key: bytes) -> None:
        if len(key) not in (16, 24, 32):
            raise ValueError("AES-GCM key must be 16, 24 or 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, aad: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return VERSION + nonce + self._aead.encrypt(nonce, plaintext, aad.encode())

    def open(self, blob: bytes, aad: str) -> bytes:
        if len(blob) < 1 + NONCE_BYTES + 16 or blob[:1] != VERSION:
            raise CryptoError("not a sealed blob")
        nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, aad.encode())
        except InvalidTag as exc:
            raise CryptoError("blob does not open with this key") from exc
