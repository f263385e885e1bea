"""The kiosk's own identity: an Ed25519 key pair made on the kiosk, never sent anywhere.

The private key lives in ``<state>/fleet/device.key`` with mode 0600 (created that way,
not chmod-ed after, so it is never readable by others even for a moment).
"""

from __future__ import annotations

import dataclasses as dc
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from provisioning.agent.state import write_atomic
from provisioning.protocol import device_id_for, public_key_text


@dc.dataclass(frozen=True)
class DeviceKey:
    private: Ed25519PrivateKey
    public_text: str

    @property
    def device_id(self) -> str:
        return device_id_for(self.public_text)


def load_or_create_device_key(path: Path) -> DeviceKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        write_atomic(path, pem, 0o600)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return DeviceKey(key, public_key_text(key.public_key()))


def read_serial(
    candidates: tuple[str, ...] = (
        "/sys/class/dmi/id/product_serial",
        "/etc/machine-id",
    ),
) -> str:
    """The machine's serial number, or its machine id, or its host name."""
    import re
    import socket

    for name in candidates:
        try:
            text = Path(name).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        clean = re.sub(r"[^A-Za-z0-9._:/-]", "", text)[:64]
        if clean and clean[0].isalnum():
            return clean
    return re.sub(r"[^A-Za-z0-9._-]", "", socket.gethostname())[:64] or "unknown"
