"""The server's Ed25519 signing key, kept in a 0600 file in the data directory.

Every server process behind a load balancer reads the same file; kiosks pin its key id at
enrollment and refuse bundles signed by anything else.
"""

from __future__ import annotations

import dataclasses as dc
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from provisioning.protocol import key_id, public_key_text


@dc.dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    public_text: str
    key_id: str


def load_or_create_key(path: Path) -> SigningKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    public = public_key_text(key.public_key())
    return SigningKey(key, public, key_id(public))
