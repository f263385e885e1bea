"""How a kiosk proves who it is to the platform.

Today: a device id and a bearer token per device (``X-Device-Id`` +
``Authorization: Bearer``). The credential is a ``requests`` auth object, so request
signing can replace it without touching the client: a ``DeviceSignatureAuth`` would
sign ``@method``, ``@target-uri``, ``content-digest`` and ``x-device-id`` with the
device's Ed25519 key (HTTP Message Signatures, RFC 9421: ``Signature-Input`` and
``Signature`` headers, ``keyid`` = device id), and the sandbox would verify it with the
public key the fleet server enrolled.
"""

from __future__ import annotations

import requests

DEVICE_HEADER = "X-Device-Id"


class DeviceTokenAuth(requests.auth.AuthBase):
    """Adds the device id and its bearer token to every request."""

    def __init__(self, device_id: str, token: str) -> None:
        self.device_id = device_id
        self._token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers[DEVICE_HEADER] = self.device_id
        r.headers["Authorization"] = f"Bearer {self._token}"
        return r

    def __repr__(self) -> str:  # never show the token
        return f"DeviceTokenAuth({self.device_id!r})"
